package candlecast.client;

import java.io.IOException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/** Resolves a {@link Node} parameter to the run's shared node. */
final class NodeExtension implements ParameterResolver {
  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
    return p.getParameter().getType() == Node.class;
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext e) {
    try {
      return SharedNode.get(e);
    } catch (IOException ex) {
      throw new ParameterResolutionException("cannot start the node", ex);
    }
  }
}

package candlecast.client;

import java.io.IOException;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One node for every integration test class that uses it (started once, stopped when the run ends).
 */
final class SharedNode {
  private SharedNode() {}

  static synchronized Node get(ExtensionContext context) throws IOException {
    ExtensionContext.Store store = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL);
    Holder h = store.get("candlecast.node", Holder.class);
    if (h == null) {
      h = new Holder(Node.start());
      store.put("candlecast.node", h);
    }
    return h.node;
  }

  private record Holder(Node node) implements ExtensionContext.Store.CloseableResource {
    @Override
    public void close() throws InterruptedException {
      node.close();
    }
  }
}

package candlecast.deploy;

import candlecast.common.config.Settings;
import candlecast.gateway.GatewayDeployment;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.util.concurrent.TimeUnit;

/**
 * A second gateway on a running single node, with JWT authentication on ({@code
 * CANDLECAST_GATEWAY_JWT_SECRET}), on its own random port; it serves the same page and data as the
 * node's gateway. {@link #token} signs a JWT with the same HS256 secret.
 */
final class AuthGateway implements AutoCloseable {
  static final String SECRET = "page-test-secret-long-enough-for-hs256";

  private final GatewayDeployment deployment;
  private final JWTAuth signer;

  private AuthGateway(GatewayDeployment deployment, JWTAuth signer) {
    this.deployment = deployment;
    this.signer = signer;
  }

  static AuthGateway start(SingleNode node) throws Exception {
    GatewayDeployment d =
        GatewayDeployment.deploy(
                node.vertx(),
                node.config()
                    .with(Settings.HTTP_PORT, 0)
                    .with(Settings.GATEWAY_INSTANCES, 1)
                    .with(Settings.GATEWAY_JWT_SECRET, SECRET),
                g -> g)
            .await(30, TimeUnit.SECONDS);
    JWTAuth signer =
        JWTAuth.create(
            node.vertx(),
            new JWTAuthOptions()
                .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(SECRET)));
    return new AuthGateway(d, signer);
  }

  String base() {
    return "http://127.0.0.1:" + deployment.port();
  }

  /** A JWT for {@code subject}, valid for ten minutes. */
  String token(String subject) {
    return signer.generateToken(
        new JsonObject().put("sub", subject), new JWTOptions().setExpiresInMinutes(10));
  }

  @Override
  public void close() throws Exception {
    deployment.undeploy().await(30, TimeUnit.SECONDS);
  }
}

package candlecast.deploy;

import candlecast.common.kafka.EmbeddedKafka;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ordered stop both node kinds share: verticles in reverse deployment order, Vert.x, then the
 * broker.
 */
final class Shutdown {
  private static final Logger LOG = LoggerFactory.getLogger(Shutdown.class);

  private Shutdown() {}

  /** Undeploys {@code ids} last first; a failure is logged and the rest still undeployed. */
  static Future<Void> undeployReverse(Vertx vertx, List<String> ids) {
    Future<Void> f = Future.succeededFuture();
    for (int i = ids.size() - 1; i >= 0; i--) {
      String id = ids.get(i);
      f =
          f.compose(
              v ->
                  vertx
                      .undeploy(id)
                      .recover(
                          err -> {
                            LOG.warn("undeploy failed: {}", err.toString());
                            return Future.succeededFuture();
                          }));
    }
    return f;
  }

  /**
   * After {@code before}: closes Vert.x, then stops the embedded broker (if any) whatever happened
   * before.
   */
  static Future<Void> closeThenStopBroker(Future<Void> before, Vertx vertx, EmbeddedKafka kafka) {
    return before
        .compose(v -> vertx.close())
        .eventually(
            () -> {
              if (kafka != null) {
                kafka.stop();
              }
              return Future.succeededFuture();
            });
  }
}

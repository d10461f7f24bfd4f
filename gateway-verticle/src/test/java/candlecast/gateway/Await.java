package candlecast.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * The gateway tests' one way to wait for a Vert.x future (conditions are awaited with Awaitility).
 */
final class Await {
  /** How long any single future may take. */
  static final long SECONDS = 10;

  private Await() {}

  /**
   * The future's result; fails the test when it fails or does not complete within {@link #SECONDS}.
   */
  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(SECONDS, TimeUnit.SECONDS);
  }

  /**
   * The future's failure; fails the test when it succeeds or does not complete within {@link
   * #SECONDS}.
   */
  static Throwable awaitFailure(Future<?> f) throws Exception {
    Throwable t = await(f.transform(ar -> Future.succeededFuture(ar.cause())));
    assertThat(t).as("expected a failure").isNotNull();
    return t;
  }

  /** Runs {@code action} on {@code ctx} and waits for its result (or its exception). */
  static <T> T onContext(Context ctx, Callable<T> action) throws Exception {
    Promise<T> p = Promise.promise();
    ctx.runOnContext(
        v -> {
          try {
            p.complete(action.call());
          } catch (Throwable t) {
            p.fail(t);
          }
        });
    return await(p.future());
  }
}

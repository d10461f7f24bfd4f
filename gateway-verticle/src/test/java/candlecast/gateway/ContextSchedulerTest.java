package candlecast.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** engine.io's timers on a Vert.x context: on that context, after the delay, cancellable. */
@ExtendWith(VertxExtension.class)
class ContextSchedulerTest {

  @Test
  void tasksRunOnTheContextAfterTheirDelayAndCancelledOnesDoNot(Vertx vertx) throws Exception {
    Context ctx = vertx.getOrCreateContext();
    ContextScheduler s = new ContextScheduler(vertx, ctx);
    List<Context> ranOn = new CopyOnWriteArrayList<>();
    long start = System.nanoTime();
    List<Long> elapsed = new CopyOnWriteArrayList<>();
    ScheduledFuture<?> kept =
        s.schedule(
            () -> {
              ranOn.add(Vertx.currentContext());
              elapsed.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            },
            100,
            TimeUnit.MILLISECONDS);
    AtomicInteger cancelledRuns = new AtomicInteger();
    ScheduledFuture<?> cancelled =
        s.schedule(cancelledRuns::incrementAndGet, 50, TimeUnit.MILLISECONDS);
    assertThat(cancelled.cancel(false)).isTrue();
    await().atMost(Duration.ofSeconds(5)).until(kept::isDone);
    assertThat(ranOn).containsExactly(ctx);
    assertThat(elapsed.get(0)).isGreaterThanOrEqualTo(100);
    await().during(Duration.ofMillis(200)).until(() -> cancelledRuns.get() == 0);
    assertThat(cancelled.isCancelled()).isTrue();
  }

  @Test
  void periodicTasksRepeatUntilCancelled(Vertx vertx) {
    Context ctx = vertx.getOrCreateContext();
    ContextScheduler s = new ContextScheduler(vertx, ctx);
    AtomicInteger runs = new AtomicInteger();
    ScheduledFuture<?> f =
        s.scheduleAtFixedRate(runs::incrementAndGet, 10, 20, TimeUnit.MILLISECONDS);
    await().atMost(Duration.ofSeconds(5)).until(() -> runs.get() >= 3);
    f.cancel(false);
    int after = runs.get();
    await().during(Duration.ofMillis(200)).until(() -> runs.get() <= after + 1);
    s.shutdown();
    assertThat(s.isShutdown()).isTrue();
  }
}

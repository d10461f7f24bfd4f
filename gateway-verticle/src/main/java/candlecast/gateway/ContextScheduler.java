package candlecast.gateway;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@link ScheduledExecutorService} that runs every task on one Vert.x context (Vert.x timers), so
 * engine.io's ping and timeout tasks run on the same event loop as everything else the Socket.IO
 * endpoint does: its state needs no locks and no task blocks a pool thread.
 */
final class ContextScheduler extends AbstractExecutorService implements ScheduledExecutorService {
  private final Vertx vertx;
  private final Context context;
  private volatile boolean shutdown;

  ContextScheduler(Vertx vertx, Context context) {
    this.vertx = vertx;
    this.context = context;
  }

  @Override
  public void execute(Runnable command) {
    if (!shutdown) {
      context.runOnContext(v -> command.run());
    }
  }

  @Override
  public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    return schedule(
        () -> {
          command.run();
          return null;
        },
        delay,
        unit);
  }

  @Override
  public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
    Task<V> task = new Task<>(unit.toNanos(delay));
    task.timer = timer(Math.max(1, unit.toMillis(delay)), false, () -> task.complete(callable));
    return task;
  }

  @Override
  public ScheduledFuture<?> scheduleAtFixedRate(
      Runnable command, long initialDelay, long period, TimeUnit unit) {
    Task<Object> task = new Task<>(unit.toNanos(initialDelay));
    long first = Math.max(1, unit.toMillis(initialDelay));
    long every = Math.max(1, unit.toMillis(period));
    task.timer =
        timer(
            first,
            false,
            () -> {
              if (!task.isDone()) {
                command.run();
                task.timer = timer(every, true, command);
              }
            });
    return task;
  }

  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(
      Runnable command, long initialDelay, long delay, TimeUnit unit) {
    return scheduleAtFixedRate(command, initialDelay, delay, unit);
  }

  /** A one-shot or periodic Vert.x timer running {@code task} on the context. */
  private long timer(long delayMs, boolean periodic, Runnable task) {
    if (shutdown) {
      return -1;
    }
    return periodic
        ? vertx.setPeriodic(delayMs, id -> onContext(task))
        : vertx.setTimer(delayMs, id -> onContext(task));
  }

  private void onContext(Runnable task) {
    if (Vertx.currentContext() == context) {
      task.run();
    } else {
      context.runOnContext(v -> task.run());
    }
  }

  @Override
  public void shutdown() {
    shutdown = true;
  }

  @Override
  public List<Runnable> shutdownNow() {
    shutdown = true;
    return List.of();
  }

  @Override
  public boolean isShutdown() {
    return shutdown;
  }

  @Override
  public boolean isTerminated() {
    return shutdown;
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    return shutdown;
  }

  /** A scheduled task: cancelling it cancels its timer. */
  private final class Task<V> implements ScheduledFuture<V> {
    private final CompletableFuture<V> result = new CompletableFuture<>();
    private final long dueNanos;
    volatile long timer = -1;

    Task(long delayNanos) {
      this.dueNanos = System.nanoTime() + delayNanos;
    }

    void complete(Callable<V> callable) {
      if (result.isDone()) {
        return;
      }
      try {
        result.complete(callable.call());
      } catch (Exception e) {
        result.completeExceptionally(e);
      }
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(dueNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(Delayed o) {
      return Long.compare(getDelay(TimeUnit.NANOSECONDS), o.getDelay(TimeUnit.NANOSECONDS));
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      vertx.cancelTimer(timer);
      return result.cancel(false);
    }

    @Override
    public boolean isCancelled() {
      return result.isCancelled();
    }

    @Override
    public boolean isDone() {
      return result.isDone();
    }

    @Override
    public V get() throws InterruptedException, ExecutionException {
      return result.get();
    }

    @Override
    public V get(long timeout, TimeUnit unit)
        throws InterruptedException, ExecutionException, TimeoutException {
      return result.get(timeout, unit);
    }
  }
}

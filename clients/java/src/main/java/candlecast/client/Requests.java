package candlecast.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Pending commands by id, with their timeouts; used on the client's event thread only. */
final class Requests {
  /**
   * A command waiting for its reply (or, for a batch, for its frames until the handler says done).
   */
  static final class Pending {
    final String id;
    final CompletableFuture<JsonNode> future;
    final Predicate<JsonNode> frames;
    final String text;
    boolean sent;
    ScheduledFuture<?> timeout;

    Pending(
        String id, CompletableFuture<JsonNode> future, Predicate<JsonNode> frames, String text) {
      this.id = id;
      this.future = future;
      this.frames = frames;
      this.text = text;
    }
  }

  private final ScheduledExecutorService loop;
  private final long timeoutMs;
  private final Map<String, Pending> pending = new LinkedHashMap<>();

  Requests(ScheduledExecutorService loop, long timeoutMs) {
    this.loop = loop;
    this.timeoutMs = timeoutMs;
  }

  void add(Pending p) {
    pending.put(p.id, p);
    arm(p);
  }

  private void arm(Pending p) {
    if (p.timeout != null) {
      p.timeout.cancel(false);
    }
    p.timeout =
        loop.schedule(
            () -> {
              if (pending.remove(p.id) != null) {
                p.future.completeExceptionally(
                    new CandlecastException(
                        CandlecastException.TIMEOUT,
                        "no reply to " + p.id + " within " + timeoutMs + " ms"));
              }
            },
            timeoutMs,
            TimeUnit.MILLISECONDS);
  }

  /** Delivers a frame carrying this id; false when no command waits for it. */
  boolean onFrame(String id, JsonNode frame) {
    Pending p = pending.get(id);
    if (p == null) {
      return false;
    }
    if (p.frames != null) {
      arm(p);
      if (p.frames.test(frame)) {
        done(p);
        p.future.complete(frame);
      }
      return true;
    }
    done(p);
    if ("error".equals(frame.path("type").asText())) {
      p.future.completeExceptionally(serverError(frame));
    } else {
      p.future.complete(frame);
    }
    return true;
  }

  private void done(Pending p) {
    pending.remove(p.id);
    if (p.timeout != null) {
      p.timeout.cancel(false);
    }
  }

  /** Commands not sent yet (sent when the socket opens). */
  List<Pending> unsent() {
    List<Pending> out = new ArrayList<>();
    for (Pending p : pending.values()) {
      if (!p.sent) {
        out.add(p);
      }
    }
    return out;
  }

  /**
   * The socket dropped: sent commands fail with {@code code}; unsent ones wait (unless {@code
   * all}).
   */
  void failSent(String code, String message, boolean all) {
    for (Pending p : new ArrayList<>(pending.values())) {
      if (p.sent || all) {
        done(p);
        p.future.completeExceptionally(new CandlecastException(code, message));
      }
    }
  }

  static CandlecastException serverError(JsonNode frame) {
    String code = frame.path("code").asText("error");
    String message = frame.path("message").asText("");
    return new CandlecastException(code, message, frame.path("status").asInt(0), null);
  }
}

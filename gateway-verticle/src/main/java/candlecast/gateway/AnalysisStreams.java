package candlecast.gateway;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The node's {@code /ws/analysis} composers, one per (symbol, timeframe) for all the node's gateway
 * instances ({@link AnalysisComposer}). They live on one context (the one that created this
 * registry, like the {@link AnalysisHub}); a subscriber joins and leaves from its own connection's
 * context, and each composed message reaches it on that context (one task per context and message,
 * not per subscriber).
 */
final class AnalysisStreams implements Shareable {
  private static final String MAP = "candlecast.gateway";
  private static final String KEY = "analysis-streams";

  final Vertx vertx;
  final Context home;
  private final AnalysisFeed feed;
  private final LongSupplier clock;
  private final Map<SeriesKey, AnalysisComposer> composers = new HashMap<>();
  private int users;

  AnalysisStreams(Vertx vertx, AnalysisFeed feed, LongSupplier clock) {
    this.vertx = vertx;
    this.home = ((io.vertx.core.internal.ContextInternal) vertx.getOrCreateContext()).unwrap();
    this.feed = feed;
    this.clock = clock;
  }

  /**
   * The node's registry (created on the first caller's context); each caller {@link #release()}s it
   * when it stops.
   */
  static AnalysisStreams of(Vertx vertx, AnalysisFeed feed) {
    LocalMap<String, AnalysisStreams> map = vertx.sharedData().getLocalMap(MAP);
    synchronized (AnalysisStreams.class) {
      AnalysisStreams s = map.get(KEY);
      if (s == null) {
        s = new AnalysisStreams(vertx, feed, System::currentTimeMillis);
        map.put(KEY, s);
      }
      s.users++;
      return s;
    }
  }

  /** Gives back an {@link #of} reference; the last one forgets the registry. */
  void release() {
    LocalMap<String, AnalysisStreams> map = vertx.sharedData().getLocalMap(MAP);
    synchronized (AnalysisStreams.class) {
      if (--users == 0) {
        map.remove(KEY, this);
      }
    }
  }

  long now() {
    return clock.getAsLong();
  }

  /**
   * Joins {@code s} (of the calling context) to the composer of {@code key}; completes on the
   * caller's context with the current message for it (null when nothing is defined yet) once the
   * composer holds every series, or fails with the first acquisition's failure.
   */
  Future<Update> join(SeriesKey key, AnalysisComposer.Subscriber s) {
    Context caller = vertx.getOrCreateContext();
    Promise<Update> result = Promise.promise();
    home.runOnContext(
        v -> {
          AnalysisComposer c = composer(key);
          c.join(s)
              .onComplete(
                  ar -> {
                    Update current = ar.succeeded() ? c.current(s) : null;
                    caller.runOnContext(
                        x -> {
                          if (ar.succeeded()) {
                            result.complete(current);
                          } else {
                            result.fail(ar.cause());
                          }
                        });
                  });
        });
    return result.future();
  }

  /** {@code s} leaves the composer of {@code key} (the last subscriber ends it). */
  void leave(SeriesKey key, AnalysisComposer.Subscriber s) {
    home.runOnContext(
        v -> {
          AnalysisComposer c = composers.get(key);
          if (c != null) {
            c.leave(s);
          }
        });
  }

  /** The composer of {@code key}, started on first use (on the home context). */
  private AnalysisComposer composer(SeriesKey key) {
    AnalysisComposer c = composers.get(key);
    if (c == null) {
      AnalysisComposer[] self = new AnalysisComposer[1];
      self[0] =
          new AnalysisComposer(
              key,
              this,
              feed,
              () -> {
                if (composers.get(key) == self[0]) {
                  composers.remove(key);
                }
              });
      c = self[0];
      if (!c.ended()) {
        composers.put(key, c);
      }
    }
    return c;
  }

  /** Distinct subscriber contexts of the composer of {@code key} (home context; for tests). */
  long subscriberContexts(SeriesKey key) {
    AnalysisComposer c = composers.get(key);
    return c == null ? 0 : c.contexts();
  }

  /** Composers on the node (call on the home context; for tests). */
  int composers() {
    return composers.size();
  }
}

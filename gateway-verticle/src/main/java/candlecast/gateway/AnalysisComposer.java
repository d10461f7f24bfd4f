package candlecast.gateway;

import candlecast.common.analysis.AnalysisSpec;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The analysis of one (symbol, timeframe) as {@code /ws/analysis} shows it, on one gateway node:
 * holds every series of {@link AnalysisFrames#DEFAULT_SET} through the node's {@link AnalysisFeed}
 * while it has subscribers, keeps the newest point of each and the newest detections, and composes
 * the {@code data} message once per flush for all its subscribers (encoded once per symbol spelling
 * in use). Flushes are coalesced: at most one per {@link #INTERVAL_MS}, and at least {@link
 * #GATHER_MS} after the first update of a batch, so the updates the owner publishes for one candle
 * update (one per series) go out in one message. Each message reaches the subscribers of another
 * context in one task per context.
 *
 * <p>Confined to the home context of the node's {@link AnalysisStreams}.
 */
final class AnalysisComposer {
  static final long INTERVAL_MS = 250;
  static final long GATHER_MS = 10;

  /** A subscriber: one {@code /ws/analysis} connection's subscription to this (symbol, tf). */
  interface Subscriber {
    String spelling();

    /** The context {@link #write} runs on (its connection's). */
    Context context();

    void write(Update u);
  }

  final SeriesKey key;
  private final AnalysisStreams streams;
  private final AnalysisFeed feed;
  private final Runnable onIdle;
  private final List<Subscriber> subscribers = new ArrayList<>(2);
  private final List<AnalysisFeed.Lease> leases = new ArrayList<>();
  private final JsonObject[] latest = new JsonObject[AnalysisFrames.DEFAULT_SET.size()];
  private final ArrayDeque<JsonObject> detections = new ArrayDeque<>();
  private final Future<Void> started;
  private boolean closed;

  /** The {@code data} object's JSON text of the current state; null after a change. */
  private String data;

  private long candleTime;
  private final List<String> spellings = new ArrayList<>(1);
  private final List<Update> frames = new ArrayList<>(1);
  private long lastFlushMs = Long.MIN_VALUE / 2;
  private long timer = -1;

  /** Flushes so far (for tests and metrics). */
  long flushes;

  /**
   * Starts acquiring the series; {@code onIdle} runs once when the composer ends (no subscriber
   * left, or the start failed).
   */
  AnalysisComposer(SeriesKey key, AnalysisStreams streams, AnalysisFeed feed, Runnable onIdle) {
    this.key = key;
    this.streams = streams;
    this.feed = feed;
    this.onIdle = onIdle;
    this.started = acquireAll();
  }

  private Future<Void> acquireAll() {
    List<Future<AnalysisFeed.Lease>> all = new ArrayList<>();
    for (int i = 0; i < AnalysisFrames.DEFAULT_SET.size(); i++) {
      int index = i;
      AnalysisSpec spec = AnalysisFrames.DEFAULT_SET.get(i);
      int limit = i == AnalysisFrames.PATTERNS ? AnalysisFrames.MAX_DETECTIONS : 1;
      all.add(
          feed.acquire(key.symbol(), key.tf(), spec, limit, u -> update(index, u))
              .onSuccess(lease -> held(index, lease)));
    }
    Promise<Void> p = Promise.promise();
    Future.join(all)
        .onComplete(
            ar -> {
              if (ar.succeeded() && !closed) {
                p.complete();
              } else {
                Throwable cause = ar.failed() ? firstFailure(all) : null;
                end();
                p.fail(cause != null ? cause : new IllegalStateException("unsubscribed"));
              }
            });
    return p.future();
  }

  private static Throwable firstFailure(List<Future<AnalysisFeed.Lease>> all) {
    for (Future<AnalysisFeed.Lease> f : all) {
      if (f.failed()) {
        return f.cause();
      }
    }
    return null;
  }

  /** A series is held: its snapshot seeds the newest point (or detections). */
  private void held(int index, AnalysisFeed.Lease lease) {
    if (closed) {
      lease.close();
      return;
    }
    leases.add(lease);
    JsonArray points = lease.snapshot() == null ? null : lease.snapshot().getJsonArray("points");
    if (points == null || points.isEmpty()) {
      return;
    }
    if (index == AnalysisFrames.PATTERNS) {
      for (int i = Math.max(0, points.size() - AnalysisFrames.MAX_DETECTIONS);
          i < points.size();
          i++) {
        addDetection(points.getJsonObject(i));
      }
    } else {
      JsonObject last = points.getJsonObject(points.size() - 1);
      if (latest[index] == null || time(last) >= time(latest[index])) {
        latest[index] = last;
      }
    }
    data = null;
  }

  /** Completes when every series is held; fails with the first acquisition's failure. */
  Future<Void> join(Subscriber s) {
    subscribers.add(s);
    return started;
  }

  /** A subscriber leaves; the last one releases every series. */
  void leave(Subscriber s) {
    subscribers.remove(s);
    if (subscribers.isEmpty()) {
      end();
    }
  }

  /**
   * The current message for {@code s}, stamped now (sent after its ack, to it alone); null when
   * nothing is defined yet.
   */
  Update current(Subscriber s) {
    String d = data();
    return d == null ? null : AnalysisFrames.frame(s.spelling(), streams.now(), d, candleTime);
  }

  /** Whether the composer has released its series (it is not joined again). */
  boolean ended() {
    return closed;
  }

  /** Distinct contexts (event loops) of the subscribers (for tests). */
  long contexts() {
    return subscribers.stream().map(Subscriber::context).distinct().count();
  }

  int subscribers() {
    return subscribers.size();
  }

  private void update(int index, JsonObject u) {
    if (closed) {
      return;
    }
    if (index == AnalysisFrames.PATTERNS) {
      if (!(u.getValue("patterns") instanceof JsonArray found)
          || (!detections.isEmpty() && time(u) <= time(detections.peekFirst()))) {
        return; // nothing new, or published again (after a takeover)
      }
      for (Object d : found) {
        if (d instanceof JsonObject j) {
          addDetection(j);
        }
      }
    } else {
      if (latest[index] != null && time(u) < time(latest[index])) {
        return;
      }
      latest[index] = u;
    }
    data = null;
    schedule();
  }

  private void addDetection(JsonObject d) {
    detections.addFirst(d);
    while (detections.size() > AnalysisFrames.MAX_DETECTIONS) {
      detections.removeLast();
    }
  }

  private void schedule() {
    if (timer >= 0 || subscribers.isEmpty()) {
      return;
    }
    long delay = Math.max(GATHER_MS, lastFlushMs + INTERVAL_MS - streams.now());
    timer = streams.vertx.setTimer(delay, id -> flush());
  }

  private void flush() {
    timer = -1;
    if (closed) {
      return;
    }
    long now = streams.now();
    lastFlushMs = now;
    flushes++;
    String d = data();
    if (d == null) {
      return;
    }
    spellings.clear();
    frames.clear();
    Map<Context, List<Runnable>> elsewhere = null;
    for (Subscriber s : new ArrayList<>(subscribers)) {
      Update f = frameFor(s.spelling(), now, d);
      if (s.context() == streams.home) {
        s.write(f);
      } else {
        if (elsewhere == null) {
          elsewhere = new HashMap<>(4);
        }
        elsewhere.computeIfAbsent(s.context(), c -> new ArrayList<>()).add(() -> s.write(f));
      }
    }
    if (elsewhere != null) {
      elsewhere.forEach((c, writes) -> c.runOnContext(v -> writes.forEach(Runnable::run)));
    }
  }

  /** The {@code data} object of the current state, composed once per state. */
  private String data() {
    if (data == null) {
      data = AnalysisFrames.data(latest, new ArrayList<>(detections), key.tf());
      candleTime = candleTime();
    }
    return data;
  }

  /** This flush's frame for one spelling: encoded once per flush and spelling. */
  private Update frameFor(String spelling, long now, String d) {
    int i = spellings.indexOf(spelling);
    if (i >= 0) {
      return frames.get(i);
    }
    Update f = AnalysisFrames.frame(spelling, now, d, candleTime);
    spellings.add(spelling);
    frames.add(f);
    return f;
  }

  private long candleTime() {
    long t = detections.isEmpty() ? Long.MIN_VALUE : time(detections.peekFirst());
    for (JsonObject p : latest) {
      if (p != null) {
        t = Math.max(t, time(p));
      }
    }
    return t;
  }

  private static long time(JsonObject point) {
    return point.getValue("t") instanceof Number n ? n.longValue() : Long.MIN_VALUE;
  }

  /** Releases every series, once. */
  private void end() {
    if (closed) {
      return;
    }
    closed = true;
    if (timer >= 0) {
      streams.vertx.cancelTimer(timer);
      timer = -1;
    }
    leases.forEach(AnalysisFeed.Lease::close);
    leases.clear();
    onIdle.run();
  }
}

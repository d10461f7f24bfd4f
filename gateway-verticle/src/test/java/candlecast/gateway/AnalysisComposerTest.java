package candlecast.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import candlecast.common.Timeframe;
import candlecast.common.analysis.AnalysisSpec;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The composer's holds on the series, against an in-memory {@link AnalysisFeed}: one acquisition
 * per series however many subscribers, all released by the last one, and a partial acquisition
 * released whole.
 */
class AnalysisComposerTest {
  private Vertx vertx;
  private Context context;
  private final FakeFeed feed = new FakeFeed();

  /** Acquisitions succeed with a one-point snapshot, except the keys in {@code refuse}. */
  static final class FakeFeed implements AnalysisFeed {
    final List<String> acquired = new CopyOnWriteArrayList<>();
    final List<String> closed = new CopyOnWriteArrayList<>();
    final Map<String, Handler<JsonObject>> handlers = new ConcurrentHashMap<>();
    volatile String refuse = "";

    @Override
    public Future<Lease> acquire(
        String symbol, Timeframe tf, AnalysisSpec spec, int limit, Handler<JsonObject> updates) {
      String key = spec.key();
      if (key.equals(refuse)) {
        return Future.failedFuture(
            new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 429, "too many series"));
      }
      acquired.add(key);
      handlers.put(key, updates);
      JsonObject point = new JsonObject().put("t", 1_000L).put("closed", false);
      spec.fields().forEach(f -> point.put(f, 1.5));
      JsonObject snapshot =
          new JsonObject()
              .put("key", key)
              .put(
                  "points",
                  spec.kind() == AnalysisSpec.Kind.PATTERNS
                      ? new JsonArray()
                      : new JsonArray().add(point));
      return Future.succeededFuture(
          new Lease() {
            private boolean done;

            @Override
            public JsonObject snapshot() {
              return snapshot;
            }

            @Override
            public void close() {
              if (!done) {
                done = true;
                closed.add(key);
              }
            }
          });
    }
  }

  /** A subscriber that counts what it is written. */
  final class Sub implements AnalysisComposer.Subscriber {
    final List<Update> written = new CopyOnWriteArrayList<>();
    final String spelling;

    Sub(String spelling) {
      this.spelling = spelling;
    }

    @Override
    public Context context() {
      return context;
    }

    @Override
    public String spelling() {
      return spelling;
    }

    @Override
    public void write(Update u) {
      written.add(u);
    }
  }

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    context = vertx.getOrCreateContext();
  }

  @AfterEach
  void stop() throws Exception {
    Await.await(vertx.close());
  }

  private <T> T on(Supplier<T> action) throws Exception {
    CompletableFuture<T> f = new CompletableFuture<>();
    context.runOnContext(
        v -> {
          try {
            f.complete(action.get());
          } catch (RuntimeException e) {
            f.completeExceptionally(e);
          }
        });
    return f.get(5, TimeUnit.SECONDS);
  }

  @Test
  void subscribersShareOneAcquisitionPerSeriesAndTheLastReleasesThem() throws Exception {
    AnalysisStreams streams = on(() -> new AnalysisStreams(vertx, feed, System::currentTimeMillis));
    SeriesKey key = new SeriesKey("BTCUSD", Timeframe.M1);
    Sub a = new Sub("BTCUSD");
    Sub b = new Sub("btc-usd");
    Sub a2 = new Sub("BTCUSD");
    Update ua = Await.await(on(() -> streams.join(key, a)));
    Update ub = Await.await(on(() -> streams.join(key, b)));
    Await.await(on(() -> streams.join(key, a2)));
    assertThat(feed.acquired)
        .containsExactlyElementsOf(
            AnalysisFrames.DEFAULT_SET.stream().map(AnalysisSpec::key).toList());
    assertThat(on(streams::composers)).isEqualTo(1);
    assertThat(new JsonObject(ua.frame().toString()).getJsonObject("data"))
        .isEqualTo(new JsonObject(ub.frame().toString()).getJsonObject("data"));

    on(
        () -> {
          feed.handlers.get("rsi:14").handle(new JsonObject().put("t", 2_000L).put("value", 70.0));
          feed.handlers.get("sma:20").handle(new JsonObject().put("t", 2_000L).put("value", 3.0));
          return null;
        });
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> a.written.size() == 1 && b.written.size() == 1 && a2.written.size() == 1);
    assertThat(a2.written.get(0))
        .as("encoded once per flush and spelling")
        .isSameAs(a.written.get(0));
    assertThat(b.written.get(0).frame().toString())
        .isEqualTo(a.written.get(0).frame().toString().replace("\"BTCUSD\"", "\"btc-usd\""));
    JsonObject ti =
        new JsonObject(a.written.get(0).frame().toString())
            .getJsonObject("data")
            .getJsonObject("technical_indicators");
    assertThat(ti.getDouble("rsi_14")).isEqualTo(70.0);
    assertThat(ti.getDouble("sma_20")).isEqualTo(3.0);

    streams.leave(key, a);
    streams.leave(key, a2);
    assertThat(on(streams::composers)).isEqualTo(1);
    assertThat(feed.closed).isEmpty();
    streams.leave(key, b);
    assertThat(on(streams::composers)).isZero();
    assertThat(feed.closed).containsExactlyInAnyOrderElementsOf(feed.acquired);
  }

  @Test
  void aPartialAcquisitionIsReleasedWhole() throws Exception {
    feed.refuse = "macd:12:26:9";
    AnalysisStreams streams = on(() -> new AnalysisStreams(vertx, feed, System::currentTimeMillis));
    Sub a = new Sub("BTCUSD");
    Future<Update> joined = on(() -> streams.join(new SeriesKey("BTCUSD", Timeframe.M1), a));
    assertThat(catchFailure(joined).failureCode()).isEqualTo(429);
    assertThat(feed.acquired).hasSize(AnalysisFrames.DEFAULT_SET.size() - 1);
    assertThat(feed.closed).containsExactlyInAnyOrderElementsOf(feed.acquired);
    assertThat(on(streams::composers)).as("a later subscribe starts afresh").isZero();
  }

  private static ReplyException catchFailure(Future<?> f) {
    await().atMost(Duration.ofSeconds(5)).until(f::isComplete);
    assertThat(f.failed()).isTrue();
    return (ReplyException) f.cause();
  }
}

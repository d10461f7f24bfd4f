package candlecast.aggregator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import candlecast.common.Addresses;
import candlecast.common.config.CandlecastConfig;
import candlecast.common.config.Settings;
import candlecast.common.kafka.EmbeddedKafka;
import candlecast.common.kafka.KafkaTopics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19: a symbol that exists is never answered "unknown" (404) while its owner changes: two
 * aggregator instances in one Vert.x hand the {@code trades} partitions over twice (one joins, then
 * leaves) while every symbol's history is asked for every few milliseconds; a symbol nobody has is
 * still 404.
 */
class AggregatorKnownSymbolIT {
  static final int SYMBOLS = 8;

  @TempDir Path dir;
  private EmbeddedKafka kafka;
  private Vertx vertx;
  private final List<String> unknown = new CopyOnWriteArrayList<>();
  private final AtomicLong answered = new AtomicLong();
  private final AtomicLong retry = new AtomicLong();

  @AfterEach
  void tearDown() throws Exception {
    if (vertx != null) {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
    if (kafka != null) {
      kafka.stop();
    }
  }

  @Test
  void symbolsStayKnownWhileTheirOwnerChangesAndOnlyAMissingOneIsUnknown() throws Exception {
    kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0);
    String bootstrap = kafka.bootstrapServers();
    KafkaTopics.ensureTopicsBlocking(bootstrap, 4);
    CandlecastConfig cfg =
        CandlecastConfig.defaults()
            .with(Settings.AGGREGATOR_GRACE_MS, 300L)
            .with(Settings.AGGREGATOR_CHECKPOINT_MS, 300L);
    KafkaFixture.produce(bootstrap, TradeLogGenerator.generate(19, SYMBOLS, 20_000, 300), 200_000);
    vertx = Vertx.vertx();
    String a =
        vertx.deployVerticle(new AggregatorVerticle(cfg, bootstrap)).await(60, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(60)).until(() -> allAnswer());

    long prober = vertx.setPeriodic(3, id -> probe());
    String b =
        vertx.deployVerticle(new AggregatorVerticle(cfg, bootstrap)).await(60, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(60)).until(() -> owners().contains(b)); // partitions split
    vertx.undeploy(b).await(60, TimeUnit.SECONDS);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> owners().stream().allMatch(a::equals) && owners().size() == SYMBOLS);
    long before = answered.get();
    await().atMost(Duration.ofSeconds(10)).until(() -> answered.get() > before + 100);
    vertx.cancelTimer(prober);

    assertThat(unknown).as("404 for a symbol that exists (%d 503s)", retry.get()).isEmpty();
    assertThat(status(history("NOPE"))).as("a symbol nobody has").isEqualTo(404);
  }

  private void probe() {
    for (int i = 0; i < SYMBOLS; i++) {
      String s = "SYM" + i;
      history(s)
          .onComplete(
              ar -> {
                answered.incrementAndGet();
                int st = status(ar);
                if (st == 404) {
                  unknown.add(s + ": " + ar.cause().getMessage());
                } else if (st == 503) {
                  retry.incrementAndGet();
                }
              });
    }
  }

  private Future<Object> history(String symbol) {
    return vertx
        .eventBus()
        .request(
            Addresses.HISTORY,
            new JsonObject().put("symbol", symbol).put("tf", "1m").put("limit", 1))
        .map(m -> m.body());
  }

  private static int status(Future<Object> f) {
    try {
      f.await(10, TimeUnit.SECONDS);
      return 200;
    } catch (Exception e) {
      return e instanceof ReplyException re ? re.failureCode() : -1;
    }
  }

  private static int status(io.vertx.core.AsyncResult<Object> ar) {
    return ar.succeeded() ? 200 : ar.cause() instanceof ReplyException re ? re.failureCode() : -1;
  }

  private boolean allAnswer() {
    for (int i = 0; i < SYMBOLS; i++) {
      if (status(history("SYM" + i)) != 200) {
        return false;
      }
    }
    return true;
  }

  /** The directory's values for the test's symbols (owning deployment ids or markers). */
  private List<String> owners() throws Exception {
    AsyncMap<String, String> dir =
        vertx
            .sharedData()
            .<String, String>getAsyncMap(AggregatorVerticle.DIRECTORY_MAP)
            .await(5, TimeUnit.SECONDS);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < SYMBOLS; i++) {
      String v = dir.get("SYM" + i).await(5, TimeUnit.SECONDS);
      if (v != null) {
        out.add(v);
      }
    }
    return out;
  }
}

package candlecast.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import candlecast.common.Timeframe;
import candlecast.common.config.Settings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Many JSON clients of one analysis series on a two-event-loop node: one series, every update. */
@ExtendWith(VertxExtension.class)
class AnalysisFanoutTest extends GatewayTestBase {
  private static final Logger LOG = LoggerFactory.getLogger(AnalysisFanoutTest.class);

  @Test
  void thousandClientsOfOneSeriesEachReceiveEveryClosedValueOnce(Vertx vertx) throws Exception {
    start(vertx, c -> c.with(Settings.GATEWAY_CONNECTIONS_BURST, 10_000), 2);
    FakeAnalysisOwner owner = new FakeAnalysisOwner(agg);
    for (int i = 0; i < 3; i++) {
      owner.candle(candle("BTCUSD", Timeframe.S1, T0 + i * 1000L, 1, true));
    }
    agg.sync();
    int clients = 1000;
    int updates = 100;
    AtomicInteger[] got = new AtomicInteger[clients];
    AtomicLong[] lastT = new AtomicLong[clients];
    AtomicInteger outOfOrder = new AtomicInteger();
    AtomicInteger snapshots = new AtomicInteger();
    String sub =
        "{\"type\":\"subscribe\",\"channel\":\"indicator\",\"symbol\":\"BTCUSD\",\"tf\":\"1s\","
            + "\"name\":\"sma\",\"params\":{\"period\":3},\"limit\":10}";
    List<Future<WebSocket>> all = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      int k = i;
      got[k] = new AtomicInteger();
      lastT[k] = new AtomicLong(Long.MIN_VALUE);
      all.add(
          wsClient
              .connect(port, "127.0.0.1", "/ws")
              .map(
                  ws -> {
                    ws.textMessageHandler(
                        t -> {
                          JsonObject j = new JsonObject(t);
                          if ("snapshot".equals(j.getString("type"))) {
                            snapshots.incrementAndGet();
                          } else if ("indicator".equals(j.getString("type"))
                              && j.getBoolean("closed")) {
                            if (j.getLong("t") <= lastT[k].getAndSet(j.getLong("t"))) {
                              outOfOrder.incrementAndGet();
                            }
                            got[k].incrementAndGet();
                          }
                        });
                    ws.writeTextMessage(sub);
                    return ws;
                  }));
      if (all.size() % 100 == 0) {
        Await.await(Future.all(all.subList(all.size() - 100, all.size())));
      }
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> snapshots.get() == clients);
    assertThat(owner.opens("sma:3")).isEqualTo(1);
    assertThat(gateway.analysis().consumersRegistered()).isEqualTo(1);
    long start = System.nanoTime();
    for (int n = 3; n < 3 + updates; n++) {
      owner.candle(candle("BTCUSD", Timeframe.S1, T0 + n * 1000L, 1, true));
    }
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> Arrays.stream(got).allMatch(a -> a.get() == updates));
    long ms = (System.nanoTime() - start) / 1_000_000;
    LOG.info(
        "{} clients x {} analysis updates delivered in {} ms ({} frames/s)",
        clients,
        updates,
        ms,
        ms == 0 ? "n/a" : (long) clients * updates * 1000 / ms);
    assertThat(outOfOrder.get()).isZero();
    assertThat(gateway.metrics().updatesDropped.sum()).isZero();
  }
}

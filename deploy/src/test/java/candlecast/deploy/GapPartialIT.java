package candlecast.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import candlecast.common.Candle;
import candlecast.common.CandleCodec;
import candlecast.common.GapRecord;
import candlecast.common.Side;
import candlecast.common.Timeframe;
import candlecast.common.Topics;
import candlecast.common.Trade;
import candlecast.common.TradeCodec;
import candlecast.common.config.CandlecastConfig;
import candlecast.common.config.Settings;
import candlecast.common.kafka.EmbeddedKafka;
import candlecast.common.kafka.KafkaTopics;
import candlecast.feed.FakeExchange;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gap older than the exchange serves, end to end: the log's newest trade of a symbol is two days
 * old, the exchange's REST API serves one day. The feed writes a gap record for the span it cannot
 * recover, and the candles that span touches are flagged partial in Kafka and over REST — never
 * silently wrong — while candles after it are not.
 */
class GapPartialIT {
  private static final String PAIR = "gpbtcusd";
  private static final String SYMBOL = "GPBTCUSD";
  @TempDir Path dir;

  @Test
  void candlesTouchedByAnUnrecoverableGapAreFlaggedPartial() throws Exception {
    EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0);
    SingleNode node = null;
    try (FakeExchange exchange = FakeExchange.start(PAIR)) {
      KafkaTopics.ensureTopicsBlocking(kafka.bootstrapServers(), 2);
      long twoDaysAgo = System.currentTimeMillis() - 2 * 86_400_000L;
      Map<String, Object> props =
          new HashMap<>(KafkaTopics.producerProps(kafka.bootstrapServers()));
      try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(props)) {
        p.send(
                new ProducerRecord<>(
                    Topics.TRADES,
                    SYMBOL,
                    TradeCodec.encode(new Trade(SYMBOL, 5, twoDaysAgo, 30_000, 0.1, Side.BUY))))
            .get();
      }
      exchange.stream(List.of(PAIR), 1);
      CandlecastConfig cfg =
          StackFixture.config(dir.resolve("node"))
              .with(Settings.KAFKA_BOOTSTRAP_SERVERS, kafka.bootstrapServers())
              .with(Settings.FEED_SOURCE, "bitstamp")
              .with(Settings.FEED_SYMBOLS, List.of(SYMBOL))
              .with(Settings.BITSTAMP_WS_URL, exchange.wsUrl())
              .with(Settings.BITSTAMP_REST_URL, exchange.restUrl())
              .with(Settings.BITSTAMP_HEARTBEAT_MS, 500L)
              .with(Settings.BITSTAMP_WATERMARK_LAG_MS, 500L)
              .with(Settings.GATEWAY_INSTANCES, 1);
      node = SingleNode.start(cfg).await(90, TimeUnit.SECONDS);
      String bootstrap = kafka.bootstrapServers();

      GapRecord gap =
          await().atMost(Duration.ofSeconds(60)).until(() -> gap(bootstrap), g -> g != null);
      assertThat(gap.from()).isEqualTo(twoDaysAgo);
      String oldMinute =
          Topics.candleKey(SYMBOL, Timeframe.M1, twoDaysAgo - Math.floorMod(twoDaysAgo, 60_000L));
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                Candle c = candles(bootstrap).get(oldMinute);
                return c != null && c.partial();
              });
      // the exchange's trades after the gap are folded too
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  candles(bootstrap).values().stream()
                      .anyMatch(
                          c ->
                              c.tf() == Timeframe.M1
                                  && c.openTime() >= gap.to()
                                  && c.trades() > 0));
      Map<String, Candle> candles = candles(bootstrap);
      assertThat(candles.get(oldMinute).trades())
          .as("the old trade's minute, now flagged")
          .isEqualTo(1);
      assertThat(
              candles.values().stream()
                  .filter(c -> c.tf() == Timeframe.M1 && c.openTime() >= gap.to()))
          .as("candles after the gap are whole")
          .noneMatch(Candle::partial);
      long oldMinuteStart = twoDaysAgo - Math.floorMod(twoDaysAgo, 60_000L);
      String rest =
          java.net.http.HttpClient.newHttpClient()
              .send(
                  java.net.http.HttpRequest.newBuilder(
                          java.net.URI.create(
                              "http://127.0.0.1:"
                                  + node.httpPort()
                                  + "/api/candles?symbol="
                                  + SYMBOL
                                  + "&tf=1m&from="
                                  + oldMinuteStart
                                  + "&to="
                                  + (oldMinuteStart + 59_999)))
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString())
              .body();
      assertThat(new io.vertx.core.json.JsonArray(rest).getJsonObject(0).getBoolean("partial"))
          .as("REST shows the flag: %s", rest)
          .isTrue();
      assertThat(
              candles.values().stream()
                  .filter(c -> c.tf() == Timeframe.S1 && c.openTime() == twoDaysAgo / 1000 * 1000))
          .allMatch(Candle::partial);
    } finally {
      if (node != null) {
        node.stop().await(30, TimeUnit.SECONDS);
      }
      kafka.stop();
    }
  }

  private static GapRecord gap(String bootstrap) {
    for (ConsumerRecord<String, byte[]> r : StackFixture.readAll(bootstrap, Topics.TRADES)) {
      if (SYMBOL.equals(r.key()) && TradeCodec.decode(r.value()) instanceof GapRecord g) {
        return g;
      }
    }
    return null;
  }

  private static Map<String, Candle> candles(String bootstrap) {
    Map<String, Candle> out = new HashMap<>();
    for (ConsumerRecord<String, byte[]> r : StackFixture.readAll(bootstrap, Topics.CANDLES)) {
      if (r.value() != null
          && r.key().startsWith(SYMBOL + "|")
          && !r.key().startsWith(SYMBOL + "|gap|")) { // gap spans are kept in candles too
        out.put(r.key(), CandleCodec.decode(r.value()));
      }
    }
    return out;
  }
}

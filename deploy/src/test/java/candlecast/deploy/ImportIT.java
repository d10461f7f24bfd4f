package candlecast.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import candlecast.common.Candle;
import candlecast.common.CandleCodec;
import candlecast.common.CandleSource;
import candlecast.common.Timeframe;
import candlecast.common.Topics;
import candlecast.common.config.CandlecastConfig;
import candlecast.common.config.Settings;
import candlecast.common.kafka.EmbeddedKafka;
import candlecast.common.kafka.KafkaTopics;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CSV bar import end to end on a single node (mock feed for BTCUSD): daily stock bars for a symbol
 * without trades over {@code POST /api/import} and the {@code aggregator.import} preload, 1m bars
 * whose coarser timeframes must equal an independent fold, malformed CSVs (400 naming the line,
 * nothing stored), bars over a symbol with trades (its trades windows win), and a restart.
 */
class ImportIT {
  private static final String AAPL_CSV =
      """
      Date,Open,High,Low,Close,Adj Close,Volume
      2024-01-02,187.15,188.44,183.89,185.64,184.29,82488700
      2024-01-03,184.22,185.88,183.43,184.25,182.91,58414500
      2024-01-04,182.15,183.09,180.88,181.91,180.59,71983600
      2024-01-05,181.99,182.76,180.17,181.18,179.86,62303300
      2024-01-08,182.09,185.60,181.50,185.56,184.21,59144500
      """;

  @TempDir Path dir;
  private final HttpClient http = HttpClient.newHttpClient();

  private CandlecastConfig config(String bootstrap, String preload) {
    return StackFixture.config(dir.resolve("node"))
        .with(Settings.KAFKA_BOOTSTRAP_SERVERS, bootstrap)
        .with(Settings.FEED_SYMBOLS, List.of("BTCUSD"))
        .with(Settings.AGGREGATOR_IMPORT, preload)
        .with(Settings.GATEWAY_INSTANCES, 1);
  }

  @Test
  void importsValidatesBuildsCoarserTimeframesAndSurvivesARestart() throws Exception {
    EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0);
    SingleNode node = null;
    try {
      String bootstrap = kafka.bootstrapServers();
      KafkaTopics.ensureTopicsBlocking(bootstrap, 2);
      Path preload = dir.resolve("msft.csv");
      Files.writeString(preload, AAPL_CSV);
      node = SingleNode.start(config(bootstrap, "MSFT:1d:" + preload)).await(90, TimeUnit.SECONDS);
      int port = node.httpPort();

      // the preload
      assertThat(
              await()
                  .atMost(Duration.ofSeconds(30))
                  .ignoreExceptions()
                  .until(() -> candles(port, "MSFT", "1d"), l -> !l.isEmpty()))
          .isEqualTo(expectedDaily("MSFT"));

      // daily stock bars over REST
      HttpResponse<String> r = post(port, "AAPL", "1d", AAPL_CSV);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      JsonObject reply = new JsonObject(r.body());
      assertThat(reply.getInteger("bars")).isEqualTo(5);
      assertThat(reply.getInteger("skipped")).isZero();
      assertThat(reply.getJsonObject("stored").getInteger("1d")).isEqualTo(5);
      assertThat(candles(port, "AAPL", "1d")).isEqualTo(expectedDaily("AAPL"));
      List<Candle> inTopic = topic(bootstrap, "AAPL", "1d");
      assertThat(inTopic).hasSize(5).allMatch(c -> c.src() == CandleSource.IMPORT);

      // 1m bars: every coarser timeframe equals an independent fold
      long t0 =
          LocalDate.parse("2024-02-28").atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
      String minutes = minuteCsv(t0, 3 * 1440 + 17);
      r = post(port, "XIMP", "1m", minutes);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      JsonObject stored = new JsonObject(r.body()).getJsonObject("stored");
      assertThat(stored.fieldNames()).contains("1m", "5m", "15m", "1h", "4h", "1d");
      List<Candle> bars = candles(port, "XIMP", "1m");
      assertThat(bars).hasSize(3 * 1440 + 17);
      for (String label : stored.fieldNames()) {
        Timeframe tf = Timeframe.parse(label);
        if (tf != Timeframe.M1) {
          assertThat(candles(port, "XIMP", label)).as(label).isEqualTo(oracleFold(tf, bars));
        }
      }

      // malformed: 400 naming the line, nothing stored
      r =
          post(
              port,
              "BADCSV",
              "1d",
              "Date,Open,High,Low,Close\n2024-01-02,1,2,0.5,1.5\n2024-01-03,x,2,0.5,1.5\n");
      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(new JsonObject(r.body()).getString("error"))
          .startsWith("line 3: Open must be a number");
      r = post(port, "BADCSV", "1d", "Open,High,Low,Close\n1,2,0.5,1.5\n");
      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(new JsonObject(r.body()).getString("error"))
          .startsWith("line 1: header must name");
      r = post(port, "BADCSV", "2d", AAPL_CSV);
      assertThat(r.statusCode()).isEqualTo(400);
      r = post(port, "BADCSV", "1d", "");
      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(get(port, "/api/candles?symbol=BADCSV&tf=1d").statusCode()).isEqualTo(404);
      assertThat(topic(bootstrap, "BADCSV", "1d")).isEmpty();

      // a symbol with trades: its trades windows win
      SingleNode n0 = node;
      List<Candle> tradesBefore =
          await()
              .atMost(Duration.ofSeconds(60))
              .ignoreExceptions()
              .until(() -> candles(n0.httpPort(), "BTCUSD", "1m"), l -> l.size() >= 2);
      long firstTrades = tradesBefore.get(0).openTime();
      String over = minuteCsv(firstTrades - 5 * 60_000L, 8);
      r = post(port, "BTCUSD", "1m", over);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(new JsonObject(r.body()).getInteger("skipped")).isEqualTo(3);
      List<Candle> after = candles(port, "BTCUSD", "1m");
      assertThat(after.subList(0, 5)).allMatch(c -> c.src() == CandleSource.IMPORT);
      // the trades candles are still the fold's (the open one may have grown meanwhile)
      for (int i = 0; i < 2; i++) {
        assertThat(after.get(5 + i).openTime()).isEqualTo(tradesBefore.get(i).openTime());
        assertThat(after.get(5 + i).fromTrades()).isTrue();
        assertThat(after.get(5 + i).trades()).isGreaterThanOrEqualTo(tradesBefore.get(i).trades());
      }
      assertThat(topic(bootstrap, "BTCUSD", "1m"))
          .filteredOn(c -> c.openTime() >= firstTrades)
          .allMatch(Candle::fromTrades);

      // a restart keeps the imported bars and their owner
      node.stop().await(30, TimeUnit.SECONDS);
      node = SingleNode.start(config(bootstrap, "")).await(90, TimeUnit.SECONDS);
      SingleNode n1 = node;
      assertThat(
              await()
                  .atMost(Duration.ofSeconds(30))
                  .ignoreExceptions()
                  .until(() -> candles(n1.httpPort(), "AAPL", "1d"), l -> !l.isEmpty()))
          .isEqualTo(expectedDaily("AAPL"));
    } finally {
      if (node != null) {
        node.stop().await(30, TimeUnit.SECONDS);
      }
      kafka.stop();
    }
  }

  private static List<Candle> expectedDaily(String symbol) {
    List<Candle> out = new ArrayList<>();
    for (String line : AAPL_CSV.strip().split("\n", -1)) {
      if (line.startsWith("Date")) {
        continue;
      }
      String[] f = line.split(",", -1);
      long t = LocalDate.parse(f[0]).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
      out.add(
          new Candle(
              symbol,
              Timeframe.D1,
              t,
              Double.parseDouble(f[1]),
              Double.parseDouble(f[2]),
              Double.parseDouble(f[3]),
              Double.parseDouble(f[4]),
              Double.parseDouble(f[6]),
              0,
              true,
              false,
              CandleSource.IMPORT));
    }
    return out;
  }

  /** {@code n} one-minute bars from {@code t0}, ISO date-times, a deterministic walk. */
  private static String minuteCsv(long t0, int n) {
    StringBuilder sb = new StringBuilder("Date,Open,High,Low,Close,Volume\n");
    double price = 100;
    for (int i = 0; i < n; i++) {
      double open = price;
      double close = 100 + ((i * 37) % 200) / 10.0;
      double high = Math.max(open, close) + (i % 7) / 4.0;
      double low = Math.min(open, close) - (i % 5) / 4.0;
      sb.append(Instant.ofEpochMilli(t0 + i * 60_000L))
          .append(
              String.format(
                  Locale.ROOT, ",%.2f,%.2f,%.2f,%.2f,%d%n", open, high, low, close, i % 13));
      price = Double.parseDouble(String.format(Locale.ROOT, "%.2f", close));
    }
    return sb.toString();
  }

  /** Groups the bars by window and folds them, independently of the aggregator. */
  private static List<Candle> oracleFold(Timeframe tf, List<Candle> bars) {
    TreeMap<Long, List<Candle>> groups = new TreeMap<>();
    for (Candle b : bars) {
      groups.computeIfAbsent(tf.windowStart(b.openTime()), k -> new ArrayList<>()).add(b);
    }
    List<Candle> out = new ArrayList<>();
    groups.forEach(
        (w, g) -> {
          double hi = g.stream().mapToDouble(Candle::high).max().orElseThrow();
          double lo = g.stream().mapToDouble(Candle::low).min().orElseThrow();
          double vol = 0;
          for (Candle c : g) {
            vol += c.volume();
          }
          out.add(
              new Candle(
                  g.get(0).symbol(),
                  tf,
                  w,
                  g.get(0).open(),
                  hi,
                  lo,
                  g.get(g.size() - 1).close(),
                  vol,
                  0,
                  true,
                  false,
                  CandleSource.IMPORT));
        });
    return out;
  }

  private HttpResponse<String> post(int port, String symbol, String tf, String csv)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(
                URI.create(
                    "http://127.0.0.1:" + port + "/api/import?symbol=" + symbol + "&tf=" + tf))
            .header("Content-Type", "text/csv")
            .POST(HttpRequest.BodyPublishers.ofString(csv))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private List<Candle> candles(int port, String symbol, String tf) throws Exception {
    HttpResponse<String> r =
        get(port, "/api/candles?symbol=" + symbol + "&tf=" + tf + "&limit=5000&from=0");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    List<Candle> out = new ArrayList<>();
    for (Object o : new JsonArray(r.body())) {
      JsonObject j = (JsonObject) o;
      Candle c = CandleCodec.fromJson(j);
      assertThat(j.containsKey("src")).isEqualTo(!c.fromTrades());
      out.add(c);
    }
    return out;
  }

  private static List<Candle> topic(String bootstrap, String symbol, String tf) {
    Map<String, Candle> out = new HashMap<>();
    for (ConsumerRecord<String, byte[]> r : StackFixture.readAll(bootstrap, Topics.CANDLES)) {
      if (r.value() != null && r.key().startsWith(symbol + "|" + tf + "|")) {
        out.put(r.key(), CandleCodec.decode(r.value()));
      }
    }
    return new ArrayList<>(new TreeMap<>(out).values());
  }
}

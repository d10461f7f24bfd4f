package candlecast.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import candlecast.common.config.CandlecastConfig;
import candlecast.common.config.Settings;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Page benchmark (not part of {@code mvn verify}: the name does not end in IT; run it with
 * bench/page/run.sh):
 *
 * <ol>
 *   <li>time from navigation to first candles drawn ({@code window.candlecast.firstCandlesMs}: the
 *       frame after the snapshots of every chart were handed to the chart), over repeated loads of
 *       a 1-chart and a 4-chart view;
 *   <li>the page's JS heap (after a forced GC, via the DevTools protocol) while 4 charts of 1 s
 *       candles update live for {@code bench.minutes} (default 10), sampled every {@code
 *       bench.sample-seconds} (default 60); another view with {@code bench.view} (e.g. {@code
 *       ?layout=4&charts=BTCUSD.1m,ETHUSD.1m,SOLUSD.1m,XRPUSD.1m}: replace-only updates).
 * </ol>
 *
 * The stack is the real single node (embedded Kafka, mock feed at {@code bench.rate} trades/s per
 * symbol, default 20) on a data directory seeded with one hour of trades. Results: stdout and
 * target/bench/page.json.
 */
class PageBench {
  static final List<String> SYMBOLS = List.of("BTCUSD", "ETHUSD", "SOLUSD", "XRPUSD");

  @TempDir Path tmp;

  @Test
  void firstCandlesAndHeapUnderLiveUpdates() throws Exception {
    int minutes = Integer.getInteger("bench.minutes", 10);
    int sampleSeconds = Integer.getInteger("bench.sample-seconds", 60);
    int loads = Integer.getInteger("bench.loads", 20);
    double rate = Double.parseDouble(System.getProperty("bench.rate", "20"));
    Path data = tmp.resolve("data");
    StackFixture.seedHistory(data, 2, SYMBOLS, Duration.ofHours(1), 1, Duration.ofMinutes(15), 5);
    CandlecastConfig cfg =
        StackFixture.config(data)
            .with(Settings.FEED_SYMBOLS, SYMBOLS)
            .with(Settings.MOCK_HISTORY_DAYS, 0)
            .with(Settings.FEED_RATE, rate);
    SingleNode node = SingleNode.start(cfg).await(120, TimeUnit.SECONDS);
    JsonObject out =
        new JsonObject()
            .put("rate", rate)
            .put("minutes", minutes)
            .put(
                "loadAverageAtStart",
                java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                    .getSystemLoadAverage());
    try (Browser browser = Browser.start(tmp, 1600, 900)) {
      String base = "http://127.0.0.1:" + node.httpPort();
      HttpClient http = HttpClient.newHttpClient();
      for (String sym : SYMBOLS) { // the aggregator has folded the seeded hour
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(250))
            .until(
                () -> {
                  HttpResponse<String> r =
                      http.send(
                          HttpRequest.newBuilder(
                                  URI.create(
                                      base + "/api/candles?symbol=" + sym + "&tf=1m&limit=100"))
                              .build(),
                          HttpResponse.BodyHandlers.ofString());
                  return r.statusCode() == 200 && new JsonArray(r.body()).size() >= 59;
                });
      }

      // 1. navigation -> first candles drawn
      for (String view :
          List.of(
              "?layout=1&charts=BTCUSD.1m",
              "?layout=4&charts=BTCUSD.1s,ETHUSD.1s,SOLUSD.1s,XRPUSD.1s")) {
        List<Long> ms = new ArrayList<>();
        for (int i = 0; i < loads; i++) {
          browser.open("about:blank");
          browser.open(base + "/" + view);
          await()
              .atMost(Duration.ofSeconds(20))
              .pollInterval(Duration.ofMillis(20))
              .until(
                  () ->
                      browser.jsLong("window.candlecast && window.candlecast.firstCandlesMs") > 0);
          ms.add(browser.jsLong("Math.round(window.candlecast.firstCandlesMs)"));
        }
        JsonObject stats = stats(ms);
        out.put("firstCandles " + view, stats);
        System.out.printf("first candles drawn, %s: %s ms%n", view, stats.encode());
      }

      // 2. heap while 4 charts of 1 s candles update for `minutes`
      String heapView =
          System.getProperty(
              "bench.view", "?layout=4&charts=BTCUSD.1s,ETHUSD.1s,SOLUSD.1s,XRPUSD.1s");
      out.put("heapView", heapView);
      browser.open("about:blank");
      browser.open(base + "/" + heapView);
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  "connected".equals(browser.jsString("window.candlecast.state"))
                      && browser.jsTrue("window.candlecast.charts.every(c => c.barCount() > 0)"));
      JsonArray samples = new JsonArray();
      long start = System.nanoTime();
      for (int k = 0; k <= minutes * 60 / sampleSeconds; k++) {
        long due = start + TimeUnit.SECONDS.toNanos((long) k * sampleSeconds);
        long wait = due - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(
              wait); // a benchmark's sampling clock, not a wait for a condition
        }
        long heap =
            Long.MAX_VALUE; // the smallest of three forced-GC readings: one reading swings by a few
        // MB
        for (int r = 0; r < 3; r++) {
          heap = Math.min(heap, browser.heapAfterGc());
        }
        long bars =
            browser.jsLong("window.candlecast.charts.reduce((n, c) => n + c.barCount(), 0)");
        long updates =
            browser.jsLong("window.candlecast.charts.reduce((n, c) => n + c.counters.updates, 0)");
        long domNodes = browser.jsLong("document.getElementsByTagName('*').length");
        JsonObject s =
            new JsonObject()
                .put("seconds", (System.nanoTime() - start) / 1_000_000_000L)
                .put("heapBytes", heap)
                .put("bars", bars)
                .put("updates", updates)
                .put("domNodes", domNodes)
                .put("state", browser.jsString("window.candlecast.state"));
        samples.add(s);
        System.out.println("heap sample " + s.encode());
      }
      out.put("heap", samples);
      JsonObject first = samples.getJsonObject(0);
      JsonObject last = samples.getJsonObject(samples.size() - 1);
      long growth = last.getLong("heapBytes") - first.getLong("heapBytes");
      long newBars = last.getLong("bars") - first.getLong("bars");
      long newUpdates = last.getLong("updates") - first.getLong("updates");
      JsonObject summary =
          new JsonObject()
              .put("heapStart", first.getLong("heapBytes"))
              .put("heapEnd", last.getLong("heapBytes"))
              .put("growthBytes", growth)
              .put("newBars", newBars)
              .put("updates", newUpdates)
              .put("bytesPerNewBar", newBars == 0 ? null : (double) growth / newBars)
              .put("bytesPerUpdate", newUpdates == 0 ? null : (double) growth / newUpdates);
      summary
          .put(
              "heapMin",
              samples.stream()
                  .mapToLong(o -> ((JsonObject) o).getLong("heapBytes"))
                  .min()
                  .orElse(0))
          .put(
              "heapMax",
              samples.stream()
                  .mapToLong(o -> ((JsonObject) o).getLong("heapBytes"))
                  .max()
                  .orElse(0))
          .put("slopeBytesPerMinute", slopePerMinute(samples));
      out.put("summary", summary);
      System.out.println("heap summary " + summary.encode());
      out.put("consoleErrors", new JsonArray(browser.consoleErrors()));
      out.put(
          "loadAverageAtEnd",
          java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    } finally {
      node.stop().await(30, TimeUnit.SECONDS);
    }
    Path dir = Path.of("target", "bench");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("page.json"), out.encodePrettily());
    assertThat(out.getJsonArray("consoleErrors")).as("browser console errors").isEmpty();
  }

  /** Least-squares slope of heapBytes over time, in bytes per minute. */
  private static double slopePerMinute(JsonArray samples) {
    int n = samples.size();
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (int i = 0; i < n; i++) {
      double x = samples.getJsonObject(i).getLong("seconds") / 60.0;
      double y = samples.getJsonObject(i).getLong("heapBytes");
      sx += x;
      sy += y;
      sxx += x * x;
      sxy += x * y;
    }
    double d = n * sxx - sx * sx;
    return d == 0 ? 0 : (n * sxy - sx * sy) / d;
  }

  private static JsonObject stats(List<Long> ms) {
    List<Long> s = new ArrayList<>(ms);
    Collections.sort(s);
    return new JsonObject()
        .put("n", s.size())
        .put("min", s.get(0))
        .put("median", s.get(s.size() / 2))
        .put("p90", s.get((int) Math.ceil(s.size() * 0.9) - 1))
        .put("max", s.get(s.size() - 1))
        .put("first", ms.get(0));
  }
}

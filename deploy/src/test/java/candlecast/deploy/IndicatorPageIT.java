package candlecast.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import candlecast.common.config.CandlecastConfig;
import candlecast.common.config.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Indicators on the page (issue 16) in a real headless Chromium against the real single-node stack
 * (embedded Kafka, mock feed, aggregator with the analysis engine, gateway with /ws): the page
 * draws what the server computes. Every check reads what the chart series hold ({@code
 * window.candlecast.charts[i].layer(key)}) and compares it with the server's values, asked with the
 * page's own access token ({@code window.candlecast.analysis}: GET /api/indicators), and with an
 * independent computation from the drawn candles where one is simple (SMA, MACD's histogram, RSI's
 * range).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IndicatorPageIT {
  private static final Logger LOG = LoggerFactory.getLogger(IndicatorPageIT.class);
  static final List<String> SYMBOLS = List.of("BTCUSD", "ETHUSD");
  static final Duration HISTORY = Duration.ofHours(24);
  static final String C0 = "window.candlecast.charts[0]";

  @TempDir static Path tmp;
  private SingleNode node;
  private Browser browser;
  private String base;

  @BeforeAll
  void startStackAndBrowser() throws Exception {
    Path data = tmp.resolve("data");
    StackFixture.seedHistory(data, 2, SYMBOLS, HISTORY, 1, Duration.ofMinutes(15), 5);
    CandlecastConfig cfg =
        StackFixture.config(data)
            .with(Settings.FEED_SYMBOLS, SYMBOLS)
            .with(Settings.MOCK_HISTORY_DAYS, 0)
            .with(Settings.FEED_RATE, 5.0);
    node = SingleNode.start(cfg).await(120, TimeUnit.SECONDS);
    base = "http://127.0.0.1:" + node.httpPort();
    browser = Browser.start(tmp, 1400, 900);
  }

  @AfterAll
  void stop() throws Exception {
    try {
      if (browser != null) {
        browser.close();
      }
    } finally {
      if (node != null) {
        node.stop().await(30, TimeUnit.SECONDS);
      }
    }
  }

  @BeforeEach
  void fresh() {
    browser.open("about:blank");
    browser.clearConsole();
  }

  @Test
  @Order(1)
  void overlayAndOscillatorPanesDrawTheServersValuesWithLegendNumbers() throws Exception {
    browser.open(base + "/?layout=1&charts=BTCUSD.1m&ind=sma:20,rsi:14,macd:12:26:9");
    awaitData("sma:20", "rsi:14", "macd:12:26:9");
    assertThat(browser.driver.getCurrentUrl()).endsWith("&ind=sma:20,rsi:14,macd:12:26:9");
    // The price pane, then RSI's pane, then MACD's.
    assertThat(browser.jsLong(C0 + ".panes()")).isEqualTo(3);
    assertThat(browser.jsLong(C0 + ".layer('sma:20').paneIndex")).isZero();
    assertThat(browser.jsLong(C0 + ".layer('rsi:14').paneIndex")).isEqualTo(1);
    assertThat(browser.jsLong(C0 + ".layer('macd:12:26:9').paneIndex")).isEqualTo(2);
    assertLegendNumbers(List.of("sma:20", "rsi:14", "macd:12:26:9"));

    assertDrawnEqualsServer("BTCUSD", "1m", "sma", Map.of("period", 20), "sma:20", "value");
    assertDrawnEqualsServer("BTCUSD", "1m", "rsi", Map.of("period", 14), "rsi:14", "value");
    assertSmaIsTheMeanOfTheDrawnCloses("sma:20", 20);
    Map<String, List<Map<String, Object>>> macd = drawn("macd:12:26:9");
    Map<Long, Double> line = byTime(macd.get("macd"));
    Map<Long, Double> signal = byTime(macd.get("signal"));
    for (Map<String, Object> h : macd.get("hist")) {
      long t = ((Number) h.get("time")).longValue();
      assertThat(num(h.get("value")))
          .as("hist = macd - signal at %d", t)
          .isCloseTo(line.get(t) - signal.get(t), Offset.offset(1e-9));
    }
    for (Map<String, Object> p : drawn("rsi:14").get("value")) {
      assertThat(num(p.get("value"))).isBetween(0.0, 100.0);
    }
    saveScreenshot("indicators.png");
    assertThat(browser.consoleErrors()).as("browser console errors").isEmpty();
  }

  @Test
  @Order(2)
  void livePointsReplaceTheProvisionalOneAndFollowTheCandles() {
    browser.open(base + "/?layout=1&charts=BTCUSD.1s&ind=ema:5");
    awaitData("ema:5");
    long updates = browser.jsLong(C0 + ".layer('ema:5').counters.updates");
    long lastBar = browser.jsLong(C0 + ".lastBar().time");
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                browser.jsLong(C0 + ".layer('ema:5').counters.updates") > updates + 3
                    && lastPointTime("ema:5") >= lastBar + 3);
    assertDrawnEqualsServer("BTCUSD", "1s", "ema", Map.of("period", 5), "ema:5", "value");
    assertThat(browser.consoleErrors()).isEmpty();
  }

  @Test
  @Order(3)
  void theMenuAddsEditsAndRemovesIndicatorsAndTheUrlFollows() {
    browser.open(base + "/?layout=1&charts=BTCUSD.1m&ind=rsi:14");
    awaitData("rsi:14");
    assertThat(browser.jsLong(C0 + ".panes()")).isEqualTo(2);
    WebElement menu = browser.driver.findElement(By.cssSelector(".pane[data-index='0'] .ind-menu"));
    menu.findElement(By.tagName("summary")).click();
    new Select(menu.findElement(By.cssSelector("select.ind-kind"))).selectByValue("bb");
    WebElement mult = menu.findElement(By.cssSelector(".ind-params input[name='mult']"));
    mult.clear();
    mult.sendKeys("2.5");
    menu.findElement(By.cssSelector("button.ind-add-btn")).click();
    awaitData("bb:20:2.5");
    await().until(() -> browser.driver.getCurrentUrl().endsWith("&ind=rsi:14,bb:20:2.5"));
    assertDrawnEqualsServer("BTCUSD", "1m", "bb", Map.of("mult", 2.5), "bb:20:2.5", "upper");

    // A refused value is named in the menu and changes nothing.
    WebElement period = menu.findElement(By.cssSelector(".ind-row[data-key='rsi:14'] input"));
    period.clear();
    period.sendKeys("0", Keys.TAB);
    await()
        .until(() -> menu.findElement(By.cssSelector(".ind-err")).getText().contains("1 to 500"));
    assertThat(browser.driver.getCurrentUrl()).endsWith("&ind=rsi:14,bb:20:2.5");
    // Editing a parameter replaces the indicator.
    period.clear();
    period.sendKeys("7", Keys.TAB);
    awaitData("rsi:7");
    await().until(() -> browser.driver.getCurrentUrl().endsWith("&ind=rsi:7,bb:20:2.5"));
    assertDrawnEqualsServer("BTCUSD", "1m", "rsi", Map.of("period", 7), "rsi:7", "value");
    // Removing the oscillator removes its pane.
    menu.findElement(By.cssSelector(".ind-row[data-key='rsi:7'] .ind-remove")).click();
    await().until(() -> browser.driver.getCurrentUrl().endsWith("&ind=bb:20:2.5"));
    assertThat(browser.jsLong(C0 + ".panes()")).isEqualTo(1);
    assertThat(browser.consoleErrors()).isEmpty();
  }

  @Test
  @Order(4)
  void patternMarkersAreTheServersDetectionsAndASymbolChangeRefetches() {
    browser.open(base + "/?layout=1&charts=BTCUSD.1m&ind=patterns:20,sma:10");
    awaitData("patterns:20", "sma:10");
    // Over the range the page's detections cover (its snapshot is the newest detections), the
    // markers
    // are exactly the server's detections.
    await()
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(300))
        .untilAsserted(
            () -> {
              List<String> shown = new ArrayList<>();
              for (Object m : (List<?>) drawn("patterns:20").get("markers")) {
                shown.add(String.valueOf(((Map<?, ?>) m).get("id")));
              }
              assertThat(shown).as("markers on 500 minutes of mock trades").isNotEmpty();
              long lo =
                  Math.max(browser.jsLong(C0 + ".drawn()[0].time") * 1000, msOf(shown.get(0)));
              long hi = msOf(shown.get(shown.size() - 1));
              List<String> expected = new ArrayList<>();
              for (Object o :
                  (List<?>)
                      analysis("BTCUSD", "1m", "patterns", Map.of("lookback", 20)).get("points")) {
                Map<?, ?> d = (Map<?, ?>) o;
                long t = ((Number) d.get("t")).longValue();
                if (t >= lo && t <= hi) {
                  expected.add(t + ":" + d.get("pattern"));
                }
              }
              List<String> inRange = shown.stream().filter(id -> msOf(id) >= lo).sorted().toList();
              assertThat(inRange).isEqualTo(expected.stream().sorted().toList());
            });

    new Select(
            browser.driver.findElement(By.cssSelector(".pane[data-index='0'] select.pane-symbol")))
        .selectByValue("ETHUSD");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> "ETHUSD".equals(browser.jsString(C0 + ".symbol")));
    awaitData("patterns:20", "sma:10");
    assertDrawnEqualsServer("ETHUSD", "1m", "sma", Map.of("period", 10), "sma:10", "value");
    assertThat(browser.consoleErrors()).isEmpty();
  }

  @Test
  @Order(5)
  void aReconnectResumesTheSeries() {
    browser.open(base + "/?layout=1&charts=BTCUSD.1m&ind=stoch:14:3");
    awaitData("stoch:14:3");
    await().atMost(Duration.ofSeconds(10)).until(() -> "connected".equals(state()));
    // the JS client resumes the series after a reconnect (counted in resumes), or delivers a new
    // snapshot
    String resumed =
        C0
            + ".layer('stoch:14:3').counters.snapshots + "
            + C0
            + ".layer('stoch:14:3').counters.resumes";
    long snapshots = browser.jsLong(resumed);
    browser.cdp("Network.enable", Map.of());
    try {
      offline(true);
      await().atMost(Duration.ofSeconds(15)).until(() -> "offline".equals(state()));
    } finally {
      offline(false);
      browser.cdp("Network.disable", Map.of());
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> "connected".equals(state()));
    await().atMost(Duration.ofSeconds(10)).until(() -> browser.jsLong(resumed) > snapshots);
    assertDrawnEqualsServer("BTCUSD", "1m", "stoch", Map.of("k", 14, "d", 3), "stoch:14:3", "k");
  }

  // ---- helpers ------------------------------------------------------------------------------

  private void awaitData(String... keys) {
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              if (!browser.jsTrue(
                  "window.candlecast && window.candlecast.charts.length > 0 && "
                      + C0
                      + ".barCount() > 0")) {
                return false;
              }
              for (String k : keys) {
                if (!browser.jsTrue("(" + C0 + ".layer('" + k + "') || {count: 0}).count > 0")) {
                  return false;
                }
              }
              return true;
            });
  }

  /** Every indicator's legend entry shows numbers (or pattern names), never only dashes. */
  private void assertLegendNumbers(List<String> keys) {
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              List<?> legend = (List<?>) browser.js("return " + C0 + ".legend()");
              assertThat(legend).hasSize(keys.size());
              for (int i = 0; i < keys.size(); i++) {
                Map<?, ?> e = (Map<?, ?>) legend.get(i);
                assertThat(e.get("key")).isEqualTo(keys.get(i));
                String text = String.valueOf(e.get("text"));
                int fields = keys.get(i).startsWith("macd") ? 3 : 1;
                assertThat(text.split(" "))
                    .as("legend of %s: %s", keys.get(i), text)
                    .hasSize(fields)
                    .allMatch(v -> v.matches("[-−]?[0-9,]+\\.[0-9]+"));
              }
            });
  }

  /**
   * The drawn line of {@code field} equals the server's values (GET /api/indicators), at every time
   * both have except the newest (the open candle's value moves on).
   */
  private void assertDrawnEqualsServer(
      String symbol, String tf, String name, Map<String, Object> params, String key, String field) {
    await()
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(300))
        .untilAsserted(
            () -> {
              Map<Long, Double> drawn = byTime(drawn(key).get(field));
              Map<?, ?> reply = analysis(symbol, tf, name, params);
              assertThat(reply.get("key")).isEqualTo(key);
              List<?> points = (List<?>) reply.get("points");
              assertThat(points).isNotEmpty();
              int compared = 0;
              for (int i = 0; i < points.size() - 1; i++) {
                Map<?, ?> p = (Map<?, ?>) points.get(i);
                long t = ((Number) p.get("t")).longValue() / 1000;
                if (drawn.containsKey(t)) {
                  assertThat(drawn.get(t))
                      .as("%s %s at %d", key, field, t)
                      .isEqualTo(num(p.get(field)));
                  compared++;
                }
              }
              assertThat(compared)
                  .as("points compared")
                  .isGreaterThan(Math.min(100, points.size() / 2));
            });
  }

  /** Retried briefly: a scroll-back may be widening the line meanwhile. */
  private void assertSmaIsTheMeanOfTheDrawnCloses(String key, int n) {
    await()
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(300))
        .untilAsserted(() -> smaIsTheMeanOfTheDrawnCloses(key, n));
  }

  private void smaIsTheMeanOfTheDrawnCloses(String key, int n) {
    List<?> bars = (List<?>) browser.js("return " + C0 + ".drawn()");
    Map<Long, Double> sma = byTime(drawn(key).get("value"));
    Object layerState =
        browser.js(
            "const l = "
                + C0
                + ".layer('"
                + key
                + "'); return JSON.stringify({limit: l.limit, count: l.count, counters: l.counters,"
                + " error: l.error, olderLoads: "
                + C0
                + ".counters.olderLoads})");
    for (int i = n - 1; i < bars.size() - 2; i++) {
      double sum = 0;
      for (int j = i - n + 1; j <= i; j++) {
        sum += num(((Map<?, ?>) bars.get(j)).get("close"));
      }
      long t = ((Number) ((Map<?, ?>) bars.get(i)).get("time")).longValue();
      assertThat(sma.get(t))
          .as(
              "%s at %d (bar %d of %d; the line has %d points from %s to %s; layer %s)",
              key,
              t,
              i,
              bars.size(),
              sma.size(),
              sma.keySet().stream().min(Long::compare).orElse(null),
              sma.keySet().stream().max(Long::compare).orElse(null),
              layerState)
          .isCloseTo(sum / n, Offset.offset(1e-6));
    }
  }

  private Map<?, ?> analysis(String symbol, String tf, String name, Map<String, Object> params) {
    Map<String, Object> body = new HashMap<>();
    body.put("symbol", symbol);
    body.put("tf", tf);
    body.put("name", name);
    body.put("params", params);
    body.put("limit", 5000);
    Object r =
        browser.driver.executeAsyncScript(
            "const done = arguments[arguments.length - 1];"
                + " window.candlecast.analysis(arguments[0]).then(done, e => done({error: e.message}));",
            body);
    Map<?, ?> m = (Map<?, ?>) r;
    assertThat(m.get("error")).as("the server's analysis over REST").isNull();
    return m;
  }

  @SuppressWarnings("unchecked")
  private Map<String, List<Map<String, Object>>> drawn(String key) {
    return (Map<String, List<Map<String, Object>>>)
        browser.js("return " + C0 + ".layer('" + key + "').drawn()");
  }

  private long lastPointTime(String key) {
    return browser.jsLong(
        "(" + C0 + ".layer('" + key + "').points().slice(-1)[0] || {time: -1}).time");
  }

  private static long msOf(String markerId) {
    return Long.parseLong(markerId.substring(0, markerId.indexOf(':')));
  }

  private static Map<Long, Double> byTime(List<Map<String, Object>> line) {
    Map<Long, Double> out = new HashMap<>();
    for (Map<String, Object> p : line) {
      out.put(((Number) p.get("time")).longValue(), num(p.get("value")));
    }
    return out;
  }

  private String state() {
    return browser.jsString("window.candlecast.state");
  }

  private void offline(boolean offline) {
    browser.cdp(
        "Network.emulateNetworkConditions",
        Map.of("offline", offline, "latency", 0, "downloadThroughput", -1, "uploadThroughput", -1));
  }

  private static double num(Object o) {
    return ((Number) o).doubleValue();
  }

  private void saveScreenshot(String name) throws Exception {
    Path dir = Path.of("target", "screenshots");
    Files.createDirectories(dir);
    Files.write(dir.resolve(name), browser.screenshot());
    LOG.info("screenshot {}", dir.resolve(name).toAbsolutePath());
  }
}

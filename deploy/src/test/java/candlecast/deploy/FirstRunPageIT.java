package candlecast.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import candlecast.common.Addresses;
import candlecast.common.Side;
import candlecast.common.Timeframe;
import candlecast.common.Trade;
import candlecast.common.config.CandlecastConfig;
import candlecast.common.config.Settings;
import candlecast.feed.MockHistory;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A newcomer's first run, in a real headless Chromium against the real single-node stack: the mock
 * writes its 30-day seeded history before going live (so the 1d chart opens with a month of bars,
 * equal to the oracle fold of the regenerated history), and a replay running alongside shows the
 * page's replay toolbar, whose buttons pause, start and re-pace it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FirstRunPageIT {
  private static final Logger LOG = LoggerFactory.getLogger(FirstRunPageIT.class);
  static final List<String> MOCK = List.of("BTCUSD", "ETHUSD");
  static final String REPLAYED = "RPLAYUSD";
  static final int DAYS = 30;
  static final long SEED = 1;

  @TempDir static Path tmp;
  private SingleNode node;
  private Browser browser;
  private String base;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  void startStackAndBrowser() throws Exception {
    long t0 = System.nanoTime();
    Path file = tmp.resolve("replay.csv");
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write("symbol,id,time,price,amount,side\n");
      long t = 1_700_000_000_000L;
      for (int i = 0; i < 20_000; i++) { // one trade a second: hours at speed 1
        w.write(
            REPLAYED
                + ","
                + (i + 1)
                + ","
                + (t + i * 1000L)
                + ","
                + (100 + i % 13)
                + ",0.5,"
                + (i % 2 == 0 ? Side.BUY : Side.SELL).name().toLowerCase(java.util.Locale.ROOT)
                + "\n");
      }
    }
    CandlecastConfig cfg =
        StackFixture.config(tmp.resolve("data"))
            .with(Settings.FEED_SOURCE, "replay")
            .with(Settings.FEED_SYMBOLS, List.of(REPLAYED))
            .with(Settings.REPLAY_FILE, file.toString())
            .with(Settings.REPLAY_SPEED, "1")
            .with(Settings.MOCK_SYMBOLS, MOCK)
            .with(Settings.MOCK_HISTORY_DAYS, DAYS)
            .with(Settings.MOCK_HISTORY_SEED, SEED)
            .with(Settings.FEED_RATE, 2.0);
    node = SingleNode.start(cfg).await(180, TimeUnit.SECONDS);
    base = "http://127.0.0.1:" + node.httpPort();
    // The aggregator folds the month of history: wait until both symbols' 1m candles reach the
    // live feed.
    for (String symbol : MOCK) {
      await()
          .atMost(Duration.ofMinutes(5))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> newest(symbol, "1m") > System.currentTimeMillis() - 120_000);
    }
    browser = Browser.start(tmp, 1400, 800);
    LOG.info(
        "first run: stack with {} days of mock history folded and browser ready in {} ms",
        DAYS,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
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

  @Test
  @Order(1)
  void theHistorysCandlesEqualTheOracleFoldOfTheRegeneratedTrades() throws Exception {
    JsonObject history =
        feedHealth().getJsonObject("sources").getJsonObject("mock").getJsonObject("history");
    long from = history.getLong("from");
    long to = history.getLong("to");
    assertThat(history.getJsonArray("symbols").getList()).isEqualTo(MOCK);
    List<Trade> trades =
        MockHistory.of(
            SEED, MOCK, Set.copyOf(Settings.MOCK_CURVE_SYMBOLS.defaultValue()), from, to);
    assertThat(history.getLong("trades")).isEqualTo(trades.size());
    List<String> differ = new java.util.ArrayList<>();
    for (String symbol : MOCK) {
      for (Timeframe tf : List.of(Timeframe.H1, Timeframe.D1)) {
        Map<Long, double[]> oracle = fold(trades, symbol, tf);
        JsonArray rest = candles(symbol, tf.label(), 5000);
        int compared = 0;
        for (int i = 0; i < rest.size(); i++) {
          JsonObject c = rest.getJsonObject(i);
          long t = c.getLong("t");
          if (t + tf.millis() > to) {
            continue; // holds live trades too
          }
          double[] o = oracle.get(t);
          if (o == null) {
            differ.add(symbol + " " + tf.label() + " " + t + ": not in the oracle: " + c.encode());
            continue;
          }
          if (!c.getBoolean("x")
              || c.getDouble("o") != o[0]
              || c.getDouble("h") != o[1]
              || c.getDouble("l") != o[2]
              || c.getDouble("c") != o[3]
              || Math.abs(c.getDouble("v") - o[4]) > 1e-6
              || c.getLong("n") != (long) o[5]) {
            differ.add(
                symbol
                    + " "
                    + tf.label()
                    + " "
                    + t
                    + ": "
                    + c.encode()
                    + " oracle "
                    + java.util.Arrays.toString(o));
          }
          compared++;
        }
        long whole = oracle.keySet().stream().filter(t -> t + tf.millis() <= to).count();
        assertThat(compared).as("%s %s windows compared", symbol, tf).isEqualTo(whole);
      }
    }
    assertThat(differ)
        .as("candles that differ from the oracle (from %d, to %d)", from, to)
        .isEmpty();
  }

  @Test
  @Order(2)
  void theFirstRunPageShowsAMonthOfBarsAt1d() {
    browser.open(base + "/?layout=1&charts=BTCUSD.1m");
    awaitReady();
    WebElement pane = browser.driver.findElement(By.cssSelector(".pane[data-index='0']"));
    pane.findElement(By.cssSelector("button[data-tf='1d']")).click();
    await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () ->
                "BTCUSD.1d"
                        .equals(
                            browser.jsString(
                                "window.candlecast.charts[0].symbol + '.' + window.candlecast.charts[0].tf"))
                    && readyNow());
    List<?> drawn = (List<?>) browser.js("return window.candlecast.charts[0].drawn()");
    assertThat(drawn.size()).as("1d bars drawn").isGreaterThanOrEqualTo(25);
    assertThat(browser.jsLong("window.candlecast.charts[0].barCount()")).isEqualTo(drawn.size());
    assertThat(browser.consoleErrors()).as("browser console errors").isEmpty();
  }

  @Test
  @Order(3)
  void theReplayToolbarShowsWhileAReplayRunsAndItsButtonsPauseStartAndRepaceIt() throws Exception {
    browser.open(base + "/?layout=1&charts=BTCUSD.1m");
    awaitReady();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> browser.jsTrue("window.candlecast.replay().visible"));
    assertThat(browser.jsString("window.candlecast.replay().state")).isEqualTo("running");
    WebElement bar = browser.driver.findElement(By.id("replay"));
    WebElement play = bar.findElement(By.cssSelector("[data-replay='play']"));

    play.click(); // pause
    await().atMost(Duration.ofSeconds(10)).until(() -> "paused".equals(replayState()));
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> "paused".equals(browser.jsString("window.candlecast.replay().state")));
    long position = status().getLong("position");
    // paused: the position holds still over two polls of the page
    await()
        .pollDelay(Duration.ZERO)
        .during(Duration.ofMillis(2_500))
        .atMost(Duration.ofSeconds(6))
        .until(() -> status().getLong("position") == position);

    play.click(); // start
    await().atMost(Duration.ofSeconds(10)).until(() -> "running".equals(replayState()));
    await().atMost(Duration.ofSeconds(10)).until(() -> status().getLong("position") > position);

    new Select(bar.findElement(By.cssSelector("[data-replay='speed']"))).selectByValue("50");
    await().atMost(Duration.ofSeconds(10)).until(() -> "50".equals(status().getString("speed")));
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> "50".equals(browser.jsString("window.candlecast.replay().speed")));
    assertThat(browser.consoleErrors()).as("browser console errors").isEmpty();
  }

  // ---------------------------------------------------------------------------------------------

  /** Independent OHLCV fold of one symbol's trades per window: {o, h, l, c, v, n}. */
  private static Map<Long, double[]> fold(List<Trade> trades, String symbol, Timeframe tf) {
    Map<Long, double[]> out = new TreeMap<>();
    for (Trade t : trades) {
      if (!t.symbol().equals(symbol)) {
        continue;
      }
      long w = Math.floorDiv(t.time(), tf.millis()) * tf.millis();
      double[] c = out.get(w);
      if (c == null) {
        out.put(w, new double[] {t.price(), t.price(), t.price(), t.price(), t.amount(), 1});
      } else {
        c[1] = Math.max(c[1], t.price());
        c[2] = Math.min(c[2], t.price());
        c[3] = t.price();
        c[4] += t.amount();
        c[5]++;
      }
    }
    return out;
  }

  private boolean readyNow() {
    return browser.jsTrue(
        "window.candlecast && window.candlecast.charts.length === 1"
            + " && window.candlecast.charts.every(c => c.barCount() > 0 && !c.busy)");
  }

  private void awaitReady() {
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .until(this::readyNow);
  }

  private String replayState() throws Exception {
    return status().getString("state");
  }

  private JsonObject status() throws Exception {
    return new JsonObject(get("/api/replay"));
  }

  private JsonObject feedHealth() throws Exception {
    return (JsonObject)
        node.vertx()
            .eventBus()
            .request(
                Addresses.health("feed"),
                new JsonObject(),
                new DeliveryOptions().setSendTimeout(5000))
            .await(10, TimeUnit.SECONDS)
            .body();
  }

  /** Open time of the symbol's newest candle at {@code tf}, or -1. */
  private long newest(String symbol, String tf) {
    try {
      JsonArray c = candles(symbol, tf, 1);
      return c.isEmpty() ? -1 : c.getJsonObject(c.size() - 1).getLong("t");
    } catch (Exception | AssertionError e) {
      return -1;
    }
  }

  private JsonArray candles(String symbol, String tf, int limit) throws Exception {
    return new JsonArray(get("/api/candles?symbol=" + symbol + "&tf=" + tf + "&limit=" + limit));
  }

  private String get(String path) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(10))
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new AssertionError("GET " + path + " -> " + r.statusCode() + " " + r.body());
    }
    return r.body();
  }
}

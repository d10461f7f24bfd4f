package candlecast.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import candlecast.common.Addresses;
import candlecast.common.config.CandlecastConfig;
import candlecast.common.config.Settings;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web page in a real headless Chromium against the real single-node stack (embedded Kafka, mock
 * feed, aggregator, gateway). The stack starts on a data directory seeded with a day of trades, so
 * every timeframe has history; the live mock feed continues from there. Every check reads what the
 * page's chart series actually hold ({@code window.candlecast}) and compares it with {@code
 * /api/candles}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PageIT {
  private static final Logger LOG = LoggerFactory.getLogger(PageIT.class);
  static final List<String> SYMBOLS = List.of("BTCUSD", "ETHUSD");
  static final Duration HISTORY = Duration.ofHours(24);
  static final int WIDTH = 1600;
  static final int HEIGHT = 900;

  @TempDir static Path tmp;
  private SingleNode node;
  private Browser browser;
  private String base;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  void startStackAndBrowser() throws Exception {
    long t0 = System.nanoTime();
    Path data = tmp.resolve("data");
    StackFixture.seedHistory(data, 2, SYMBOLS, HISTORY, 1, Duration.ofMinutes(15), 5);
    CandlecastConfig cfg =
        StackFixture.config(data)
            .with(Settings.FEED_SYMBOLS, SYMBOLS)
            .with(Settings.MOCK_HISTORY_DAYS, 0)
            .with(Settings.FEED_RATE, 5.0);
    node = SingleNode.start(cfg).await(120, TimeUnit.SECONDS);
    base = "http://127.0.0.1:" + node.httpPort();
    // The aggregator folds the seeded log on start: wait until both symbols have their day of 1m
    // candles.
    for (String s : SYMBOLS) {
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(250))
          .until(() -> candlesOrEmpty(s, "1m", null, null, 5000).size() >= HISTORY.toMinutes() - 1);
    }
    browser = Browser.start(tmp, WIDTH, HEIGHT);
    LOG.info(
        "stack with {} h of history and browser ready in {} ms",
        HISTORY.toHours(),
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

  @BeforeEach
  void freshViewport() {
    browser.resize(WIDTH, HEIGHT);
    browser.open("about:blank");
    browser.clearConsole();
  }

  // ---------------------------------------------------------------------------------------------------------------

  @Test
  @Order(1)
  void fourChartLayoutFromTheUrlLoadsWithoutErrorsDrawsEveryChartAndReloadsIdentically()
      throws Exception {
    String view =
        "?layout=4&charts=BTCUSD.1m,ETHUSD.5m,BTCUSD.1s,ETHUSD.15m&theme=dark&ind=sma:50,sma:200";
    browser.open(base + "/" + view);
    awaitReady(4);
    assertThat(browser.driver.getCurrentUrl()).isEqualTo(base + "/" + view);
    assertThat(browser.jsLong("window.candlecast.layout")).isEqualTo(4);
    List<String> charts = List.of("BTCUSD.1m", "ETHUSD.5m", "BTCUSD.1s", "ETHUSD.15m");
    assertThat(chartSeries()).isEqualTo(charts);
    for (int i = 0; i < 4; i++) {
      assertThat(browser.jsLong("window.candlecast.charts[" + i + "].barCount()"))
          .as("bars of chart %d", i)
          .isGreaterThan(0);
      assertMatchesHistory(i);
    }
    // 24 h of 1m bars: the snapshot holds the newest 500 (limit); the server's SMA lines cover
    // them.
    assertThat(browser.jsLong("window.candlecast.charts[0].barCount()")).isBetween(500L, 502L);
    assertSmaMatches(0, 50);
    assertSmaMatches(0, 200);
    long firstCandles = browser.jsLong("Math.round(window.candlecast.firstCandlesMs)");
    assertThat(firstCandles).as("navigation to first candles drawn (ms)").isPositive();
    LOG.info("4 charts, first candles drawn {} ms after navigation", firstCandles);
    saveScreenshot("page-4-charts.png", true);
    assertThat(browser.consoleErrors()).as("browser console errors").isEmpty();

    browser.driver.navigate().refresh();
    awaitReady(4);
    assertThat(browser.driver.getCurrentUrl()).isEqualTo(base + "/" + view);
    assertThat(chartSeries()).isEqualTo(charts);
    for (int i = 0; i < 4; i++) {
      assertMatchesHistory(i);
    }
    assertThat(browser.consoleErrors()).as("browser console errors after reload").isEmpty();
  }

  @Test
  @Order(2)
  void oneSecondChartReplacesItsLastBarAndAppendsNewOnesLive() {
    browser.open(base + "/?layout=1&charts=BTCUSD.1s");
    awaitReady(1);
    Map<?, ?> first = lastBar(0);
    long t0 = time(first);
    boolean[] replaced = {false};
    Map<?, ?>[] prev = new Map<?, ?>[] {first};
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              Map<?, ?> now = lastBar(0);
              if (time(now) == time(prev[0]) && !now.equals(prev[0])) {
                replaced[0] = true; // same time, new values: update() replaced the last bar
              }
              prev[0] = now;
              return replaced[0] && time(now) >= t0 + 3;
            });
    // What the series hold is what the store holds: the last drawn bar is the last bar.
    List<Map<String, Object>> drawn = drawn(0);
    Map<String, Object> lastDrawn = drawn.get(drawn.size() - 1);
    assertThat(((Number) lastDrawn.get("time")).longValue()).isGreaterThanOrEqualTo(t0 + 3);
    assertConsecutive(drawn, candlecast.common.Timeframe.S1);
    assertMatchesHistory(0);
    assertSmaMatches(0, 50);
    assertThat(browser.consoleErrors()).isEmpty();
  }

  @Test
  @Order(3)
  void switchingSymbolAndTimeframeLoadsThatHistoryAndUpdatesTheUrl() {
    browser.open(base + "/?layout=1&charts=BTCUSD.1m");
    awaitReady(1);
    WebElement pane = browser.driver.findElement(By.cssSelector(".pane[data-index='0']"));
    new Select(pane.findElement(By.cssSelector("select.pane-symbol"))).selectByValue("ETHUSD");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> "ETHUSD.1m".equals(chartSeries().get(0)) && ready(1));
    assertMatchesHistory(0);
    pane.findElement(By.cssSelector("button[data-tf='15m']")).click();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> "ETHUSD.15m".equals(chartSeries().get(0)) && ready(1));
    assertMatchesHistory(0);
    assertThat(browser.jsLong("window.candlecast.charts[0].barCount()"))
        .isBetween(HISTORY.toMinutes() / 15, HISTORY.toMinutes() / 15 + 3);
    assertThat(browser.driver.getCurrentUrl()).contains("charts=ETHUSD.15m");
    // The calendar timeframes are offered too: weeks and months (capital M) draw their history.
    for (String tf : List.of("1w", "1M")) {
      pane.findElement(By.cssSelector("button[data-tf='" + tf + "']")).click();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> ("ETHUSD." + tf).equals(chartSeries().get(0)) && ready(1));
      assertMatchesHistory(0);
      assertThat(browser.driver.getCurrentUrl()).contains("charts=ETHUSD." + tf);
    }
    // The live subscription follows: the old series is unsubscribed, the new one updates.
    assertThat(browser.consoleErrors()).isEmpty();
  }

  @Test
  @Order(4)
  void tickerStripShowsEverySymbolAndUpdatesLive() {
    browser.open(base + "/?layout=1&charts=BTCUSD.1m");
    awaitReady(1);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> tickerText("BTCUSD") != null && tickerText("ETHUSD") != null);
    String before = tickerText("BTCUSD");
    long updates = browser.jsLong("window.candlecast.tickerUpdates");
    await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () ->
                browser.jsLong("window.candlecast.tickerUpdates") > updates + 2
                    && !before.equals(tickerText("BTCUSD")));
    for (String s : SYMBOLS) {
      Map<?, ?> t = (Map<?, ?>) browser.js("return window.candlecast.tickers()[arguments[0]]", s);
      double change = ((Number) t.get("change")).doubleValue();
      Map<?, ?> text = (Map<?, ?>) t.get("text");
      assertThat(text.get("direction")).isEqualTo(change > 0 ? "up" : change < 0 ? "down" : "flat");
      WebElement el = browser.driver.findElement(By.cssSelector(".tick[data-symbol='" + s + "']"));
      assertThat(el.getAttribute("class")).contains((String) text.get("direction"));
      assertThat(el.findElement(By.className("t-pct")).getText()).endsWith("%");
    }
    // Clicking a ticker shows that symbol on the active chart.
    browser.driver.findElement(By.cssSelector(".tick[data-symbol='ETHUSD']")).click();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> "ETHUSD.1m".equals(chartSeries().get(0)) && ready(1));
    assertThat(browser.consoleErrors()).isEmpty();
  }

  @Test
  @Order(5)
  void historyLoadsOnScrollBack() {
    browser.open(base + "/?layout=1&charts=BTCUSD.1m&limit=100");
    awaitReady(1);
    awaitIdle(0);
    // 100 bars are narrower than the view, so older pages have already been loaded until the view
    // is full.
    long before = browser.jsLong("window.candlecast.charts[0].barCount()");
    long loads = browser.jsLong("window.candlecast.charts[0].counters.olderLoads");
    assertThat(before).isGreaterThanOrEqualTo(100);
    // Drag the chart to the right, i.e. scroll back in time, like a user with a mouse.
    WebElement canvasArea =
        browser.driver.findElement(By.cssSelector(".pane[data-index='0'] .pane-chart"));
    Actions drag = new Actions(browser.driver).moveToElement(canvasArea).clickAndHold();
    for (int i = 0; i < 10; i++) {
      drag = drag.moveByOffset(70, 0);
    }
    drag.release().perform();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                browser.jsLong("window.candlecast.charts[0].counters.olderLoads") > loads
                    && browser.jsLong("window.candlecast.charts[0].barCount()") >= before + 100);
    awaitIdle(0);
    assertMatchesHistory(0);
    assertThat(browser.jsLong("window.candlecast.charts[0].counters.fullLoads")).isEqualTo(1);
    assertThat(browser.consoleErrors()).isEmpty();
  }

  @Test
  @Order(6)
  void themeAndIndicatorsComeFromTheConfigAndTheUrlAndStayInTheUrl() throws Exception {
    JsonObject ui = new JsonObject(get("/api/ui-config"));
    // The older sma= still works, and is written back as ind=.
    browser.open(base + "/?layout=1&charts=BTCUSD.1m&theme=light&sma=50");
    awaitReady(1);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> browser.driver.getCurrentUrl().contains("&ind=sma:50"));
    assertThat(chartBackground())
        .isEqualTo(ui.getJsonObject("themes").getJsonObject("light").getString("background"));
    assertThat(browser.jsString("document.documentElement.dataset.theme")).isEqualTo("light");
    assertThat(browser.js("return window.candlecast.charts[0].indicators"))
        .isEqualTo(List.of("sma:50"));
    assertThat(browser.jsLong("window.candlecast.charts[0].smaData(200).length")).isZero();
    assertThat(browser.jsString("window.candlecast.charts[0].series.options().upColor"))
        .isEqualTo(ui.getJsonObject("themes").getJsonObject("light").getString("up"));

    // Add SMA 200 with the chart's indicator menu.
    WebElement menu = browser.driver.findElement(By.cssSelector(".pane[data-index='0'] .ind-menu"));
    menu.findElement(By.tagName("summary")).click();
    new Select(menu.findElement(By.cssSelector("select.ind-kind"))).selectByValue("sma");
    WebElement period = menu.findElement(By.cssSelector(".ind-params input[name='period']"));
    period.clear();
    period.sendKeys("200");
    menu.findElement(By.cssSelector("button.ind-add-btn")).click();
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> browser.driver.getCurrentUrl().contains("ind=sma:50,sma:200"));
    assertSmaMatches(0, 200);
    browser.driver.findElement(By.id("theme")).click();
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> browser.driver.getCurrentUrl().contains("theme=dark"));
    assertThat(chartBackground())
        .isEqualTo(ui.getJsonObject("themes").getJsonObject("dark").getString("background"));
    browser.driver.findElement(By.cssSelector("#layouts button[data-layout='2']")).click();
    awaitReady(2);
    assertThat(browser.driver.getCurrentUrl()).contains("layout=2&charts=BTCUSD.1m,");
    assertThat(browser.consoleErrors()).isEmpty();
  }

  @Test
  @Order(7)
  void phoneSizedScreenStacksTheChartsWithoutHorizontalScrolling() throws Exception {
    browser.resize(390, 844);
    browser.open(base + "/?layout=2&charts=BTCUSD.1m,ETHUSD.5m");
    awaitReady(2);
    assertThat(browser.jsLong("document.documentElement.scrollWidth")).isLessThanOrEqualTo(390);
    List<?> rects =
        (List<?>)
            browser.js(
                "return [...document.querySelectorAll('.pane')].map(p => {"
                    + "const r = p.getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; })");
    assertThat(rects).hasSize(2);
    List<?> a = (List<?>) rects.get(0);
    List<?> b = (List<?>) rects.get(1);
    assertThat(num(b.get(1)))
        .as("second chart below the first")
        .isGreaterThanOrEqualTo(num(a.get(1)) + num(a.get(3)));
    for (List<?> r : List.of(a, b)) {
      assertThat(num(r.get(0)) + num(r.get(2))).isLessThanOrEqualTo(390.5);
      assertThat(num(r.get(3))).isGreaterThanOrEqualTo(250);
    }
    saveScreenshot("page-phone.png", false);
    assertThat(browser.consoleErrors()).isEmpty();
  }

  @Test
  @Order(8)
  void browserOfflineShowsOfflineAndResumesWhenBackOnline() throws Exception {
    browser.open(base + "/?layout=1&charts=BTCUSD.1s");
    awaitReady(1);
    await().atMost(Duration.ofSeconds(10)).until(() -> "connected".equals(state()));
    long reloads = browser.jsLong("window.candlecast.charts[0].counters.fullLoads");
    browser.cdp("Network.enable", Map.of());
    try {
      networkOffline(true);
      await().atMost(Duration.ofSeconds(10)).until(() -> "offline".equals(state()));
      long last = time(lastBar(0));
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> newestHistoryTime("BTCUSD", "1s") >= (last + 3) * 1000);
    } finally {
      networkOffline(false);
      browser.cdp("Network.disable", Map.of());
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> "connected".equals(state()));
    awaitIdle(0);
    assertMatchesHistory(0);
    assertThat(browser.jsLong("window.candlecast.charts[0].counters.fullLoads"))
        .as("no full reload")
        .isEqualTo(reloads);
  }

  @Test
  @Order(9)
  void gatewayRestartShowsReconnectingThenResumesWithoutGapDuplicateOrReload() throws Exception {
    browser.open(base + "/?layout=2&charts=BTCUSD.1s,ETHUSD.1m");
    awaitReady(2);
    await().atMost(Duration.ofSeconds(10)).until(() -> "connected".equals(state()));
    long reloadsBefore0 = browser.jsLong("window.candlecast.charts[0].counters.fullLoads");
    long reloadsBefore1 = browser.jsLong("window.candlecast.charts[1].counters.fullLoads");
    long lastBefore = time(lastBar(0));

    node.stopGateway().await(30, TimeUnit.SECONDS);
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> "reconnecting".equals(state()));
    // While the gateway is down the page misses bars: wait until the aggregator has three newer 1s
    // candles.
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> newestHistoryTime("BTCUSD", "1s") >= (lastBefore + 3) * 1000);
    assertThat(time(lastBar(0)))
        .as("nothing arrives while the gateway is down")
        .isLessThanOrEqualTo(lastBefore + 1);

    node.startGateway().await(30, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(30)).until(() -> "connected".equals(state()));
    awaitIdle(0);
    awaitIdle(1);
    assertMatchesHistory(0);
    assertMatchesHistory(1);
    assertThat(browser.jsLong("window.candlecast.charts[0].counters.fullLoads"))
        .as("no full reload")
        .isEqualTo(reloadsBefore0);
    assertThat(browser.jsLong("window.candlecast.charts[1].counters.fullLoads"))
        .isEqualTo(reloadsBefore1);
    assertThat(browser.jsLong("window.candlecast.connects")).isGreaterThanOrEqualTo(2);
    // and live again afterwards
    long resumed = time(lastBar(0));
    await().atMost(Duration.ofSeconds(10)).until(() -> time(lastBar(0)) >= resumed + 2);
    assertMatchesHistory(0);
    // the trade feed resumed too: its rows are a contiguous stretch of the symbol's tape
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> browser.jsLong("window.candlecast.trades().rows.length") >= 10);
    assertTapeMatchesServer("BTCUSD");
  }

  @Test
  @Order(11)
  void tradeFeedAndOrderBookFillLiveBesideTheChartAndToggleInTheToolbar() throws Exception {
    browser.open(base + "/?layout=1&charts=ETHUSD.1m");
    awaitReady(1);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                browser.jsLong("window.candlecast.trades().rows.length") >= 10
                    && browser.jsLong("window.candlecast.book().shownBids") == 10
                    && browser.jsLong("window.candlecast.book().shownAsks") == 10);
    assertThat(browser.jsString("window.candlecast.trades().symbol")).isEqualTo("ETHUSD");
    long newest = browser.jsLong("window.candlecast.trades().rows[0].id");
    long seq = browser.jsLong("window.candlecast.book().seq");
    await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () ->
                browser.jsLong("window.candlecast.trades().rows[0].id") != newest
                    && browser.jsLong("window.candlecast.book().seq") > seq);
    assertThat(browser.jsLong("window.candlecast.trades().shown"))
        .isEqualTo(browser.jsLong("window.candlecast.trades().rows.length"))
        .isLessThanOrEqualTo(50);
    assertThat(browser.jsLong("window.candlecast.trades().counters.updates"))
        .as("rows arrive live")
        .isPositive();
    assertTapeMatchesServer("ETHUSD");
    List<WebElement> rows =
        browser.driver.findElements(By.cssSelector("#trades .tape .p-row:not([hidden])"));
    assertThat(rows.get(0).getAttribute("class")).matches("p-row (buy|sell)");
    assertThat(num(browser.js("return window.candlecast.book().spread"))).isPositive();
    assertThat(browser.jsString("window.candlecast.book().spreadText")).contains("%");
    List<?> bars =
        (List<?>)
            browser.js(
                "return [...document.querySelectorAll('#book .bids .bar')].map(b => b.style.width)");
    assertThat(bars).hasSize(10);
    assertThat(Double.parseDouble(String.valueOf(bars.get(9)).replace("%", "")))
        .as("cumulative depth grows outwards")
        .isGreaterThan(Double.parseDouble(String.valueOf(bars.get(0)).replace("%", "")));
    saveScreenshot("page-panels.png", true);

    // switching the chart's symbol moves the panels along; the toolbar hides the book, the URL
    // keeps it
    browser.driver.findElement(By.cssSelector(".tick[data-symbol='BTCUSD']")).click();
    await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () ->
                "BTCUSD".equals(browser.jsString("window.candlecast.trades().symbol"))
                    && browser.jsLong("window.candlecast.book().shownBids") == 10
                    && browser.jsLong("window.candlecast.trades().rows.length") >= 10);
    browser.driver.findElement(By.cssSelector("label:has(#panel-book)")).click();
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> browser.driver.getCurrentUrl().contains("panels=trades"));
    assertThat(browser.driver.findElement(By.id("book")).isDisplayed()).isFalse();
    browser.open(browser.driver.getCurrentUrl());
    awaitReady(1);
    assertThat(
            browser.jsTrue(
                "window.candlecast.panels.book === false && window.candlecast.panels.trades"))
        .isTrue();
    assertThat(browser.driver.findElement(By.id("book")).isDisplayed()).isFalse();
    assertThat(browser.consoleErrors()).isEmpty();

    // the raw protocol page, linked from the footer: sub-1s brings candle frames into its log
    browser.driver.findElement(By.id("ws-test-link")).click();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> browser.jsTrue("window.wsTest && window.wsTest.opens === 1"));
    WebElement symbol = browser.driver.findElement(By.id("symbol"));
    symbol.clear();
    symbol.sendKeys("ETHUSD");
    browser.driver.findElement(By.cssSelector("button[data-cmd='sub-1s']")).click();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                browser
                    .driver
                    .findElement(By.id("log"))
                    .getText()
                    .contains("\"type\":\"candle\",\"symbol\":\"ETHUSD\",\"tf\":\"1s\""));
    String log = browser.driver.findElement(By.id("log")).getText();
    assertThat(log)
        .contains("→ sub-1s:ETHUSD")
        .contains("\"type\":\"subscribed\",\"symbol\":\"ETHUSD\",\"tf\":\"1s\"");
    browser.driver.findElement(By.cssSelector("button[data-cmd='unsub']")).click();
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                browser
                    .driver
                    .findElement(By.id("log"))
                    .getText()
                    .contains("\"type\":\"unsubscribed\",\"count\":1"));
    saveScreenshot("ws-test.png", false);
    assertThat(browser.consoleErrors()).isEmpty();
  }

  @Test
  @Order(10)
  void withJwtAuthTheTokenInTheFragmentOrTheLoginPromptLetsThePageDrawLiveCandles()
      throws Exception {
    try (AuthGateway auth = AuthGateway.start(node)) {
      HttpResponse<String> refused =
          http.send(
              HttpRequest.newBuilder(URI.create(auth.base() + "/api/symbols")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(refused.statusCode()).as("this gateway wants a token").isEqualTo(401);
      String token = auth.token("page-it");

      browser.open(auth.base() + "/?layout=1&charts=BTCUSD.1s#access_token=" + token);
      awaitLive();
      assertThat(browser.driver.getCurrentUrl())
          .as("the token is out of the address bar")
          .startsWith(auth.base() + "/?layout=1&charts=BTCUSD.1s")
          .doesNotContain("access_token")
          .doesNotContain("#");
      assertThat(browser.jsString("sessionStorage.getItem('candlecast.accessToken')"))
          .isEqualTo(token);
      assertThat(browser.consoleErrors()).as("no request went out without the token").isEmpty();

      // without a stored token: the 401 brings up the login prompt, and the token typed there works
      // the same
      browser.js("sessionStorage.clear()");
      browser.open(auth.base() + "/?layout=1&charts=ETHUSD.1s");
      WebElement input =
          await()
              .atMost(Duration.ofSeconds(10))
              .ignoreExceptions()
              .until(
                  () -> browser.driver.findElement(By.cssSelector("dialog.login[open] input")),
                  e -> e.isDisplayed());
      input.sendKeys(token);
      browser.driver.findElement(By.cssSelector("dialog.login button[value='ok']")).click();
      awaitLive();
      assertThat(chartSeries()).containsExactly("ETHUSD.1s");
      assertThat(browser.jsString("sessionStorage.getItem('candlecast.accessToken')"))
          .isEqualTo(token);
    }
  }

  @Test
  @Order(12)
  void twoChartsOfTheSameSeriesShareOneStreamAndBothStayLive() throws Exception {
    // The server takes a series (and an indicator series) once per connection: the page shares one
    // stream between the charts showing it, and keeps it while either still does.
    browser.open(base + "/?layout=2&charts=BTCUSD.1s,BTCUSD.1s&ind=sma:5");
    awaitReady(2);
    await().atMost(Duration.ofSeconds(10)).until(() -> "connected".equals(state()));
    assertThat(chartSeries()).containsExactly("BTCUSD.1s", "BTCUSD.1s");
    long t0 = time(lastBar(0));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> time(lastBar(0)) >= t0 + 2 && time(lastBar(1)) >= t0 + 2);
    assertMatchesHistory(0);
    assertMatchesHistory(1);
    assertSmaMatches(0, 5);
    assertSmaMatches(1, 5);
    WebElement pane = browser.driver.findElement(By.cssSelector(".pane[data-index='0']"));
    new Select(pane.findElement(By.cssSelector("select.pane-symbol"))).selectByValue("ETHUSD");
    await().atMost(Duration.ofSeconds(10)).until(() -> ready(2));
    assertThat(chartSeries()).containsExactly("ETHUSD.1s", "BTCUSD.1s");
    long t1 = time(lastBar(1));
    await().atMost(Duration.ofSeconds(20)).until(() -> time(lastBar(1)) >= t1 + 2);
    assertMatchesHistory(1);
    assertSmaMatches(1, 5);
    assertThat(browser.jsString("window.candlecast.charts[1].message")).isEmpty();
    assertThat(browser.consoleErrors()).isEmpty();
  }

  // ---- page helpers
  // -------------------------------------------------------------------------------------------

  /**
   * The trade panel's rows (newest first) are the server's tape: the trades the server has after
   * the oldest row start with the panel's other rows, in order, each once (no gap, no duplicate).
   */
  private void assertTapeMatchesServer(String symbol) throws Exception {
    List<?> ids = (List<?>) browser.js("return window.candlecast.trades().rows.map(r => r.id)");
    List<Long> shown = new ArrayList<>();
    for (Object o : ids) {
      shown.add(((Number) o).longValue());
    }
    java.util.Collections.reverse(shown);
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        base
                            + "/api/trades?symbol="
                            + symbol
                            + "&limit=1000&since="
                            + shown.get(0)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    JsonArray after = new JsonArray(r.body());
    List<Long> server = new ArrayList<>();
    for (int i = 0; i < after.size() && server.size() < shown.size() - 1; i++) {
      server.add(after.getJsonObject(i).getLong("id"));
    }
    assertThat(server)
        .as("the panel's rows after its oldest")
        .isEqualTo(shown.subList(1, shown.size()));
  }

  /**
   * The first chart is drawn, the bus is connected, and live bars arrive (the last bar moves on
   * twice).
   */
  private void awaitLive() {
    awaitReady(1);
    await().atMost(Duration.ofSeconds(20)).until(() -> "connected".equals(state()));
    long t0 = time(lastBar(0));
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> time(lastBar(0)) >= t0 + 2);
    assertMatchesHistory(0);
  }

  /**
   * DevTools network emulation: the browser goes offline (navigator.onLine false, 'offline' event,
   * no requests).
   */
  private void networkOffline(boolean offline) {
    browser.cdp(
        "Network.emulateNetworkConditions",
        Map.of("offline", offline, "latency", 0, "downloadThroughput", -1, "uploadThroughput", -1));
  }

  private boolean ready(int charts) {
    return browser.jsTrue(
        "window.candlecast && window.candlecast.charts.length === "
            + charts
            + " && window.candlecast.charts.every(c => c.barCount() > 0 && !c.busy)");
  }

  private void awaitReady(int charts) {
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> ready(charts));
  }

  private void awaitIdle(int chart) {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> !browser.jsTrue("window.candlecast.charts[" + chart + "].busy"));
  }

  private String state() {
    return browser.jsString("window.candlecast.state");
  }

  private List<String> chartSeries() {
    List<?> l =
        (List<?>) browser.js("return window.candlecast.charts.map(c => c.symbol + '.' + c.tf)");
    List<String> out = new ArrayList<>();
    l.forEach(o -> out.add((String) o));
    return out;
  }

  private Map<?, ?> lastBar(int chart) {
    return (Map<?, ?>) browser.js("return window.candlecast.charts[" + chart + "].lastBar()");
  }

  @SuppressWarnings("unchecked")
  private List<Map<String, Object>> drawn(int chart) {
    return (List<Map<String, Object>>)
        browser.js("return window.candlecast.charts[" + chart + "].drawn()");
  }

  private String tickerText(String symbol) {
    return browser.jsString(
        "(window.candlecast.tickers()['" + symbol + "'] || {text: {}}).text.last || null");
  }

  private String chartBackground() {
    return browser.jsString("window.candlecast.charts[0].chart.options().layout.background.color");
  }

  private static long time(Map<?, ?> bar) {
    return bar == null ? -1 : ((Number) bar.get("time")).longValue();
  }

  private static double num(Object o) {
    return ((Number) o).doubleValue();
  }

  /**
   * The chart's drawn bars against /api/candles over the same time range: the same open times (so
   * no gap and no duplicate), consecutive windows, and the same O/H/L/C/V for every closed candle.
   * Retried briefly: a live update may land between reading the page and asking the server.
   */
  private void assertMatchesHistory(int chart) {
    await()
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(300))
        .untilAsserted(
            () -> {
              List<?> st =
                  (List<?>)
                      browser.js(
                          "const c = window.candlecast.charts["
                              + chart
                              + "]; return [c.symbol, c.tf]");
              String symbol = (String) st.get(0);
              String tf = (String) st.get(1);
              List<Map<String, Object>> drawn = drawn(chart);
              assertThat(drawn).isNotEmpty();
              long from = ((Number) drawn.get(0).get("time")).longValue();
              long to = ((Number) drawn.get(drawn.size() - 1).get("time")).longValue();
              JsonArray rest = candles(symbol, tf, from * 1000, to * 1000, 5000);
              List<Long> restTimes = new ArrayList<>();
              for (int i = 0; i < rest.size(); i++) {
                restTimes.add(rest.getJsonObject(i).getLong("t") / 1000);
              }
              List<Long> drawnTimes =
                  drawn.stream().map(b -> ((Number) b.get("time")).longValue()).toList();
              assertThat(drawnTimes)
                  .as("%s %s bar times vs /api/candles", symbol, tf)
                  .isEqualTo(restTimes);
              assertConsecutive(drawn, candlecast.common.Timeframe.parse(tf));
              for (int i = 0; i < rest.size(); i++) {
                JsonObject c = rest.getJsonObject(i);
                if (!c.getBoolean("x")) {
                  continue;
                }
                Map<String, Object> b = drawn.get(i);
                assertThat(
                        List.of(
                            num(b.get("open")),
                            num(b.get("high")),
                            num(b.get("low")),
                            num(b.get("close")),
                            num(b.get("volume"))))
                    .as("%s %s bar at %d", symbol, tf, c.getLong("t"))
                    .isEqualTo(
                        List.of(
                            c.getDouble("o"),
                            c.getDouble("h"),
                            c.getDouble("l"),
                            c.getDouble("c"),
                            c.getDouble("v")));
              }
            });
  }

  private static void assertConsecutive(
      List<Map<String, Object>> drawn, candlecast.common.Timeframe tf) {
    for (int i = 1; i < drawn.size(); i++) {
      long a = ((Number) drawn.get(i - 1).get("time")).longValue();
      long b = ((Number) drawn.get(i).get("time")).longValue();
      assertThat(b).as("bar after %d", a).isEqualTo(tf.windowEnd(a * 1000) / 1000);
    }
  }

  /**
   * The SMA line (the server's {@code sma:n}) equals the mean of the last n closes of the drawn
   * bars, point by point, at every bar from the n-th on (the newest two bars are left out: their
   * candle and indicator updates travel as separate messages).
   */
  private void assertSmaMatches(int chart, int n) {
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              List<?> both =
                  (List<?>)
                      browser.js(
                          "const c = window.candlecast.charts["
                              + chart
                              + "];"
                              + " return [c.drawn(), c.smaData("
                              + n
                              + ")]");
              List<?> bars = (List<?>) both.get(0);
              Map<Long, Double> sma = new java.util.HashMap<>();
              for (Object o : (List<?>) both.get(1)) {
                Map<?, ?> p = (Map<?, ?>) o;
                sma.put((long) num(p.get("time")), num(p.get("value")));
              }
              int checked = 0;
              for (int i = n - 1; i < bars.size() - 2; i++) {
                double sum = 0;
                for (int j = i - n + 1; j <= i; j++) {
                  sum += num(((Map<?, ?>) bars.get(j)).get("close"));
                }
                long t = (long) num(((Map<?, ?>) bars.get(i)).get("time"));
                assertThat(sma).as("SMA %d point at %d", n, t).containsKey(t);
                assertThat(sma.get(t))
                    .as("SMA %d at %d", n, t)
                    .isCloseTo(sum / n, org.assertj.core.data.Offset.offset(1e-6));
                checked++;
              }
              assertThat(checked).isPositive();
            });
  }

  // ---- server helpers
  // -----------------------------------------------------------------------------------------

  private String get(String path) throws IOException, InterruptedException {
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

  private JsonArray candles(String symbol, String tf, Long from, Long to, int limit)
      throws Exception {
    StringBuilder q =
        new StringBuilder("/api/candles?symbol=" + symbol + "&tf=" + tf + "&limit=" + limit);
    if (from != null) {
      q.append("&from=").append(from);
    }
    if (to != null) {
      q.append("&to=").append(to);
    }
    return new JsonArray(get(q.toString()));
  }

  private JsonArray candlesOrEmpty(String symbol, String tf, Long from, Long to, int limit) {
    try {
      return candles(symbol, tf, from, to, limit);
    } catch (Exception | AssertionError e) {
      return new JsonArray();
    }
  }

  /**
   * Open time (ms) of the newest candle the aggregator holds, asked over the event bus (works
   * without a gateway).
   */
  private long newestHistoryTime(String symbol, String tf) throws Exception {
    JsonObject reply =
        (JsonObject)
            node.vertx()
                .eventBus()
                .request(
                    Addresses.HISTORY,
                    new JsonObject().put("symbol", symbol).put("tf", tf).put("limit", 1),
                    new DeliveryOptions().setSendTimeout(2000))
                .await(5, TimeUnit.SECONDS)
                .body();
    JsonArray c = reply.getJsonArray("candles");
    return c.isEmpty() ? -1 : c.getJsonObject(c.size() - 1).getLong("t");
  }

  /**
   * Writes a screenshot to target/screenshots; the README's docs/screenshot.png is written when it
   * is missing or when -Dcandlecast.screenshot=update.
   */
  private void saveScreenshot(String name, boolean forReadme) throws IOException {
    byte[] png = browser.screenshot();
    Path dir = Path.of("target", "screenshots");
    Files.createDirectories(dir);
    Files.write(dir.resolve(name), png);
    if (forReadme) {
      Path docs =
          Path.of(System.getProperty("basedir", "."))
              .toAbsolutePath()
              .resolve("../docs")
              .normalize();
      Path readmeShot = docs.resolve("screenshot.png");
      if (Files.isDirectory(docs)
          && (!Files.exists(readmeShot)
              || "update".equals(System.getProperty("candlecast.screenshot")))) {
        Files.write(readmeShot, png);
      }
    }
  }
}

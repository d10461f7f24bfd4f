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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Alerts and notices on the page (issue 17) in a real headless Chromium against the real
 * single-node stack (embedded Kafka, mock feed, aggregator evaluating alerts, gateway with REST and
 * /ws): an alert made by dragging the chart's price line fires on the mock feed and the page shows
 * the server's fire (toast with the crossing trade's price, and a browser Notification, permission
 * granted over CDP); the form creates any kind and the panel deletes; a notice POSTed by the
 * operator shows the banner; a fire while the page is offline is shown on reconnect.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AlertPageIT {
  private static final Logger LOG = LoggerFactory.getLogger(AlertPageIT.class);
  static final List<String> SYMBOLS = List.of("BTCUSD", "ETHUSD");
  static final String OWNER = "alice.page";
  static final String A = "window.candlecast.alerts";

  @TempDir static Path tmp;
  private SingleNode node;
  private Browser browser;
  private String base;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  void startStackAndBrowser() throws Exception {
    Path data = tmp.resolve("data");
    StackFixture.seedHistory(data, 2, SYMBOLS, Duration.ofHours(1), 1, Duration.ofMinutes(5), 5);
    CandlecastConfig cfg =
        StackFixture.config(data)
            .with(Settings.FEED_SYMBOLS, SYMBOLS)
            .with(Settings.MOCK_HISTORY_DAYS, 0)
            .with(Settings.FEED_RATE, 40.0);
    node = SingleNode.start(cfg).await(120, TimeUnit.SECONDS);
    base = "http://127.0.0.1:" + node.httpPort();
    browser = Browser.start(tmp, 1400, 900);
    // The page may notify: granted like a user would, for this origin only.
    browser.cdp(
        "Browser.grantPermissions",
        Map.of("origin", base, "permissions", List.of("notifications")));
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
  void aLineDraggedOnTheChartBecomesAnAlertAndItsFireIsShownWithTheTradesPrice() throws Exception {
    // 1m: the price scale holds still while the line is dragged (on 1s every new bar may rescale
    // it).
    openPage("BTCUSD.1m");
    recordNotifications();
    String c = A + ".chart(0)";
    browser.driver.findElement(By.cssSelector(".pane[data-index='0'] .alert-add")).click();
    await().until(() -> browser.jsTrue(c + ".draft"));
    assertThat(browser.jsDouble(c + ".draft.level"))
        .as("the draft starts at the last price")
        .isPositive();

    // Drag the line 3 px up: a level about one trade's step (3 bp) away from the price, which the
    // walk crosses within seconds, and at worst within the wait below (a day-long trend aside).
    double scroll = browser.jsDouble("window.candlecast.chart.timeScale().scrollPosition()");
    WebElement chart =
        browser.driver.findElement(By.cssSelector(".pane[data-index='0'] .pane-chart"));
    int dy = -3;
    // A live chart may rescale while the pointer moves (a new bar with a new high or low): then
    // pixels and prices of the drag do not compare, and the drag is done again from where it is.
    double start;
    int y0;
    double scaleBefore;
    double scaleAfter;
    int attempt = 0;
    do {
      attempt++;
      start = browser.jsDouble(c + ".draft.level");
      scaleBefore = pricePerPixel();
      y0 = dragDraft(c, chart, dy);
      scaleAfter = pricePerPixel();
      LOG.info(
          "drag attempt {}: price per px {} before, {} after", attempt, scaleBefore, scaleAfter);
    } while (Math.abs(scaleAfter / scaleBefore - 1) > 0.2 && attempt < 4);
    double level = browser.jsDouble(c + ".draft.level");
    LOG.info(
        "drag from y {} (level {}) by {} px: {}, level {}",
        y0,
        start,
        dy,
        browser.jsJson(c + ".lastDrag"),
        level);
    // The pointer grabbed the line and the line followed it (the live chart may rescale a little
    // meanwhile: the level moved by about the dragged pixels).
    JsonObject lastDrag = new JsonObject(browser.jsJson(c + ".lastDrag"));
    assertThat(lastDrag.getDouble("from")).isEqualTo(start);
    assertThat(lastDrag.getInteger("moves")).isGreaterThanOrEqualTo(3);
    assertThat(lastDrag.getDouble("y")).isCloseTo(y0 + dy, within(1.5));
    double perPx = scaleAfter;
    // Up by about 3 px of today's scale (the live candle rescales the chart by a few px at times).
    assertThat((level - start) / perPx).as("pixels the level moved").isBetween(1.0, 12.0);
    assertThat(browser.jsDouble("window.candlecast.chart.timeScale().scrollPosition()"))
        .as("the chart did not pan while the line was dragged")
        .isCloseTo(scroll, within(0.5));

    // Every state the panel shows for a row, recorded as it happens (the alert may fire within
    // moments of its creation).
    browser.js(
        "window.__rowStates = []; new MutationObserver(() => document.querySelectorAll('#alerts .al-row')"
            + ".forEach(r => window.__rowStates.push(r.dataset.id + ':' + r.dataset.state)))"
            + ".observe(document.getElementById('alerts'), {subtree: true, childList: true});");
    double pagePrice = browser.jsDouble(c + ".lastPrice()");
    String paneAtCreation =
        browser.jsJson(
            "{counters: window.candlecast.charts[0].counters,"
                + " last: window.candlecast.charts[0].lastBar()}");
    new Actions(browser.driver).sendKeys(Keys.ENTER).perform();
    await().atMost(Duration.ofSeconds(15)).until(() -> browser.jsLong(A + ".alerts.length") == 1);
    JsonObject alert = new JsonObject(browser.jsJson(A + ".alerts[0]"));
    String id = alert.getString("id");
    String kind = alert.getJsonObject("condition").getString("kind");
    assertThat(alert.getJsonObject("condition").getDouble("level")).isEqualTo(level);
    assertThat(kind).isIn("price_above", "price_below");
    // The server has it for this owner (and not for another one).
    assertThat(ids(listAlerts(OWNER))).containsExactly(id);
    assertThat(ids(listAlerts("bob.page"))).doesNotContain(id);
    // Listed armed in the panel (opened by the creation) and drawn as a dashed line — unless the
    // walk crossed the level within moments: then the fire may reach the page before the creation's
    // reply, the row is listed fired at once and the line is gone; the server must then hold a
    // fire.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                browser.jsTrue(
                    "window.__rowStates.some(s => s === '"
                        + id
                        + ":armed' || s === '"
                        + id
                        + ":fired')"));
    assertThat(browser.driver.findElement(By.id("alerts")).isDisplayed()).isTrue();
    // line and state read in one script, so that a fire in between cannot tear them apart
    JsonObject drawn =
        new JsonObject(
            browser.jsJson(
                "(() => { const l = "
                    + c
                    + ".drawnLines().find(l => l.id === '"
                    + id
                    + "'); return l ? {style: l.style, level: l.level} : {gone: true}; })()"));
    if (browser.jsTrue("window.__rowStates.includes('" + id + ":armed')")
        && !drawn.containsKey("gone")) {
      assertThat(drawn.getInteger("style")).as("dashed").isEqualTo(2);
      assertThat(drawn.getDouble("level")).isEqualTo(level);
    } else {
      assertThat(getAlert(OWNER, id).getJsonArray("fires"))
          .as("listed fired at once or its line gone: the server recorded the fire")
          .isNotEmpty();
    }
    assertThat(browser.jsTrue(c + ".draft")).as("the draft line went").isFalse();
    assertThat(browser.jsString(A + ".permission")).isEqualTo("granted");

    // The walk crosses the level: the toast shows the server's fire. The walk may also wander off
    // (the price moved while the line was dragged, so the level can lie a few hundred away): then
    // no fire is the right answer, checked against the trades the market made since.
    try {
      await()
          .atMost(Duration.ofSeconds(150))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> browser.jsTrue(A + ".fires.some(f => f.alert === '" + id + "')"));
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      JsonObject server = getAlert(OWNER, id);
      LOG.warn(
          "no fire shown for {}: the page's last price at creation {} (chart {}); the server's"
              + " view {}; the page's state {}, fires {}",
          id,
          pagePrice,
          paneAtCreation,
          server,
          browser.jsString("window.candlecast.state"),
          browser.jsJson(A + ".fires"));
      assertThat(server.getJsonArray("fires")).as("a fire the page did not show").isEmpty();
      long from = server.getJsonObject("alert").getLong("createdAt") + 1000;
      // PROTOCOL "Alerts": price_above fires on a trade >= level whose previous trade was < level
      // (below: mirrored). A level the market already stood beyond when the line was let go is
      // crossed only once the market comes back across it.
      assertThat(crossings(tradesSince(from), level, "price_above".equals(kind)))
          .as("trades since the alert was armed that cross %s %s", kind, level)
          .isEmpty();
      return; // the market never crossed: the fire's display is not exercised by this run
    }
    JsonObject detail = getAlert(OWNER, id);
    JsonArray fires = detail.getJsonArray("fires");
    assertThat(fires).hasSize(1);
    JsonObject fire = fires.getJsonObject(0);
    double price = fire.getJsonObject("trade").getDouble("price");
    if ("price_above".equals(kind)) {
      assertThat(price).isGreaterThanOrEqualTo(level);
    } else {
      assertThat(price).isLessThanOrEqualTo(level);
    }
    String shown = String.format(Locale.US, "%,.2f", price);
    WebElement toast =
        browser.driver.findElement(
            By.cssSelector(".toast[data-fire='" + fire.getString("fire") + "']"));
    assertThat(toast.getText()).contains("BTCUSD").contains("at " + shown);
    assertThat(toast.getText())
        .contains(String.format(Locale.US, "%,.2f", level))
        .contains("price_above".equals(kind) ? "price above" : "price below");
    List<?> notes = (List<?>) browser.js("return window.__notifications");
    assertThat(notes).as("browser notifications constructed").hasSize(1);
    assertThat(String.valueOf(((Map<?, ?>) notes.get(0)).get("body"))).contains("at " + shown);
    await()
        .until(
            () ->
                browser.jsTrue(
                    A
                        + ".panel.some(r => r.id === '"
                        + id
                        + "' && r.fired && r.state === 'fired')"));
    assertThat(browser.jsLong(c + ".lines().length")).as("a fired alert's line goes").isZero();
    saveScreenshot("alert-fired.png");
    assertThat(browser.consoleErrors()).as("browser console errors").isEmpty();
  }

  @Test
  @Order(2)
  void theFormCreatesAnyKindRefusesBadValuesAndThePanelDeletes() throws Exception {
    openPage("BTCUSD.1m");
    showPanel();
    WebElement form = browser.driver.findElement(By.cssSelector("#alerts .alert-form"));
    form.findElement(By.tagName("summary")).click();
    new Select(form.findElement(By.cssSelector("select[name=kind]"))).selectByValue("rsi_above");
    new Select(form.findElement(By.cssSelector("select[name=tf]"))).selectByValue("5m");
    WebElement levelInput = form.findElement(By.cssSelector("input[name=level]"));
    levelInput.clear();
    levelInput.sendKeys("101");
    long before = listAlerts(OWNER).size();
    form.findElement(By.cssSelector("button.af-create")).click();
    await()
        .until(
            () ->
                form.findElement(By.cssSelector(".af-err"))
                    .getText()
                    .contains("level: must be 0 to 100"));
    assertThat(listAlerts(OWNER)).as("nothing sent").hasSize((int) before);

    levelInput.clear();
    levelInput.sendKeys("99");
    new Select(form.findElement(By.cssSelector("select[name=mode]"))).selectByValue("rearm");
    WebElement cooldown = form.findElement(By.cssSelector("input[name=cooldown]"));
    cooldown.clear();
    cooldown.sendKeys("120");
    form.findElement(By.cssSelector("input[name=note]")).sendKeys("overbought");
    form.findElement(By.cssSelector("button.af-create")).click();
    AtomicReference<JsonObject> created = new AtomicReference<>();
    await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () -> {
              for (Object o : listAlerts(OWNER)) {
                JsonObject a = (JsonObject) o;
                if ("rsi_above".equals(a.getJsonObject("condition").getString("kind"))) {
                  created.set(a);
                  return true;
                }
              }
              return false;
            });
    JsonObject a = created.get();
    assertThat(a.getJsonObject("condition").getMap())
        .containsEntry("tf", "5m")
        .containsEntry("period", 14);
    assertThat(a.getJsonObject("condition").getDouble("level")).isEqualTo(99.0);
    assertThat(a.getString("mode")).isEqualTo("rearm");
    assertThat(a.getLong("cooldownMs")).isEqualTo(120_000L);
    assertThat(a.getString("note")).isEqualTo("overbought");
    String id = a.getString("id");
    // The panel redraws its rows on every list refresh: each check finds the row afresh.
    By row = By.cssSelector("#alerts .al-row[data-id='" + id + "']");
    await()
        .atMost(Duration.ofSeconds(10))
        .ignoreExceptions()
        .untilAsserted(
            () ->
                assertThat(browser.driver.findElement(row).getText())
                    .contains("RSI(14) 5m above 99")
                    .contains("overbought")
                    .contains("armed"));
    await()
        .ignoreExceptions()
        .until(
            () -> {
              browser
                  .driver
                  .findElement(row)
                  .findElement(By.cssSelector("button.al-delete"))
                  .click();
              return true;
            });
    await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () ->
                browser
                    .driver
                    .findElements(By.cssSelector("#alerts .al-row[data-id='" + id + "']"))
                    .isEmpty());
    assertThat(ids(listAlerts(OWNER))).doesNotContain(id);
    assertThat(
            send(HttpRequest.newBuilder(uri("/api/alerts/" + id))
                    .header("X-Candlecast-Owner", OWNER)
                    .GET())
                .statusCode())
        .isEqualTo(404);
    assertThat(browser.consoleErrors()).isEmpty();
  }

  @Test
  @Order(3)
  void anOperatorNoticeShowsTheBannerAndASymbolsNoticeOnlyOnItsChart() throws Exception {
    openPage("BTCUSD.1m");
    String global =
        postNotice(
            new JsonObject()
                .put("text", "Maintenance at 22:00 UTC")
                .put("level", "warning")
                .put("link", "https://status.example.com/m"));
    String other =
        postNotice(
            new JsonObject()
                .put("text", "ETH deposits paused")
                .put("level", "critical")
                .put("symbol", "ETHUSD"));
    String mine =
        postNotice(new JsonObject().put("text", "BTC halving party").put("symbol", "BTCUSD"));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> banner(mine) != null && banner(global) != null);
    WebElement g = banner(global);
    assertThat(g.getText()).contains("Maintenance at 22:00 UTC");
    assertThat(g.getAttribute("class")).contains("notice-warning");
    assertThat(g.findElement(By.tagName("a")).getAttribute("href"))
        .isEqualTo("https://status.example.com/m");
    assertThat(banner(mine).getAttribute("class")).contains("notice-info");
    assertThat(banner(other)).as("ETHUSD's notice is not on a BTCUSD page").isNull();
    g.findElement(By.cssSelector(".notice-close")).click();
    await().until(() -> banner(global) == null);
    assertThat(banner(mine)).isNotNull();
    saveScreenshot("notice.png");
    assertThat(browser.consoleErrors()).isEmpty();
  }

  @Test
  @Order(4)
  void aFireWhileThePageIsOfflineIsShownOnReconnect() throws Exception {
    openPage("ETHUSD.1s");
    recordNotifications();
    long caughtUp = browser.jsLong(A + ".counters.caughtUp");
    browser.cdp("Network.enable", Map.of());
    String id;
    try {
      offline(true);
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> !"connected".equals(browser.jsString("window.candlecast.state")));
      id = armUntilFired();
    } finally {
      offline(false);
      browser.cdp("Network.disable", Map.of());
    }
    await()
        .atMost(Duration.ofSeconds(40))
        .until(() -> browser.jsTrue(A + ".fires.some(f => f.alert === '" + id + "')"));
    assertThat(browser.jsLong(A + ".counters.caughtUp")).isGreaterThan(caughtUp);
    JsonObject fire = getAlert(OWNER, id).getJsonArray("fires").getJsonObject(0);
    assertThat(
            browser
                .driver
                .findElement(By.cssSelector(".toast[data-fire='" + fire.getString("fire") + "']"))
                .getText())
        .contains(
            String.format(Locale.US, "at %,.2f", fire.getJsonObject("trade").getDouble("price")));
    // Once: a reload catches up again and shows nothing new.
    browser.open(base + "/?layout=1&charts=ETHUSD.1s&owner=" + OWNER);
    awaitConnected();
    assertThat(browser.jsLong(A + ".fires.length")).isZero();
  }

  /**
   * Creates, behind the page's back, a price_above alert a cent above the last trade (the next
   * up-tick fires it) and waits for its fire. A random walk may wander off instead and take long to
   * come back: then the alert is deleted and made again at the new price, a few times at most.
   * Returns the id of the alert that fired.
   */
  private String armUntilFired() throws Exception {
    for (int attempt = 1; ; attempt++) {
      double last = lastPrice("ETHUSD");
      JsonObject def =
          new JsonObject()
              .put("symbol", "ETHUSD")
              .put(
                  "condition",
                  new JsonObject().put("kind", "price_above").put("level", last + 0.01));
      String id = createAlert(OWNER, def).getString("id");
      try {
        await()
            .atMost(Duration.ofSeconds(20))
            .pollInterval(Duration.ofMillis(300))
            .until(() -> getAlert(OWNER, id).getJsonArray("fires").size() == 1);
        return id;
      } catch (org.awaitility.core.ConditionTimeoutException e) {
        if (!getAlert(OWNER, id).getJsonArray("fires").isEmpty()) {
          return id; // fired just now
        }
        if (attempt == 6) {
          throw e;
        }
        LOG.info("alert {} at {} not crossed in 20 s (attempt {}): made again", id, last, attempt);
        HttpResponse<String> r =
            send(
                HttpRequest.newBuilder(uri("/api/alerts/" + id))
                    .header("X-Candlecast-Owner", OWNER)
                    .DELETE());
        assertThat(r.statusCode()).as(r.body()).isIn(200, 204);
      }
    }
  }

  // ---- helpers ------------------------------------------------------------------------------

  private void openPage(String chart) {
    browser.open(base + "/?layout=1&charts=" + chart + "&owner=" + OWNER);
    awaitConnected();
  }

  /** Price per pixel of chart 0's price scale now, over the 10 px below the draft line. */
  private double pricePerPixel() {
    return browser.jsDouble(
        "(() => { const y = "
            + A
            + ".chart(0).draftY(); const s = window.candlecast.series;"
            + " return Math.abs(s.coordinateToPrice(y) - s.coordinateToPrice(y + 10)) / 10; })()");
  }

  private void awaitConnected() {
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                browser.jsTrue(
                    "window.candlecast && window.candlecast.state === 'connected'"
                        + " && window.candlecast.barCount() > 0 && "
                        + A
                        + ".counters.catchUps > 0"
                        + " && "
                        + A
                        + ".counters.refreshes > 0"
                        + " && window.candlecast.charts.every(c => c.counters.snapshots > 0)"));
  }

  /**
   * Drags chart 0's draft line by {@code dy} px once the chart holds still (its scroll-back loads
   * rescale it); tried again if the line moved between reading its height and pressing (a live
   * candle can rescale the chart at any time). Returns the height it was grabbed at.
   */
  private int dragDraft(String c, WebElement chart, int dy) {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> !browser.jsTrue("window.candlecast.charts[0].busy"));
    for (int attempt = 1; ; attempt++) {
      int y0 = (int) Math.round(browser.jsDouble(c + ".draftY()"));
      Actions drag =
          new Actions(browser.driver)
              .moveToElement(chart, -100, y0 - chart.getSize().getHeight() / 2)
              .clickAndHold();
      for (int i = 0; i < 3; i++) {
        drag = drag.moveByOffset(0, dy / 3);
      }
      drag.release().perform();
      if (browser.jsTrue(c + ".lastDrag") || attempt == 3) {
        return y0;
      }
      LOG.info("drag attempt {} missed the line at y {}", attempt, y0);
    }
  }

  /** Wraps window.Notification so the test sees every notification the page constructs. */
  private void recordNotifications() {
    browser.js(
        "window.__notifications = []; const N = window.Notification;"
            + " const W = function (title, opts) { window.__notifications.push({title, body: opts && opts.body});"
            + "   return new N(title, opts); };"
            + " Object.defineProperty(W, 'permission', {get: () => N.permission});"
            + " W.requestPermission = (...a) => N.requestPermission(...a);"
            + " window.Notification = W;");
  }

  private void showPanel() {
    WebElement chip = browser.driver.findElement(By.id("panel-alerts"));
    if (!chip.isSelected()) {
      browser.driver.findElement(By.cssSelector("label:has(#panel-alerts)")).click();
    }
    await().until(() -> browser.driver.findElement(By.id("alerts")).isDisplayed());
  }

  private WebElement banner(String id) {
    List<WebElement> l =
        browser.driver.findElements(By.cssSelector("#notices .notice[data-id='" + id + "']"));
    return l.isEmpty() ? null : l.get(0);
  }

  private JsonArray listAlerts(String owner) throws Exception {
    HttpResponse<String> r =
        send(HttpRequest.newBuilder(uri("/api/alerts")).header("X-Candlecast-Owner", owner).GET());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return new JsonObject(r.body()).getJsonArray("alerts");
  }

  /** Prices of BTCUSD's trades with time at or after {@code from}, oldest first (paged by id). */
  /** Prices of the trades that cross {@code level} (upward or downward) from the trade before. */
  static List<Double> crossings(List<Double> prices, double level, boolean upward) {
    List<Double> out = new java.util.ArrayList<>();
    for (int i = 1; i < prices.size(); i++) {
      double prev = prices.get(i - 1);
      double now = prices.get(i);
      if (upward ? prev < level && now >= level : prev > level && now <= level) {
        out.add(now);
      }
    }
    return out;
  }

  private List<Double> tradesSince(long from) throws Exception {
    List<Double> prices = new java.util.ArrayList<>();
    String query = "from=" + from;
    for (int page = 0; page < 20; page++) {
      HttpResponse<String> r =
          send(HttpRequest.newBuilder(uri("/api/trades?symbol=BTCUSD&limit=5000&" + query)).GET());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      JsonArray arr = new JsonArray(r.body());
      for (int k = 0; k < arr.size(); k++) {
        prices.add(arr.getJsonObject(k).getDouble("p"));
      }
      if (arr.size() < 5000) {
        break;
      }
      query = "since=" + arr.getJsonObject(arr.size() - 1).getLong("id");
    }
    return prices;
  }

  private JsonObject getAlert(String owner, String id) throws Exception {
    HttpResponse<String> r =
        send(
            HttpRequest.newBuilder(uri("/api/alerts/" + id))
                .header("X-Candlecast-Owner", owner)
                .GET());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return new JsonObject(r.body());
  }

  private JsonObject createAlert(String owner, JsonObject def) throws Exception {
    HttpResponse<String> r =
        send(
            HttpRequest.newBuilder(uri("/api/alerts"))
                .header("X-Candlecast-Owner", owner)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(def.encode())));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return new JsonObject(r.body());
  }

  private String postNotice(JsonObject notice) throws Exception {
    HttpResponse<String> r =
        send(
            HttpRequest.newBuilder(uri("/api/notices"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(notice.encode())));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    return new JsonObject(r.body()).getJsonObject("notice").getString("id");
  }

  private double lastPrice(String symbol) throws Exception {
    HttpResponse<String> r =
        send(HttpRequest.newBuilder(uri("/api/ticker?symbol=" + symbol)).GET());
    assertThat(r.statusCode()).isEqualTo(200);
    return new JsonObject(r.body()).getDouble("last");
  }

  private static List<String> ids(JsonArray alerts) {
    return alerts.stream().map(o -> ((JsonObject) o).getString("id")).toList();
  }

  private URI uri(String path) {
    return URI.create(base + path);
  }

  private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
    return http.send(
        b.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private void offline(boolean offline) {
    browser.cdp(
        "Network.emulateNetworkConditions",
        Map.of("offline", offline, "latency", 0, "downloadThroughput", -1, "uploadThroughput", -1));
  }

  private static org.assertj.core.data.Offset<Double> within(double d) {
    return org.assertj.core.data.Offset.offset(d);
  }

  private void saveScreenshot(String name) throws Exception {
    Path dir = Path.of("target", "screenshots");
    Files.createDirectories(dir);
    Files.write(dir.resolve(name), browser.screenshot());
    LOG.info("screenshot {}", dir.resolve(name).toAbsolutePath());
  }
}

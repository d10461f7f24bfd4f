package candlecast.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Each stream and query of the client against the real node; REST (asked directly) is the oracle.
 */
@ExtendWith(NodeExtension.class)
class StreamsIT {
  private static CandlecastClient client;
  private static Node node;

  @BeforeAll
  static void connect(Node n) throws Exception {
    node = n;
    client = CandlecastClient.builder(n.url()).token(Node.jwt("frank", false)).build();
    client.connect().get(30, TimeUnit.SECONDS);
  }

  @AfterAll
  static void close() {
    client.close();
  }

  @Test
  void tickerUpdatesAreTypedAndConsistent() throws Exception {
    Recorder<Ticker> r = new Recorder<>();
    Subscription<Ticker> s = client.ticker("BTCUSD", r);
    s.ready().get(20, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(20)).until(() -> r.items.size() >= 2);
    for (Ticker t : r.items) {
      assertThat(t.symbol()).isEqualTo("BTCUSD");
      assertThat(t.high()).isGreaterThanOrEqualTo(t.low());
      assertThat(t.change())
          .isCloseTo(t.last() - t.open24h(), org.assertj.core.data.Offset.offset(1e-6));
    }
    assertThat(r.items.get(0)).isNotEqualTo(r.items.get(1));
    s.close().get(10, TimeUnit.SECONDS);
  }

  @Test
  void booksAreWholeOrderedAndNewer() throws Exception {
    Recorder<Book> r = new Recorder<>();
    Subscription<Book> s = client.book("ETH-USD", 10, r);
    s.ready().get(20, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(20)).until(() -> r.items.size() >= 3);
    long seq = -1;
    for (Book b : r.items) {
      assertThat(b.symbol()).isEqualTo("ETHUSD");
      assertThat(b.seq()).isGreaterThan(seq);
      seq = b.seq();
      assertThat(b.bids()).hasSize(10);
      assertThat(b.asks()).hasSize(10);
      assertThat(b.bids().get(0).price()).isLessThan(b.asks().get(0).price());
      for (int i = 1; i < 10; i++) {
        assertThat(b.bids().get(i).price()).isLessThan(b.bids().get(i - 1).price());
        assertThat(b.asks().get(i).price()).isGreaterThan(b.asks().get(i - 1).price());
      }
    }
    s.close().get(10, TimeUnit.SECONDS);
  }

  @Test
  void indicatorPointsEqualTheRestIndicator() throws Exception {
    Recorder<IndicatorPoint> r = new Recorder<>();
    Subscription<IndicatorPoint> s =
        client.indicator("BTCUSD", "1s", "rsi", Map.of("period", 14), 50, r);
    s.ready().get(20, TimeUnit.SECONDS);
    assertThat(r.snapshots).hasSize(1);
    assertThat(r.snapshots.get(0).items()).isNotEmpty();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> r.items.stream().filter(IndicatorPoint::closed).count() >= 55);
    s.close().get(10, TimeUnit.SECONDS);
    List<IndicatorPoint> closed = new ArrayList<>();
    for (IndicatorPoint p : r.items) {
      if (p.closed()) {
        closed.add(p);
      }
    }
    long from = closed.get(0).t();
    long to = closed.get(closed.size() - 1).t();
    JsonNode arr =
        node.getJson(
            "/api/indicators?symbol=BTCUSD&tf=1s&name=rsi&period=14&from="
                + from
                + "&to="
                + to
                + "&limit=5000");
    List<Long> restTimes = new ArrayList<>();
    for (JsonNode p : arr) {
      restTimes.add(p.get("t").asLong());
    }
    assertThat(closed).extracting(IndicatorPoint::t).containsExactlyElementsOf(restTimes);
    for (int i = 0; i < closed.size(); i++) {
      assertThat(closed.get(i).key()).isEqualTo("rsi:14");
      assertThat(closed.get(i).values().get("value")).isEqualTo(arr.get(i).get("value").asDouble());
    }
  }

  @Test
  void alertFiresArriveOnceAndEqualTheRestLog() throws Exception {
    Recorder<AlertFire> r = new Recorder<>();
    Subscription<AlertFire> s = client.alerts(null, r);
    s.ready().get(20, TimeUnit.SECONDS);
    JsonNode alert =
        client
            .createAlert(
                Map.of(
                    "symbol",
                    "ETHUSD",
                    "condition",
                    Map.of("kind", "move_up", "pct", 0.0001, "window", "5s"),
                    "mode",
                    "rearm",
                    "cooldownMs",
                    2000))
            .get(20, TimeUnit.SECONDS);
    String id = alert.get("id").asText();
    await().atMost(Duration.ofSeconds(30)).until(() -> r.items.size() >= 2);
    List<String> streamed = new ArrayList<>();
    for (AlertFire f : List.copyOf(r.items)) {
      assertThat(f.alert()).isEqualTo(id);
      assertThat(f.owner()).isEqualTo("frank");
      assertThat(f.symbol()).isEqualTo("ETHUSD");
      streamed.add(f.fire());
    }
    assertThat(streamed).doesNotHaveDuplicates();
    // oracle: the owner's fire log over REST (fires come at most every 2 s: the two lists meet
    // between fires)
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              HttpResponse<String> log = node.get("/api/alerts/fires?since=0&limit=500", "frank");
              assertThat(log.statusCode()).as(log.body()).isEqualTo(200);
              List<String> logged = new ArrayList<>();
              for (JsonNode f : Node.JSON.readTree(log.body()).get("fires")) {
                if (f.get("alert").asText().equals(id)) {
                  logged.add(f.get("fire").asText());
                }
              }
              List<String> now = new ArrayList<>();
              r.items.forEach(f -> now.add(f.fire()));
              assertThat(now).containsExactlyElementsOf(logged);
            });
    client.deleteAlert(id).get(10, TimeUnit.SECONDS);
    s.close().get(10, TimeUnit.SECONDS);
  }

  @Test
  void operatorNoticesReachTheListener() throws Exception {
    List<Notice> notices = new CopyOnWriteArrayList<>();
    Runnable off = client.onNotice(notices::add);
    String text = "java client notice " + System.nanoTime();
    HttpResponse<String> r =
        node.postAsOperator("/api/notices", "{\"text\":\"" + text + "\",\"level\":\"warning\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    String id = Node.JSON.readTree(r.body()).get("notice").get("id").asText();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> notices.stream().anyMatch(n -> n.text().equals(text)));
    Notice n = notices.stream().filter(x -> x.text().equals(text)).findFirst().orElseThrow();
    assertThat(n.id()).isEqualTo(id);
    assertThat(n.level()).isEqualTo("warning");
    off.run();
  }

  @Test
  void thePublisherYieldsTheSnapshotThenContiguousUpdates() throws Exception {
    List<StreamEvent<Candle>> events = new CopyOnWriteArrayList<>();
    Subscription<Candle> s = client.candles("ETHUSD", "1s");
    s.subscribe(
        new Flow.Subscriber<StreamEvent<Candle>>() {
          @Override
          public void onSubscribe(Flow.Subscription sub) {
            sub.request(Long.MAX_VALUE);
          }

          @Override
          public void onNext(StreamEvent<Candle> item) {
            events.add(item);
          }

          @Override
          public void onError(Throwable t) {}

          @Override
          public void onComplete() {}
        });
    s.ready().get(20, TimeUnit.SECONDS);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                events.stream()
                        .filter(e -> e instanceof StreamEvent.Update<Candle> u && u.item().closed())
                        .count()
                    >= 3);
    s.close().get(10, TimeUnit.SECONDS);
    assertThat(events.get(0)).isInstanceOf(StreamEvent.Snapshot.class);
    StreamEvent.Snapshot<Candle> snap = (StreamEvent.Snapshot<Candle>) events.get(0);
    assertThat(snap.recovered()).isNull();
    List<Candle> all = new ArrayList<>(snap.items());
    for (StreamEvent<Candle> e : events.subList(1, events.size())) {
      all.add(((StreamEvent.Update<Candle>) e).item());
    }
    Oracle.assertContiguousAndEqual(node, "ETHUSD", Recorder.closed(all));
  }

  @Test
  void historyPagesBackwardsAndEqualsRawRest() throws Exception {
    long to = (System.currentTimeMillis() / 1000 - 30) * 1000;
    long from = to - 6999 * 1000L;
    List<Candle> got =
        client
            .history()
            .candles("BTCUSD", "1s", HistoryQuery.range(from, to))
            .get(30, TimeUnit.SECONDS);
    assertThat(got).hasSize(7000);
    JsonNode newer =
        node.getJson("/api/candles?symbol=BTCUSD&tf=1s&limit=5000&from=" + from + "&to=" + to);
    long olderTo = newer.get(0).get("t").asLong() - 1;
    JsonNode older =
        node.getJson("/api/candles?symbol=BTCUSD&tf=1s&limit=5000&from=" + from + "&to=" + olderTo);
    List<JsonNode> raw = new ArrayList<>();
    older.forEach(raw::add);
    newer.forEach(raw::add);
    assertThat(raw).hasSize(7000);
    for (int i = 0; i < raw.size(); i++) {
      Candle c = got.get(i);
      assertThat(c.t()).isEqualTo(from + i * 1000L);
      assertThat(c.t()).isEqualTo(raw.get(i).get("t").asLong());
      assertThat(c.close()).isEqualTo(raw.get(i).get("c").asDouble());
      assertThat(c.trades()).isEqualTo(raw.get(i).get("n").asLong());
    }
    List<Candle> last =
        client
            .history()
            .candles("BTCUSD", "1s", new HistoryQuery(null, to, 6000, null, null))
            .get(30, TimeUnit.SECONDS);
    assertThat(last).hasSize(6000);
    assertThat(last.get(5999).t()).isEqualTo(to);
    assertThat(last.get(0).t()).isEqualTo(to - 5999 * 1000L);
  }

  @Test
  void historyBatchGivesEachSymbolItsCandlesOrItsError() throws Exception {
    long to = (System.currentTimeMillis() / 60_000 - 2) * 60_000;
    long from = to - 49 * 60_000L;
    List<JsonNode> progress = new CopyOnWriteArrayList<>();
    BatchResult res =
        client
            .history()
            .batch(
                List.of("BTCUSD", "eth-usd", "NOPEUSD"),
                "1m",
                HistoryQuery.range(from, to),
                progress::add)
            .get(30, TimeUnit.SECONDS);
    assertThat(res.candles().keySet()).containsExactlyInAnyOrder("BTCUSD", "ETHUSD");
    assertThat(res.errors().get("NOPEUSD").code()).isEqualTo("unknown_symbol");
    assertThat(progress)
        .filteredOn(f -> f.get("type").asText().equals("batch_progress"))
        .hasSize(3);
    for (String sym : List.of("BTCUSD", "ETHUSD")) {
      JsonNode raw =
          node.getJson("/api/candles?symbol=" + sym + "&tf=1m&from=" + from + "&to=" + to);
      List<Candle> got = res.candles().get(sym);
      assertThat(got).hasSize(raw.size()).hasSize(50);
      for (int i = 0; i < got.size(); i++) {
        assertThat(got.get(i).t()).isEqualTo(raw.get(i).get("t").asLong());
        assertThat(got.get(i).volume()).isEqualTo(raw.get(i).get("v").asDouble());
      }
    }
  }

  @Test
  void restTradesEqualTheRawAnswer() throws Exception {
    JsonNode newest = node.getJson("/api/trades?symbol=BTCUSD&limit=300");
    long since = newest.get(0).get("id").asLong();
    List<Trade> got = client.history().trades("BTCUSD", 100, since, null).get(10, TimeUnit.SECONDS);
    JsonNode raw = node.getJson("/api/trades?symbol=BTCUSD&limit=100&since=" + since);
    assertThat(got).hasSize(raw.size()).hasSize(100);
    for (int i = 0; i < got.size(); i++) {
      assertThat(got.get(i).id()).isEqualTo(raw.get(i).get("id").asLong());
      assertThat(got.get(i).price()).isEqualTo(raw.get(i).get("p").asDouble());
    }
  }
}

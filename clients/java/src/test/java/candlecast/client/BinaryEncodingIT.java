package candlecast.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 20 against the real node: one client with the JSON encoding and one with the binary
 * encoding receive the same live streams; every candle, trade and book both received (the same
 * update of the same stream) is the same model.
 */
@ExtendWith(NodeExtension.class)
class BinaryEncodingIT {
  private static CandlecastClient json;
  private static CandlecastClient binary;

  @BeforeAll
  static void connect(Node n) throws Exception {
    json = CandlecastClient.builder(n.url()).token(Node.jwt("jay", false)).build();
    binary =
        CandlecastClient.builder(n.url()).token(Node.jwt("bea", false)).encoding("binary").build();
    json.connect().get(30, TimeUnit.SECONDS);
    binary.connect().get(30, TimeUnit.SECONDS);
  }

  @AfterAll
  static void close() {
    json.close();
    binary.close();
  }

  /** The items of both recorders with the same key: at least {@code min} of them, all equal. */
  private static <T, K> void sameWhereBoth(
      Recorder<T> a, Recorder<T> b, Function<T, K> key, int min, String what) {
    await().atMost(Duration.ofSeconds(60)).until(() -> common(a.items, b.items, key).size() >= min);
    // one snapshot of each: the streams go on while this compares (keys taken from a later b than
    // the map once named an item the map did not hold)
    List<T> as = List.copyOf(a.items);
    List<T> bs = List.copyOf(b.items);
    Map<K, T> inB = bs.stream().collect(Collectors.toMap(key, x -> x, (x, y) -> y));
    List<K> keys = common(as, bs, key);
    for (T x : as) {
      K k = key.apply(x);
      if (keys.contains(k)) {
        assertThat(inB.get(k)).as(what + " " + k).isEqualTo(x);
      }
    }
  }

  private static <T, K> List<K> common(List<T> a, List<T> b, Function<T, K> key) {
    var bk = b.stream().map(key).collect(Collectors.toSet());
    return a.stream().map(key).filter(bk::contains).distinct().toList();
  }

  @Test
  void candlesTradesAndBooksAreTheSameModelsInBothEncodings() throws Exception {
    Recorder<Candle> cj = new Recorder<>();
    Recorder<Candle> cb = new Recorder<>();
    Recorder<Trade> tj = new Recorder<>();
    Recorder<Trade> tb = new Recorder<>();
    Recorder<Book> bj = new Recorder<>();
    Recorder<Book> bb = new Recorder<>();
    List<Subscription<?>> subs =
        List.of(
            json.candles("BTCUSD", "1s", cj),
            binary.candles("BTCUSD", "1s", cb),
            json.trades("BTCUSD", 0, tj),
            binary.trades("BTCUSD", 0, tb),
            json.book("BTCUSD", 10, bj),
            binary.book("BTCUSD", 10, bb));
    for (Subscription<?> s : subs) {
      s.ready().get(30, TimeUnit.SECONDS);
    }
    // a candle version is (open time, trade count, closed); the newest versions both saw are equal
    sameWhereBoth(cj, cb, c -> c.t() + "/" + c.trades() + "/" + c.closed(), 5, "candle");
    sameWhereBoth(tj, tb, Trade::id, 20, "trade");
    sameWhereBoth(bj, bb, Book::seq, 3, "book");
    assertThat(bb.items).allSatisfy(b -> assertThat(b.bids()).hasSize(10));
    for (Subscription<?> s : subs) {
      s.close().get(10, TimeUnit.SECONDS);
    }
  }
}

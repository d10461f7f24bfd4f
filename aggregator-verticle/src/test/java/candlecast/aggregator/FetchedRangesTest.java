package candlecast.aggregator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import candlecast.common.DecodeException;
import candlecast.common.Timeframe;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FetchedRangesTest {
  /** Random adds and questions against a bitmap of fetched windows (the oracle). */
  @Test
  void missingEqualsABitmapOracle() {
    Random rnd = new Random(7);
    for (int round = 0; round < 200; round++) {
      FetchedRanges r = new FetchedRanges();
      boolean[] fetched = new boolean[120];
      for (int k = 0; k < 6; k++) {
        int a = rnd.nextInt(120);
        int b = Math.min(119, a + rnd.nextInt(20));
        r.add(a * 10L, b * 10L, t -> t + 10);
        for (int i = a; i <= b; i++) {
          fetched[i] = true;
        }
      }
      FetchedRanges back = FetchedRanges.fromJson(r.toJson("BTCUSD", "1m"));
      int from = rnd.nextInt(120);
      int to = Math.min(119, from + rnd.nextInt(60));
      for (FetchedRanges x : List.of(r, back)) {
        boolean[] missing = new boolean[120];
        for (long[] m : x.missing(from * 10L, to * 10L, t -> t + 10)) {
          assertThat(m[0]).isLessThanOrEqualTo(m[1]);
          for (long t = m[0]; t <= m[1]; t += 10) {
            missing[(int) (t / 10)] = true;
          }
        }
        for (int i = 0; i < 120; i++) {
          assertThat(missing[i]).as("window %d", i).isEqualTo(i >= from && i <= to && !fetched[i]);
        }
      }
    }
  }

  @Test
  void adjacentRangesMerge() {
    FetchedRanges r = new FetchedRanges();
    r.add(0, 50, t -> t + 10);
    r.add(60, 100, t -> t + 10);
    assertThat(r.toJson("X1", "1m").getJsonArray("ranges").encode()).isEqualTo("[[0,100]]");
    assertThat(r.missing(0, 100, t -> t + 10)).isEmpty();
  }

  @Test
  void malformedRecordsSayWhy() {
    for (String bad :
        new String[] {
          "{}",
          "{\"ranges\":1}",
          "{\"ranges\":[[1]]}",
          "{\"ranges\":[[5,1]]}",
          "{\"ranges\":[[\"a\",2]]}"
        }) {
      assertThatThrownBy(() -> FetchedRanges.fromJson(new JsonObject(bad)))
          .as(bad)
          .isInstanceOf(DecodeException.class)
          .hasMessageStartingWith("fetched ranges:");
    }
  }

  /** The download range stops before the oldest candle held, the oldest trades candle and now. */
  @Test
  void wantedStopsBeforeWhatIsHeld() {
    long min = 60_000L;
    SeriesHistory s = new SeriesHistory("BTCUSD", Timeframe.M1, 0);
    s.put(100 * min, 1, 1, 1, 1, 1, 1, true);
    HistoryQuery q = new HistoryQuery("BTCUSD", Timeframe.M1, 10 * min + 1, Long.MAX_VALUE, 500);
    assertThat(DeepHistory.wanted(q, s, 1000 * min)).containsExactly(11 * min, 100 * min - 1);
    HistoryQuery last = new HistoryQuery("BTCUSD", Timeframe.M1, Long.MIN_VALUE, Long.MAX_VALUE, 5);
    assertThat(DeepHistory.wanted(last, s, 1000 * min)).containsExactly(95 * min, 100 * min - 1);
    HistoryQuery after = new HistoryQuery("BTCUSD", Timeframe.M1, 100 * min, Long.MAX_VALUE, 5);
    assertThat(DeepHistory.wanted(after, s, 1000 * min)).isNull();
    SeriesHistory empty = new SeriesHistory("BTCUSD", Timeframe.M1, 0);
    assertThat(DeepHistory.wanted(q, empty, 50 * min)).containsExactly(11 * min, 50 * min - 1);
    List<long[]> chunks = DeepHistory.chunks(Timeframe.M1, 0, 2500 * min - 1);
    assertThat(chunks).hasSize(3);
    assertThat(chunks.get(0)).containsExactly(0, 999 * min);
    assertThat(chunks.get(1)[0]).isEqualTo(999 * min + 1);
    assertThat(chunks.get(2)[1]).isEqualTo(2500 * min - 1);
  }
}

package candlecast.aggregator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import candlecast.common.Side;
import candlecast.common.TapeTrade;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TradeRingTest {

  private static TapeTrade trade(long seq, long id, long time) {
    return new TapeTrade(
        seq, id, time, 100 + seq * 0.5, 0.25 + id % 7, id % 2 == 0 ? Side.BUY : Side.SELL);
  }

  private static List<Long> ids(List<TapeTrade> ts) {
    return ts.stream().map(TapeTrade::id).toList();
  }

  @Test
  void appendsInLogOrderAndAnswersTheNewest() {
    TradeRing r = new TradeRing(5, -1);
    for (int i = 1; i <= 3; i++) {
      assertThat(r.append(trade(i * 10L, i, 1000 + i))).isTrue();
    }
    assertThat(r.size()).isEqualTo(3);
    assertThat(r.lastSeq()).isEqualTo(30);
    assertThat(r.last(2)).containsExactly(trade(20, 2, 1002), trade(30, 3, 1003));
    assertThat(r.last(10)).hasSize(3);
    assertThat(r.last(0)).isEmpty();
    assertThat(r.oldestId()).isEqualTo(1);
  }

  @Test
  void ignoresATradeNotAfterTheNewest() {
    TradeRing r = new TradeRing(5, 9);
    assertThat(r.append(trade(9, 1, 0))).as("at the floor").isFalse();
    assertThat(r.append(trade(10, 1, 0))).isTrue();
    assertThat(r.append(trade(10, 2, 0))).as("same position again").isFalse();
    assertThat(r.append(trade(4, 3, 0))).isFalse();
    assertThat(ids(r.last(5))).containsExactly(1L);
  }

  @Test
  void evictsTheOldestAndRaisesTheFloor() {
    TradeRing r = new TradeRing(3, -1);
    for (int i = 1; i <= 5; i++) {
      r.append(trade(i, 100 + i, i));
    }
    assertThat(ids(r.last(3))).containsExactly(103L, 104L, 105L);
    assertThat(r.floorSeq()).isEqualTo(2);
    assertThat(r.afterSeq(1, 10)).as("trade 2 is gone").isNull();
    assertThat(ids(r.afterSeq(2, 10).trades())).containsExactly(103L, 104L, 105L);
    assertThat(r.afterId(102, 10)).isNull();
    assertThat(ids(r.afterId(103, 10).trades())).containsExactly(104L, 105L);
  }

  @Test
  void anEmptyRingIsCompleteAfterItsFloor() {
    TradeRing r = new TradeRing(3, 41);
    assertThat(r.lastSeq()).isEqualTo(41);
    assertThat(r.afterSeq(41, 5).trades()).isEmpty();
    assertThat(r.afterSeq(40, 5)).isNull();
    assertThat(r.afterId(7, 5)).isNull();
    assertThat(r.oldestId()).isEqualTo(-1);
  }

  @Test
  void slicesSayWhetherMoreFollow() {
    TradeRing r = new TradeRing(100, -1);
    for (int i = 0; i < 10; i++) {
      r.append(trade(i, i, i));
    }
    TradeRing.Slice s = r.afterId(2, 4);
    assertThat(ids(s.trades())).containsExactly(3L, 4L, 5L, 6L);
    assertThat(s.more()).isTrue();
    assertThat(r.afterId(5, 4).more()).isFalse();
    assertThat(r.afterId(9, 4).trades()).isEmpty();
  }

  @Test
  void fromKeepsLogOrderWhenTimesAreOutOfOrder() {
    TradeRing r = new TradeRing(10, -1);
    long[] times = {100, 300, 200, 50, 400, 250};
    for (int i = 0; i < times.length; i++) {
      r.append(trade(i, i, times[i]));
    }
    assertThat(ids(r.from(200, 10))).containsExactly(1L, 2L, 4L, 5L);
    assertThat(ids(r.from(200, 2))).as("the newest two").containsExactly(4L, 5L);
    assertThat(r.from(1000, 10)).isEmpty();
  }

  @Test
  void rejectsAZeroCapacity() {
    assertThatThrownBy(() -> new TradeRing(0, -1)).isInstanceOf(IllegalArgumentException.class);
  }

  /** Random appends and queries against a plain list that keeps everything (the model). */
  @Test
  void agreesWithAModelThatKeepsEveryTrade() {
    Random rnd = new Random(42);
    for (int capacity : new int[] {1, 2, 63, 64, 65, 200, 1000}) {
      long floor0 = rnd.nextInt(5) - 1L;
      TradeRing r = new TradeRing(capacity, floor0);
      List<TapeTrade> all = new ArrayList<>();
      long seq = floor0;
      for (int step = 0; step < 3_000; step++) {
        seq += 1 + rnd.nextInt(3);
        long id = rnd.nextInt(10) == 0 ? rnd.nextInt(50) : 1_000 + step; // some ids repeat
        TapeTrade t = trade(seq, id, 5_000 + rnd.nextInt(2_000));
        r.append(t);
        all.add(t);
        if (step % 7 == 0) {
          check(r, all, capacity, floor0, rnd);
        }
      }
    }
  }

  private static void check(
      TradeRing r, List<TapeTrade> all, int capacity, long floor0, Random rnd) {
    List<TapeTrade> held = all.subList(Math.max(0, all.size() - capacity), all.size());
    long floor = all.size() > capacity ? all.get(all.size() - capacity - 1).seq() : floor0;
    assertThat(r.size()).isEqualTo(held.size());
    assertThat(r.floorSeq()).isEqualTo(floor);
    assertThat(r.lastSeq()).isEqualTo(all.get(all.size() - 1).seq());
    int n = rnd.nextInt(capacity + 2);
    assertThat(r.last(n)).isEqualTo(held.subList(Math.max(0, held.size() - n), held.size()));

    int limit = 1 + rnd.nextInt(capacity + 1);
    TapeTrade pick = all.get(rnd.nextInt(all.size()));
    long askSeq = pick.seq() - rnd.nextInt(2); // a held position or the gap before it
    TradeRing.Slice s = r.afterSeq(askSeq, limit);
    if (askSeq < floor) {
      assertThat(s).isNull();
    } else {
      List<TapeTrade> after = held.stream().filter(t -> t.seq() > askSeq).toList();
      assertThat(s.trades()).isEqualTo(after.subList(0, Math.min(limit, after.size())));
      assertThat(s.more()).isEqualTo(after.size() > limit);
    }

    long askId = pick.id();
    int at = -1;
    for (int i = held.size() - 1; i >= 0; i--) {
      if (held.get(i).id() == askId) {
        at = i;
        break;
      }
    }
    TradeRing.Slice byId = r.afterId(askId, limit);
    if (at < 0) {
      assertThat(byId).isNull();
    } else {
      List<TapeTrade> after = held.subList(at + 1, held.size());
      assertThat(byId.trades()).isEqualTo(after.subList(0, Math.min(limit, after.size())));
      assertThat(byId.more()).isEqualTo(after.size() > limit);
    }

    long from = 5_000L + rnd.nextInt(2_000);
    List<TapeTrade> since = held.stream().filter(t -> t.time() >= from).toList();
    assertThat(r.from(from, limit))
        .isEqualTo(since.subList(Math.max(0, since.size() - limit), since.size()));
  }
}

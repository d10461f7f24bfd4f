package candlecast.aggregator;

import static org.assertj.core.api.Assertions.assertThat;

import candlecast.common.Candle;
import candlecast.common.Timeframe;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Gap records: which candles become partial, when they go out, and what a gap leaves alone. */
class CandleFolderGapTest {
  private static final long T = 1_699_999_980_000L; // 2023-11-14T22:13:00Z: a whole minute
  private final List<Candle> out = new ArrayList<>();
  private final CandleSink sink =
      (s, tf, t, o, h, l, c, v, n, x, p) -> out.add(new Candle(s, tf, t, o, h, l, c, v, n, x, p));

  private List<Candle> of(Timeframe tf) {
    return out.stream().filter(c -> c.tf() == tf).collect(Collectors.toList());
  }

  private static Candle partial(Candle c) {
    return new Candle(
        c.symbol(),
        c.tf(),
        c.openTime(),
        c.open(),
        c.high(),
        c.low(),
        c.close(),
        c.volume(),
        c.trades(),
        c.closed(),
        true);
  }

  @Test
  void openWindowsOfEveryTimeframeBecomePartialAndGoOutOnFlushWithTheirValues() {
    CandleFolder f = new CandleFolder("X1", 0, 64);
    f.fold(1, T + 100, 10.0, 1.0, sink);
    f.fold(2, T + 200, 12.0, 0.5, sink);
    f.flush(sink);
    List<Candle> before = new ArrayList<>(out);
    out.clear();
    assertThat(f.gap(T + 500, T + 700, sink)).isZero();
    assertThat(out).as("open windows go out on flush").isEmpty();
    f.flush(sink);
    assertThat(out)
        .containsExactlyInAnyOrderElementsOf(
            before.stream().map(CandleFolderGapTest::partial).toList());
    out.clear();
    f.fold(3, T + 300, 11.0, 0.25, sink); // a trade into a partial window keeps it partial
    f.flush(sink);
    assertThat(out)
        .hasSize(Timeframe.COUNT)
        .allSatisfy(
            c -> {
              assertThat(c.partial()).isTrue();
              assertThat(c.trades()).isEqualTo(3);
              assertThat(c.close()).isEqualTo(11.0);
            });
    assertThat(f.watermark()).as("a gap does not move event time").isEqualTo(T + 300);
  }

  @Test
  void windowsOpenedLaterAreMarkedWhenTheyOpenAtEveryTimeframeFlatOnesToo() {
    CandleFolder f = new CandleFolder("X1", 0, 64);
    f.fold(1, T + 100, 10.0, 1.0, sink);
    f.gap(T + 5_000, T + 7_000, sink);
    f.flush(sink);
    assertThat(of(Timeframe.S1))
        .extracting(Candle::partial)
        .as("the 1s window is before the gap")
        .containsExactly(false);
    assertThat(of(Timeframe.M1))
        .extracting(Candle::partial)
        .as("the open minute holds it")
        .containsExactly(true);
    out.clear();
    for (long t = T + 1_000; t <= T + 9_500; t += 500) {
      f.advance(t, sink); // a quiet market in real time: flat windows open one by one up to 9 s
    }
    f.fold(2, T + 9_600, 11.0, 1.0, sink);
    f.advance(T + 61_000, sink); // the minute closes
    List<Candle> closed1s = of(Timeframe.S1).stream().filter(Candle::closed).toList();
    assertThat(closed1s)
        .extracting(Candle::openTime)
        .containsSequence(T + 4_000, T + 5_000, T + 6_000, T + 7_000);
    for (Candle c : closed1s) {
      boolean overlaps = c.openTime() >= T + 5_000 && c.openTime() < T + 7_000;
      assertThat(c.partial()).as("1s at %d", c.openTime() - T).isEqualTo(overlaps);
      if (c.openTime() > T && c.openTime() < T + 9_000) {
        assertThat(c.trades()).as("flat").isZero();
        assertThat(c.close()).isEqualTo(10.0);
      }
    }
    assertThat(of(Timeframe.M1))
        .filteredOn(Candle::closed)
        .singleElement()
        .satisfies(c -> assertThat(c.partial()).as("the minute holding the gap").isTrue());
    out.clear();
    f.flush(sink);
    assertThat(of(Timeframe.M1))
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.openTime()).isEqualTo(T + 60_000);
              assertThat(c.partial()).as("the next minute does not overlap").isFalse();
            });
    assertThat(of(Timeframe.M15)).singleElement().satisfies(c -> assertThat(c.partial()).isTrue());
  }

  /**
   * A closed window with trades is re-emitted once, closed and partial, with its values; closed
   * windows without trades are implied: not re-emitted, history readers mark them from the spans.
   */
  @Test
  void aClosedCandleIsReEmittedOnceClosedAndPartialWithItsValues() {
    CandleFolder f = new CandleFolder("X1", 0, 64);
    HistoryStore history = new HistoryStore(new long[Timeframe.COUNT]);
    CandleSink both =
        (s, tf, t, o, h, l, c, v, n, x, p) -> {
          sink.candle(s, tf, t, o, h, l, c, v, n, x, p);
          history.candle(s, tf, t, o, h, l, c, v, n, x, p);
        };
    f.fold(1, T + 100, 10.0, 1.0, both);
    f.fold(2, T + 900, 9.0, 2.0, both);
    f.fold(3, T + 3_500, 12.0, 1.0, both); // closes 0 s; 1 s and 2 s implied, closed flat at 9.0
    List<Candle> closed = new ArrayList<>(of(Timeframe.S1));
    assertThat(closed)
        .extracting(Candle::openTime, Candle::trades, Candle::closed)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(T, 2L, true),
            org.assertj.core.groups.Tuple.tuple(T + 1_000, 0L, true),
            org.assertj.core.groups.Tuple.tuple(T + 2_000, 0L, true));
    out.clear();
    assertThat(f.gap(T + 1_500, T + 3_200, both)).isZero();
    history.gap("X1", T + 1_500, T + 3_200);
    assertThat(out)
        .as("no closed window with trades overlaps; closed flat ones are implied; open ones wait")
        .isEmpty();
    assertThat(history.query("X1", Timeframe.S1, T, T + 2_000, 10))
        .extracting(Candle::openTime, Candle::close, Candle::partial)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(T, 9.0, false),
            org.assertj.core.groups.Tuple.tuple(T + 1_000, 9.0, true),
            org.assertj.core.groups.Tuple.tuple(T + 2_000, 9.0, true));
    out.clear();
    f.gap(T + 800, T + 1_200, both);
    assertThat(out).as("only what is not partial yet").containsExactly(partial(closed.get(0)));
    out.clear();
    f.gap(T, T + 3_000, both);
    assertThat(out).as("every closed window with trades is partial already").isEmpty();
    f.flush(both);
    assertThat(out)
        .hasSize(Timeframe.COUNT)
        .allSatisfy(
            c -> {
              assertThat(c.closed()).isFalse();
              assertThat(c.partial()).isTrue();
            });
  }

  @Test
  void aGapBeforeTheFirstTradeMarksTheWindowsThatOpenOverIt() {
    CandleFolder f = new CandleFolder("X1", 0, 64);
    assertThat(f.gap(T - 86_400_000L, T + 50, sink)).isZero();
    assertThat(out).isEmpty();
    f.fold(1, T + 1_100, 10.0, 1.0, sink);
    f.flush(sink);
    assertThat(out).hasSize(Timeframe.COUNT);
    assertThat(of(Timeframe.S1)).singleElement().satisfies(c -> assertThat(c.partial()).isFalse());
    assertThat(of(Timeframe.M1)).singleElement().satisfies(c -> assertThat(c.partial()).isTrue());
    assertThat(of(Timeframe.D1)).singleElement().satisfies(c -> assertThat(c.partial()).isTrue());
  }

  /**
   * Closed windows older than the newest {@link ClosedWindows#KEPT} with trades cannot be
   * re-marked: reported.
   */
  @Test
  void aGapReachingBeyondTheKeptClosedWindowsIsReportedAndMarksWhatIsKept() {
    CandleFolder f = new CandleFolder("X1", 0, 64);
    int windows = ClosedWindows.KEPT + 5;
    for (int i = 0; i < windows; i++) {
      f.fold(i, T + i * 2_000L + 10, 100 + i, 1.0, sink); // a window with a trade, then a flat one
    }
    f.advance(T + windows * 2_000L, sink);
    out.clear();
    assertThat(f.gap(T, T + windows * 2_000L, sink))
        .as("only the 1s ring forgot windows")
        .isEqualTo(1);
    List<Candle> reEmitted = of(Timeframe.S1);
    assertThat(reEmitted)
        .allSatisfy(
            c -> {
              assertThat(c.closed()).isTrue();
              assertThat(c.partial()).isTrue();
              assertThat(c.trades()).as("closed flat windows are implied").isEqualTo(1);
            });
    // the kept windows with trades, oldest first: the KEPT newest
    long oldestKept = T + (windows - ClosedWindows.KEPT) * 2_000L;
    assertThat(reEmitted).hasSize(ClosedWindows.KEPT);
    assertThat(reEmitted.get(0).openTime()).isEqualTo(oldestKept);
    assertThat(reEmitted.get(0).close()).isEqualTo(100 + windows - ClosedWindows.KEPT);
    assertThat(reEmitted.get(reEmitted.size() - 1).openTime())
        .isEqualTo(T + (windows - 1) * 2_000L);
  }

  @Test
  void anEmptyGapChangesNothing() {
    CandleFolder f = new CandleFolder("X1", 0, 64);
    f.fold(1, T + 100, 10.0, 1.0, sink);
    f.flush(sink);
    out.clear();
    assertThat(f.gap(T + 100, T + 100, sink)).isZero();
    f.flush(sink);
    assertThat(out).isEmpty();
    assertThat(f.gaps().count()).isZero();
  }

  /**
   * Beyond {@link GapSpans#MAX} spans the two oldest join: the windows between them become partial
   * as well.
   */
  @Test
  void tooManySpansJoinTheOldestAndMarkWhatLiesBetween() {
    CandleFolder f = new CandleFolder("X1", 0, 64);
    f.fold(1, T + 100, 10.0, 1.0, sink);
    for (int i = 0; i <= GapSpans.MAX; i++) {
      long from = T + 10_000 + i * 2_000L;
      f.gap(from, from + 1_000, sink);
    }
    assertThat(f.gaps().count()).isEqualTo(GapSpans.MAX);
    assertThat(f.gaps().from(0)).isEqualTo(T + 10_000);
    assertThat(f.gaps().to(0)).isEqualTo(T + 13_000);
    for (long t = T + 1_000; t <= T + 16_000; t += 1_000) {
      f.advance(t, sink); // windows open one by one, each marked from the joined spans
    }
    f.flush(sink);
    assertThat(of(Timeframe.S1))
        .filteredOn(c -> c.openTime() >= T + 9_000)
        .extracting(c -> (c.openTime() - T) / 1_000, Candle::partial)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(9L, false),
                org.assertj.core.groups.Tuple.tuple(10L, true),
            org.assertj.core.groups.Tuple.tuple(11L, true),
                org.assertj.core.groups.Tuple.tuple(12L, true),
            org.assertj.core.groups.Tuple.tuple(13L, false),
                org.assertj.core.groups.Tuple.tuple(14L, true),
            org.assertj.core.groups.Tuple.tuple(15L, false),
                org.assertj.core.groups.Tuple.tuple(16L, true));
  }

  /** Spans that no window the folder can still emit overlaps are dropped. */
  @Test
  void spansBeforeEverythingTheFolderCanEmitAreDropped() {
    CandleFolder f = new CandleFolder("X1", 0, 64);
    f.fold(1, T + 100, 10.0, 1.0, sink);
    long day = 86_400_000L;
    // before the month's window (and every other): nothing there
    f.gap(T - 40 * day, T - 30 * day, sink);
    assertThat(f.gaps().count()).isZero();
    f.flush(sink);
    out.clear();
    // before the day's window but within the week's and the month's: kept, and those two are
    // partial
    f.gap(T - 2 * day + 3_600_000L, T - day, sink);
    assertThat(f.gaps().count()).isEqualTo(1);
    f.flush(sink);
    assertThat(out)
        .filteredOn(Candle::partial)
        .extracting(Candle::tf)
        .containsExactlyInAnyOrder(Timeframe.W1, Timeframe.MN1);
    f.gap(T + 500, T + 600, sink);
    assertThat(f.gaps().count()).isEqualTo(2);
  }

  /**
   * With gap spans held, folding (windows opening and closing included) allocates nothing per
   * trade.
   */
  @Test
  void foldingStaysAllocationFreeWithGaps() {
    CandleFolder f = new CandleFolder("X1", 250, 1024);
    long[] emitted = new long[1];
    CandleSink count = (s, tf, t, o, h, l, c, v, n, x, p) -> emitted[0] += p ? 2 : 1;
    for (int i = 0; i < 40; i++) {
      f.gap(T + i * 60_000L, T + i * 60_000L + 5_000, count);
    }
    run(f, count, 0, 200_000); // warm up
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long before = mx.getCurrentThreadAllocatedBytes();
    run(f, count, 200_000, 1_200_000);
    long allocated = mx.getCurrentThreadAllocatedBytes() - before;
    assertThat(emitted[0]).isPositive();
    assertThat(allocated).as("bytes allocated folding 1,000,000 trades").isLessThan(64 * 1024);
  }

  private static void run(CandleFolder f, CandleSink sink, int from, int to) {
    for (int i = from; i < to; i++) {
      f.fold(
          i,
          T + i * 3L,
          100 + (i % 17),
          0.5,
          sink); // a new second every 333 trades: windows open and close
      if (i % 100 == 0) {
        f.flush(sink);
      }
    }
  }
}

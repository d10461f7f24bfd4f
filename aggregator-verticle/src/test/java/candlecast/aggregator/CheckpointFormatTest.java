package candlecast.aggregator;

import static org.assertj.core.api.Assertions.assertThat;

import candlecast.common.Candle;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Pins the checkpoint byte format: checkpoints already in the compacted topic must restore after
 * any change to the code that writes them. The expected bytes were produced by the checkpoint
 * writer as it was when the format was pinned; a change here is a format change and needs a new
 * version number. Version 1 bytes (before gap spans and kept closed windows) still restore.
 */
class CheckpointFormatTest {
  private static final long BASE = 1_700_000_000_000L;

  /** {@link #started()} and {@link #unstarted()} as fold state version 1 wrote them. */
  private static final String PINNED_V1 =
      ""
          + "43434b310000000200000000000010920000000201000642544355534400000000000005dc010000018bcfe5776e00000010"
          + "000000060a03d204a8847aa9847a040000018bcfe56be84058c00000000000000000020000018bcfe56fd040588000000000"
          + "004058800000000000405880000000000040588000000000003ff000000000000000000000000000010000018bcfe573b840"
          + "598000000000004059c0000000000040598000000000004059c000000000003fe40000000000000000000000000002800000"
          + "00000000000000000000000000000000010000018bcfe519e040590000000000004059c00000000000405880000000000040"
          + "59c000000000004013800000000000000000000000000680000000000000000000000000000000000000010000018bcfe25a"
          + "c040590000000000004059c0000000000040588000000000004059c000000000004013800000000000000000000000000680"
          + "000000000000000000000000000000000000010000018bcfd9330040590000000000004059c0000000000040588000000000"
          + "004059c000000000004013800000000000000000000000000680000000000000000000000000000000000000010000018bcf"
          + "d9330040590000000000004059c0000000000040588000000000004059c00000000000401380000000000000000000000000"
          + "0680000000000000000000000000000000000000010000018bcf6b560040590000000000004059c000000000004058800000"
          + "0000004059c00000000000401380000000000000000000000000068000000000000000000000000000000000000001000001"
          + "8bcb20b40040590000000000004059c0000000000040588000000000004059c0000000000040138000000000000000000000"
          + "0000060100064554485553440000000000000000000000018bcfe57b88000000100000000080000000000000000000000000"
          + "0000000000000080000000000000000000000000000000000000008000000000000000000000000000000000000000800000"
          + "0000000000000000000000000000000000800000000000000000000000000000000000000080000000000000000000000000"
          + "000000000000008000000000000000000000000000000000000000";

  /**
   * A started folder (ids with gaps and negative deltas, closed and flat windows, trades in the hot
   * accumulator).
   */
  static CandleFolder started() {
    CandleSink ignore = (s, tf, t, o, h, l, c, v, n, x, p) -> {};
    CandleFolder f = new CandleFolder("BTCUSD", 1_500, 16);
    f.fold(5, BASE + 100, 100.0, 1.0, ignore);
    f.fold(3, BASE + 600, 101.5, 0.25, ignore);
    f.fold(300, BASE + 1_200, 99.0, 2.0, ignore);
    f.fold(1_000_000, BASE + 3_900, 102.0, 0.5, ignore);
    f.fold(299, BASE + 2_500, 98.0, 1.0, ignore);
    f.fold(301, BASE + 3_950, 103.0, 0.125, ignore);
    return f;
  }

  /** Version 2: {@link #startedWithGaps()} and {@link #unstarted()}. */
  private static final String PINNED =
      ""
          + "43434b310000000200000000000010920000000202000642544355534400000000000005dc010000018bcfe5776e00000010"
          + "000000060a03d204a8847aa9847a040000018bcfe56be84058c00000000000000000020000018bcfe56fd040588000000000"
          + "004058800000000000405880000000000040588000000000003ff000000000000000000000000000010000018bcfe573b840"
          + "598000000000004059c0000000000040598000000000004059c000000000003fe40000000000000000000000000002800000"
          + "00000000000000000000000000000000020000018bcfe5680040590000000000004059600000000000405900000000000040"
          + "596000000000003ff400000000000000000000000000020000018bcfe56be84058c000000000004058c000000000004058c0"
          + "00000000004058c0000000000040000000000000000000000000000001800000000000000000000000000000000000000100"
          + "00018bcfe519e040590000000000004059c0000000000040588000000000004059c000000000004013800000000000000000"
          + "0000000006800000000000000000000000000000000000000080000000000000000000000000000000000000010000018bcf"
          + "e25ac040590000000000004059c0000000000040588000000000004059c00000000000401380000000000000000000000000"
          + "06800000000000000000000000000000000000000080000000000000000000000000000000000000010000018bcfd9330040"
          + "590000000000004059c0000000000040588000000000004059c0000000000040138000000000000000000000000006800000"
          + "000000000000000000000000000000000080000000000000000000000000000000000000010000018bcfd933004059000000"
          + "0000004059c0000000000040588000000000004059c000000000004013800000000000000000000000000680000000000000"
          + "0000000000000000000000000080000000000000000000000000000000000000010000018bcf6b5600405900000000000040"
          + "59c0000000000040588000000000004059c00000000000401380000000000000000000000000068000000000000000000000"
          + "00000000000000000080000000000000000000000000000000000000010000018bcb20b40040590000000000004059c00000"
          + "00000040588000000000004059c0000000000040138000000000000000000000000006800000000000000000000000000000"
          + "0000000000000000010000018bcfe56ddc0000018bcfe57f700200064554485553440000000000000000000000018bcfe57b"
          + "8800000010000000008000000000000000000000000000000000000000800000000000000000000000000000000000000080"
          + "0000000000000000000000000000000000000080000000000000000000000000000000000000008000000000000000000000"
          + "0000000000000000008000000000000000000000000000000000000000800000000000000000000000000000000000000080"
          + "0000000000000000000000000000000000000080000000000000000000000000000000000000008000000000000000000000"
          + "0000000000000000008000000000000000000000000000000000000000800000000000000000000000000000000000000080"
          + "00000000000000000000000000000000000000800000000000000000000000000000000000000000000000";

  /**
   * {@link #started()} after two gap records: one over closed, open and future windows, one far
   * back.
   */
  static CandleFolder startedWithGaps() {
    CandleSink ignore = (s, tf, t, o, h, l, c, v, n, x, p) -> {};
    CandleFolder f = started();
    f.gap(BASE + 1_500, BASE + 6_000, ignore);
    f.gap(BASE - 90_000_000, BASE - 80_000_000, ignore);
    return f;
  }

  /** A folder that has seen only a watermark. */
  static CandleFolder unstarted() {
    CandleFolder f = new CandleFolder("ETHUSD", 0, 16);
    f.advance(BASE + 5_000, (s, tf, t, o, h, l, c, v, n, x, p) -> {});
    return f;
  }

  @Test
  void encodingIsPinned() {
    byte[] bytes =
        PartitionCheckpoint.of(2, 4242L, List.of(startedWithGaps(), unstarted())).encode();
    assertThat(HexFormat.of().formatHex(bytes)).isEqualTo(PINNED);
  }

  /**
   * The pinned bytes restore to folders with the same open candles that fold on exactly like the
   * originals.
   */
  @Test
  void pinnedBytesRestore() throws Exception {
    assertRestores(PINNED, List.of(startedWithGaps(), unstarted()), BASE + 500);
  }

  /** Version 1 bytes restore and fold on exactly like the originals (which never saw a gap). */
  @Test
  void version1BytesRestore() throws Exception {
    assertRestores(PINNED_V1, List.of(started(), unstarted()), BASE + 2_600);
  }

  /**
   * A version 1 state kept no closed windows: a gap over windows closed before it is reported, not
   * silently dropped; the same gap on the uninterrupted folder re-marks them.
   */
  @Test
  void aGapOverWindowsClosedBeforeAVersion1StateIsReported() throws Exception {
    CandleFolder restored =
        PartitionCheckpoint.decode(HexFormat.of().parseHex(PINNED_V1)).folders().get(0);
    List<Candle> fromRestored = new ArrayList<>();
    List<Candle> fromOriginal = new ArrayList<>();
    assertThat(restored.gap(BASE, BASE + 1_000, collect(fromRestored)))
        .as("1s: [BASE, +1s) closed before")
        .isEqualTo(1);
    assertThat(started().gap(BASE, BASE + 1_000, collect(fromOriginal))).isZero();
    assertThat(fromOriginal)
        .filteredOn(Candle::closed)
        .extracting(Candle::openTime, Candle::partial)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(BASE, true));
    assertThat(fromRestored).isEmpty();
  }

  private static CandleSink collect(List<Candle> out) {
    return (s, tf, t, o, h, l, c, v, n, x, p) ->
        out.add(new Candle(s, tf, t, o, h, l, c, v, n, x, p));
  }

  /**
   * {@code gapFrom}: start of a gap folded after the restore (version 1 kept no closed windows:
   * after them).
   */
  private static void assertRestores(String hex, List<CandleFolder> originals, long gapFrom)
      throws Exception {
    PartitionCheckpoint cp = PartitionCheckpoint.decode(HexFormat.of().parseHex(hex));
    assertThat(cp.partition()).isEqualTo(2);
    assertThat(cp.nextOffset()).isEqualTo(4242L);
    assertThat(cp.folders()).hasSize(2);
    for (int i = 0; i < 2; i++) {
      CandleFolder restored = cp.folders().get(i);
      CandleFolder original = originals.get(i);
      assertThat(restored.symbol()).isEqualTo(original.symbol());
      assertThat(restored.watermark()).isEqualTo(original.watermark());
      assertThat(restored.started()).isEqualTo(original.started());
      assertThat(afterMore(restored, gapFrom)).isEqualTo(afterMore(original, gapFrom));
    }
  }

  /**
   * Everything a folder emits for a duplicate, a late trade, a new trade, a gap, a watermark and a
   * flush.
   */
  private static List<Object> afterMore(CandleFolder f, long gapFrom) {
    List<Object> out = new ArrayList<>();
    CandleSink sink =
        (s, tf, t, o, h, l, c, v, n, x, p) -> out.add(new Candle(s, tf, t, o, h, l, c, v, n, x, p));
    f.forEachOpen(sink);
    out.add(f.fold(300, BASE + 3_960, 1.0, 1.0, sink));
    out.add(f.fold(7_000, BASE + 10, 1.0, 1.0, sink));
    out.add(f.fold(7_001, BASE + 4_100, 104.0, 3.0, sink));
    out.add(f.gap(gapFrom, BASE + 7_500, sink));
    f.advance(BASE + 9_000, sink);
    f.flush(sink);
    return out;
  }
}

package candlecast.aggregator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import candlecast.common.Candle;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class FolderStateCodecTest {
  private static final long BASE = 1_700_000_000_000L;
  private final List<Candle> out = new ArrayList<>();
  private final CandleSink sink =
      (s, tf, t, o, h, l, c, v, n, x, p) -> out.add(new Candle(s, tf, t, o, h, l, c, v, n, x, p));

  private static byte[] write(CandleFolder f) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    FolderStateCodec.write(f, new DataOutputStream(bytes));
    return bytes.toByteArray();
  }

  private static CandleFolder read(byte[] bytes) throws IOException {
    return FolderStateCodec.read(new DataInputStream(new ByteArrayInputStream(bytes)));
  }

  /**
   * A folder whose 1s ring has wrapped around (its oldest window is not in slot 0), with unflushed
   * trades.
   */
  private CandleFolder busy() {
    CandleFolder f = new CandleFolder("BTCUSD", 2_000, 32);
    for (int i = 0; i < 100; i++) {
      f.fold(10 + i, BASE + i * 370L, 100 + i % 7, 0.5 + i, sink);
      if (i % 10 == 0) {
        f.flush(sink);
      }
    }
    f.fold(
        5, BASE + 100 * 370L - 1_500, 99.5, 1.0, sink); // a straggler id into an older open window
    return f;
  }

  @Test
  void roundTripKeepsEveryBitAndFoldsOnIdentically() throws IOException {
    CandleFolder original = busy();
    byte[] bytes = write(original);
    CandleFolder restored = read(bytes);
    assertThat(write(restored)).isEqualTo(bytes);
    assertThat(restored.symbol()).isEqualTo("BTCUSD");
    assertThat(restored.watermark()).isEqualTo(original.watermark());
    assertThat(restored.started()).isTrue();
    assertThat(continuation(restored)).isEqualTo(continuation(original));
  }

  /**
   * Gap spans, partial windows and the kept closed windows survive, so later gaps and closes come
   * out the same.
   */
  @Test
  void roundTripWithGapsKeepsPartialWindowsAndWhatLaterGapsReach() throws IOException {
    CandleFolder original = busy();
    original.gap(BASE + 30_000, BASE + 35_000, sink); // closed and open windows
    original.gap(BASE + 40_000, BASE + 41_000, sink); // windows still to open
    byte[] bytes = write(original);
    CandleFolder restored = read(bytes);
    assertThat(write(restored)).isEqualTo(bytes);
    assertThat(restored.gaps().count()).isEqualTo(2);
    List<Object> after = continuation(restored);
    assertThat(after).isEqualTo(continuation(original));
    assertThat(after).filteredOn(o -> o instanceof Candle c && c.partial()).isNotEmpty();
    CandleFolder again = read(bytes);
    CandleFolder straight = read(bytes);
    List<Candle> a = new ArrayList<>();
    List<Candle> b = new ArrayList<>();
    assertThat(
            again.gap(
                BASE,
                BASE + 60_000,
                (s, tf, t, o, h, l, c, v, n, x, p) ->
                    a.add(new Candle(s, tf, t, o, h, l, c, v, n, x, p))))
        .isEqualTo(
            straight.gap(
                BASE,
                BASE + 60_000,
                (s, tf, t, o, h, l, c, v, n, x, p) ->
                    b.add(new Candle(s, tf, t, o, h, l, c, v, n, x, p))));
    assertThat(a).isEqualTo(b).filteredOn(Candle::closed).isNotEmpty().allMatch(Candle::partial);
  }

  @Test
  void roundTripOfAFolderThatHasOnlySeenAWatermark() throws IOException {
    CandleFolder f = new CandleFolder("ETHUSD", 0, 16);
    f.advance(BASE, sink);
    CandleFolder restored = read(write(f));
    assertThat(restored.started()).isFalse();
    assertThat(restored.watermark()).isEqualTo(BASE);
    assertThat(continuation(restored)).isEqualTo(continuation(f));
  }

  /**
   * What the folder emits for a duplicate, a late trade, new trades across windows, a watermark and
   * a flush.
   */
  private List<Object> continuation(CandleFolder f) {
    out.clear();
    List<Object> seen = new ArrayList<>();
    f.forEachOpen(sink);
    seen.add(f.fold(50, BASE + 36_000, 1.0, 1.0, sink));
    seen.add(f.fold(1_000, BASE, 1.0, 1.0, sink));
    for (int i = 0; i < 20; i++) {
      seen.add(f.fold(2_000 + i, BASE + 36_900 + i * 450L, 90.0 + i, 0.25, sink));
    }
    f.advance(BASE + 120_000, sink);
    f.flush(sink);
    seen.addAll(out);
    return seen;
  }

  @Test
  void varintsRoundTripAtTheEdges() throws IOException {
    long[] values = {
      0, 1, -1, 63, -64, 64, 127, 128, 8191, 8192, Integer.MAX_VALUE, Long.MAX_VALUE, Long.MIN_VALUE
    };
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream o = new DataOutputStream(bytes);
    for (long v : values) {
      FolderStateCodec.writeZigZag(o, v);
    }
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()));
    for (long v : values) {
      assertThat(FolderStateCodec.readZigZag(in, "X1")).isEqualTo(v);
    }
    assertThat(in.available()).isZero();
    ByteArrayOutputStream small = new ByteArrayOutputStream();
    FolderStateCodec.writeZigZag(new DataOutputStream(small), -64);
    assertThat(small.toByteArray()).as("small magnitudes of either sign take one byte").hasSize(1);
  }

  @Test
  void truncatedStateAtAnyLengthSaysSo() throws IOException {
    byte[] bytes = write(busy());
    for (int len = 0; len < bytes.length; len++) {
      byte[] cut = Arrays.copyOf(bytes, len);
      assertThatThrownBy(() -> read(cut))
          .as("%d of %d bytes", len, bytes.length)
          .isInstanceOf(FolderStateCodec.CorruptStateException.class)
          .hasMessageStartingWith("truncated fold state");
    }
    assertThatThrownBy(() -> read(Arrays.copyOf(bytes, 40)))
        .hasMessage("truncated fold state for BTCUSD");
  }

  @Test
  void corruptStateNamesTheProblem() throws IOException {
    byte[] bytes = write(new CandleFolder("X1", 0, 16));
    byte[] version = bytes.clone();
    version[0] = 7;
    assertThatThrownBy(() -> read(version))
        .isInstanceOf(FolderStateCodec.CorruptStateException.class)
        .hasMessage("unsupported fold state version 7");
    int ids = 1 + 2 + 2 + 8 + 1 + 8; // version, symbol, grace, started, watermark
    byte[] tooMany = bytes.clone();
    tooMany[ids + 4 + 3] = 17; // 17 remembered ids in a window of 16
    assertThatThrownBy(() -> read(tooMany))
        .isInstanceOf(FolderStateCodec.CorruptStateException.class)
        .hasMessage("corrupt fold state for X1: 17 remembered ids in a window of 16");
    byte[] windows = bytes.clone();
    windows[ids + 8 + 8 + 8] = (byte) 0xFF; // the 1s ring's window count turns negative
    assertThatThrownBy(() -> read(windows))
        .isInstanceOf(FolderStateCodec.CorruptStateException.class)
        .hasMessageStartingWith("corrupt fold state for X1: -")
        .hasMessageEndingWith(" open windows");
  }

  @Test
  void corruptGapStateNamesTheProblem() throws IOException {
    CandleFolder f = new CandleFolder("X1", 0, 16);
    f.gap(5_000, 9_000, sink);
    byte[] bytes = write(f);
    int span = bytes.length - 16;
    byte[] backwards = bytes.clone();
    System.arraycopy(bytes, span + 8, backwards, span, 8); // from = to
    assertThatThrownBy(() -> read(backwards))
        .isInstanceOf(FolderStateCodec.CorruptStateException.class)
        .hasMessage("corrupt fold state for X1: a gap span from 9000 to 9000");
    byte[] spans = bytes.clone();
    spans[span - 4] = (byte) 0xFF;
    assertThatThrownBy(() -> read(spans))
        .isInstanceOf(FolderStateCodec.CorruptStateException.class)
        .hasMessageStartingWith("corrupt fold state for X1: -")
        .hasMessageEndingWith(" gap spans");
    int ids = 1 + 2 + 2 + 8 + 1 + 8;
    byte[] kept = bytes.clone();
    kept[ids + 8 + 8 + 8 + 4 + 8 + 8] = (byte) 0xFF; // the 1s ring's count of kept closed windows
    assertThatThrownBy(() -> read(kept))
        .isInstanceOf(FolderStateCodec.CorruptStateException.class)
        .hasMessageStartingWith("corrupt fold state for X1: -")
        .hasMessageEndingWith(" kept closed windows");
  }

  @Test
  void overlongVarintIsCorrupt() {
    byte[] eleven = new byte[11];
    Arrays.fill(eleven, (byte) 0x80);
    assertThatThrownBy(
            () ->
                FolderStateCodec.readZigZag(
                    new DataInputStream(new ByteArrayInputStream(eleven)), "X1"))
        .isInstanceOf(FolderStateCodec.CorruptStateException.class)
        .hasMessage("corrupt fold state for X1: a varint longer than 10 bytes");
  }
}

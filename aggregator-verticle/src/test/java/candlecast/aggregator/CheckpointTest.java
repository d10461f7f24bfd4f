package candlecast.aggregator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import candlecast.common.Candle;
import candlecast.common.DecodeException;
import candlecast.common.TradeCodec;
import candlecast.common.TradeLogRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CheckpointTest {
  /** Folding on from a restored checkpoint gives exactly the candles of an uninterrupted run. */
  @Test
  void restoredStateContinuesExactly() throws Exception {
    assertRestoreContinuesExactly(TradeLogGenerator.generate(7, 3, 60_000, 400), 2);
  }

  /**
   * The same with gap records on both sides of the checkpoint: the gap spans and kept closed
   * windows carry over.
   */
  @Test
  void restoredStateWithGapsContinuesExactly() throws Exception {
    List<byte[]> log = TradeLogGenerator.generate(8, 3, 60_000, 400, 200);
    for (int d = 2; d <= 7; d++) { // cuts all over the log
      Map<String, Candle> straight = assertRestoreContinuesExactly(log, d);
      assertThat(straight.values()).anyMatch(c -> c.partial() && c.closed());
    }
  }

  /**
   * Folds the log straight, and again with a checkpoint and restore at 1/{@code d} of it: the same
   * candles.
   */
  private static Map<String, Candle> assertRestoreContinuesExactly(List<byte[]> log, int d)
      throws Exception {
    int cut = log.size() / d;
    Map<String, Candle> straight = run(log, 0, log.size(), new LinkedHashMap<>());

    Map<String, CandleFolder> first = new LinkedHashMap<>();
    Map<String, Candle> out = new HashMap<>();
    fold(log, 0, cut, first, out);
    byte[] bytes = PartitionCheckpoint.of(3, 12345L, first.values()).encode();
    PartitionCheckpoint cp = PartitionCheckpoint.decode(bytes);
    assertThat(cp.partition()).isEqualTo(3);
    assertThat(cp.nextOffset()).isEqualTo(12345L);
    Map<String, CandleFolder> restored = new LinkedHashMap<>();
    for (CandleFolder f : cp.folders()) {
      restored.put(f.symbol(), f);
    }
    assertThat(PartitionCheckpoint.of(3, 12345L, restored.values()).encode())
        .as("stable encoding")
        .isEqualTo(bytes);
    fold(log, cut, log.size(), restored, out);
    assertThat(out).containsExactlyInAnyOrderEntriesOf(straight);
    return straight;
  }

  @Test
  void garbageIsRejectedWithAReason() {
    assertThatThrownBy(() -> PartitionCheckpoint.decode("hello".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IOException.class)
        .hasMessage("not a Candlecast checkpoint");
    byte[] ok = PartitionCheckpoint.of(0, 1, List.of(new CandleFolder("X1", 0, 16))).encode();
    byte[] truncated = Arrays.copyOf(ok, ok.length - 3);
    assertThatThrownBy(() -> PartitionCheckpoint.decode(truncated))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("truncated fold state for X1");
    assertThatThrownBy(() -> PartitionCheckpoint.decode(Arrays.copyOf(ok, 10)))
        .isInstanceOf(IOException.class)
        .hasMessage("truncated checkpoint");
  }

  private static Map<String, Candle> run(
      List<byte[]> log, int from, int to, Map<String, CandleFolder> folders) {
    Map<String, Candle> out = new HashMap<>();
    fold(log, from, to, folders, out);
    return out;
  }

  private static void fold(
      List<byte[]> log,
      int from,
      int to,
      Map<String, CandleFolder> folders,
      Map<String, Candle> out) {
    CandleSink sink =
        (s, tf, t, o, h, l, c, v, n, x, p) -> {
          Candle k = new Candle(s, tf, t, o, h, l, c, v, n, x, p);
          out.put(k.key(), k);
        };
    List<CandleFolder> touched = new ArrayList<>();
    for (int i = from; i < to; i++) {
      TradeLogRecord r;
      try {
        r = TradeCodec.decode(log.get(i));
      } catch (DecodeException e) {
        continue;
      }
      CandleFolder f = folders.computeIfAbsent(r.symbol(), s -> new CandleFolder(s, 400, 64));
      Records.apply(f, r, sink);
      touched.add(f);
      if (i % 50 == 0) {
        touched.forEach(x -> x.flush(sink));
        touched.clear();
      }
    }
    folders.values().forEach(x -> x.flush(sink));
  }
}

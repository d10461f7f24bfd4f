package candlecast.aggregator;

import static org.assertj.core.api.Assertions.assertThat;

import candlecast.common.Candle;
import candlecast.common.DecodeException;
import candlecast.common.TradeCodec;
import candlecast.common.TradeLogRecord;
import candlecast.common.TradeRecord;
import candlecast.common.WatermarkRecord;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The folder and the independent oracle agree on a messy synthetic log (duplicates, disorder, late, watermarks), also when
 * the folders are checkpointed and restored in the middle of it.
 */
class OracleTest {
  @Test
  void folderAgreesWithOracleOnAMessyLog() {
    long grace = 300;
    List<byte[]> log = TradeLogGenerator.generate(42, 4, 200_000, grace);
    Oracle oracle = new Oracle(grace, 64);
    Map<String, CandleFolder> folders = new HashMap<>();
    Map<String, Candle> latest = new HashMap<>();
    CandleSink sink = (s, tf, t, o, h, l, c, v, n, x) -> {
      Candle k = new Candle(s, tf, t, o, h, l, c, v, n, x);
      latest.put(k.key(), k);
    };
    int i = 0;
    for (byte[] rec : log) {
      oracle.accept(rec);
      TradeLogRecord r;
      try {
        r = TradeCodec.decode(rec);
      } catch (DecodeException e) {
        continue;
      }
      CandleFolder f = folders.computeIfAbsent(r.symbol(), s -> new CandleFolder(s, grace, 64));
      if (r instanceof WatermarkRecord w) {
        f.advance(w.time(), sink);
      } else {
        var t = ((TradeRecord) r).trade();
        f.fold(t.id(), t.time(), t.price(), t.amount(), sink);
      }
      if (++i % 97 == 0) {
        folders.values().forEach(x -> x.flush(sink));
      }
      if (i % 10_007 == 0) {
        // A checkpoint in mid-batch (changes not flushed yet) and a restart from it: nothing may be lost or altered.
        for (Map.Entry<String, CandleFolder> e : folders.entrySet()) {
          e.setValue(roundTrip(e.getValue()));
        }
      }
    }
    folders.values().forEach(x -> x.flush(sink));
    assertThat(oracle.late).as("the generator makes late trades").isGreaterThan(0);
    assertThat(oracle.duplicates).as("the generator makes duplicates").isGreaterThan(0);
    assertThat(latest).hasSameSizeAs(oracle.latest());
    assertThat(latest).containsExactlyInAnyOrderEntriesOf(oracle.latest());
  }

  private static CandleFolder roundTrip(CandleFolder f) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      FolderStateCodec.write(f, new DataOutputStream(bytes));
      return FolderStateCodec.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

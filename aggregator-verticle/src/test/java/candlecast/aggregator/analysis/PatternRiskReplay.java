package candlecast.aggregator.analysis;

import candlecast.aggregator.CandleFolder;
import candlecast.aggregator.CandleSink;
import candlecast.common.Side;
import candlecast.common.Timeframe;
import candlecast.common.Trade;
import candlecast.common.TradeCodec;
import candlecast.common.TradeLogRecord;
import candlecast.common.TradeRecord;
import candlecast.common.WatermarkRecord;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A replayed trade file for the pattern and risk tests: a deterministic seeded random walk of one
 * symbol (prices on a 0.01 grid, so equal prices and exact thresholds happen; quiet spells with
 * watermarks, so flat windows happen) written as the {@code trades} topic's JSON lines, read back
 * and folded with the real {@link CandleFolder}. Closed candles of the chosen timeframes, with the
 * implied flat windows filled in, and every provisional candle in between, in fold order.
 */
final class PatternRiskReplay {
  static final String SYMBOL = "PATUSD";

  /** One candle event of a series: closed, or a provisional value of the open window. */
  record Bar(long t, double o, double h, double l, double c, double v, boolean closed) {}

  private PatternRiskReplay() {}

  /** Writes {@code trades} trades (and watermarks) to {@code file}, one JSON record a line. */
  static void write(Path file, long seed, int trades, long meanStepMs) throws IOException {
    Random rnd = new Random(seed);
    long time = 1_700_000_000_000L;
    double price = 100;
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (int id = 1; id <= trades; id++) {
        if (rnd.nextInt(100) == 0) { // a quiet spell of up to ~20 steps, watermarks every 10 s
          long until = time + (long) (rnd.nextDouble() * 20 * meanStepMs);
          for (long wm = time + 10_000; wm < until; wm += 10_000) {
            line(w, TradeCodec.encodeWatermark(SYMBOL, wm));
          }
          time = until;
        }
        time += 1 + (long) (rnd.nextDouble() * 2 * meanStepMs);
        price = Math.max(1, price * (1 + rnd.nextGaussian() * 0.002));
        double p = Math.round(price * 100) / 100.0;
        double amount = Math.round(Math.exp(rnd.nextGaussian()) * 1e4) / 1e4;
        Side side = rnd.nextBoolean() ? Side.BUY : Side.SELL;
        line(w, TradeCodec.encode(new Trade(SYMBOL, id, time, p, amount, side)));
      }
    }
  }

  private static void line(BufferedWriter w, byte[] record) throws IOException {
    w.write(new String(record, StandardCharsets.UTF_8));
    w.newLine();
  }

  /**
   * Reads {@code file} back and folds it (no grace: a window closes as the next one's first trade
   * or watermark arrives; open candles flushed every {@code batch} records).
   */
  static Map<Timeframe, List<Bar>> fold(Path file, List<Timeframe> tfs, int batch)
      throws IOException {
    Map<Timeframe, Sequencer> seqs = new EnumMap<>(Timeframe.class);
    for (Timeframe tf : tfs) {
      seqs.put(tf, new Sequencer(tf));
    }
    CandleSink sink =
        (symbol, tf, openTime, o, h, l, c, v, n, closed, partial) -> {
          Sequencer s = seqs.get(tf);
          if (s != null) {
            s.candle(new Bar(openTime, o, h, l, c, v, closed));
          }
        };
    CandleFolder folder = new CandleFolder(SYMBOL, 0, 4096);
    int count = 0;
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        TradeLogRecord rec = TradeCodec.decode(line.getBytes(StandardCharsets.UTF_8));
        if (rec instanceof TradeRecord tr) {
          Trade t = tr.trade();
          folder.fold(t.id(), t.time(), t.price(), t.amount(), sink);
        } else if (rec instanceof WatermarkRecord wm) {
          folder.advance(wm.time(), sink);
        }
        if (++count % batch == 0) {
          folder.flush(sink);
        }
      }
    }
    folder.flush(sink);
    Map<Timeframe, List<Bar>> out = new EnumMap<>(Timeframe.class);
    seqs.forEach((tf, s) -> out.put(tf, s.bars));
    return out;
  }

  /**
   * Puts one series' candles in window order: the flat windows the folder leaves implied are filled
   * in (at the previous close, volume 0) before the next candle; a provisional candle of a window
   * at or before the last closed one is dropped (as the engine ignores it).
   */
  private static final class Sequencer {
    final Timeframe tf;
    final List<Bar> bars = new ArrayList<>();
    long lastIndex = Long.MIN_VALUE;
    double lastClose;

    Sequencer(Timeframe tf) {
      this.tf = tf;
    }

    void candle(Bar b) {
      long index = tf.windowIndex(b.t());
      if (lastIndex != Long.MIN_VALUE && index <= lastIndex) {
        if (b.closed()) {
          throw new IllegalStateException("closed twice or out of order: " + b);
        }
        return;
      }
      if (lastIndex != Long.MIN_VALUE) {
        for (long k = lastIndex + 1; k < index; k++) {
          long t = tf.windowStartOfIndex(k);
          bars.add(new Bar(t, lastClose, lastClose, lastClose, lastClose, 0, true));
          lastIndex = k;
        }
      }
      bars.add(b);
      if (b.closed()) {
        lastIndex = index;
        lastClose = b.c();
      }
    }
  }
}

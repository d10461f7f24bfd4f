package candlecast.aggregator.alerts;

import candlecast.common.Timeframe;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * What an {@link AlertBook} keeps of one symbol: its last price, the price index, move groups,
 * candle rings, breakout series, the expiry heap, and the records of the current batch that moved
 * the symbol's event time (to find which record closed a window).
 */
final class SymbolAlerts {
  final String symbol;
  double lastPrice = Double.NaN;
  final PriceIndex prices = new PriceIndex();
  final List<MoveGroup> moves = new ArrayList<>();
  final CandleRing[] rings = new CandleRing[Timeframe.COUNT];
  final List<BreakoutSeries> breakouts = new ArrayList<>();
  final PriorityQueue<Alert> expiries =
      new PriorityQueue<>(Comparator.comparingLong(Alert::expiresAt));

  /** Alerts of the symbol not finished (pending ones included). */
  int alerts;

  // The records of the current batch that moved the event time, in order (causes of closes).
  private long batch = -1;
  private int causes;
  private long[] causeTime = new long[8];
  private long[] causeOffset = new long[8];
  private long[] causeId = new long[8];
  private double[] causePrice = new double[8];
  private double[] causeAmount = new double[8];
  private boolean[] causeTrade = new boolean[8];

  SymbolAlerts(String symbol) {
    this.symbol = symbol;
  }

  /** Candle rings held (kept with {@link #setRing}, so the per-record check is one compare). */
  private int ringCount;

  boolean hasRings() {
    return ringCount > 0;
  }

  void setRing(Timeframe tf, CandleRing r) {
    ringCount += (r == null ? 0 : 1) - (rings[tf.index()] == null ? 0 : 1);
    rings[tf.index()] = r;
  }

  MoveGroup group(long windowMs, long fromOffset) {
    for (MoveGroup g : moves) {
      if (g.windowMs == windowMs && g.fromOffset == fromOffset) {
        return g;
      }
    }
    MoveGroup g = new MoveGroup(windowMs, fromOffset);
    moves.add(g);
    return g;
  }

  BreakoutSeries breakout(Timeframe tf, int n) {
    for (BreakoutSeries s : breakouts) {
      if (s.tf == tf && s.n == n) {
        return s;
      }
    }
    return null;
  }

  /** A record of batch {@code b} moved the event time to {@code time} (trade: its values). */
  void noteCause(
      long b, long time, long offset, long id, double price, double amount, boolean trade) {
    if (batch != b) {
      batch = b;
      causes = 0;
    }
    if (causes == causeTime.length) {
      int n = causes * 2;
      causeTime = java.util.Arrays.copyOf(causeTime, n);
      causeOffset = java.util.Arrays.copyOf(causeOffset, n);
      causeId = java.util.Arrays.copyOf(causeId, n);
      causePrice = java.util.Arrays.copyOf(causePrice, n);
      causeAmount = java.util.Arrays.copyOf(causeAmount, n);
      causeTrade = java.util.Arrays.copyOf(causeTrade, n);
    }
    causeTime[causes] = time;
    causeOffset[causes] = offset;
    causeId[causes] = id;
    causePrice[causes] = price;
    causeAmount[causes] = amount;
    causeTrade[causes] = trade;
    causes++;
  }

  /** The last noted record turned out not to move the event time (a duplicate or late trade). */
  void dropCause(long b) {
    if (batch == b && causes > 0) {
      causes--;
    }
  }

  /**
   * The index of the first record of batch {@code b} whose time reached {@code due}, or -1 (the
   * close was not caused in this batch).
   */
  int cause(long b, long due) {
    if (batch != b) {
      return -1;
    }
    int lo = 0;
    int hi = causes;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (causeTime[mid] >= due) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo < causes ? lo : -1;
  }

  long causeTime(int i) {
    return causeTime[i];
  }

  long causeOffset(int i) {
    return causeOffset[i];
  }

  long causeId(int i) {
    return causeId[i];
  }

  double causePrice(int i) {
    return causePrice[i];
  }

  double causeAmount(int i) {
    return causeAmount[i];
  }

  boolean causeTrade(int i) {
    return causeTrade[i];
  }
}

package candlecast.feed;

import candlecast.common.Side;
import candlecast.common.Trade;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * An oracle for a constant-product curve's spot prices, recomputed from its trades alone (price =
 * SOL per token, amount = tokens): each trade's SOL and tokens fix the virtual token reserve before
 * it (a quadratic in the reserve, since virtual SOL = k / tokens), hence the spot after it.
 * Independent of {@link BondingCurve}'s bookkeeping; only the launch constant k is shared. The
 * curve rounds each trade in its favour, so its product grows by about 1e-10 per trade: the spots
 * agree to about 1e-7 after thousands of trades.
 */
final class CurveSpots {
  private static final double K =
      BondingCurve.INITIAL_VIRTUAL_SOL * BondingCurve.INITIAL_VIRTUAL_TOKENS;

  private CurveSpots() {}

  /** The spot before the first trade and after every trade, in trade-id order. */
  static List<Double> after(List<Trade> trades) {
    List<Trade> ordered = new ArrayList<>(trades);
    ordered.sort(Comparator.comparingLong(Trade::id));
    List<Double> spots = new ArrayList<>();
    for (Trade t : ordered) {
      double sol = t.price() * t.amount();
      double tokens = t.amount();
      double before =
          t.side() == Side.BUY ? reserveBeforeBuy(sol, tokens) : reserveBeforeSell(sol, tokens);
      if (spots.isEmpty()) {
        spots.add(K / (before * before));
      }
      double after = t.side() == Side.BUY ? before - tokens : before + tokens;
      spots.add(K / (after * after));
    }
    return spots;
  }

  /** Buying {@code tokens} for {@code sol}: avg·t² − sol·t − k = 0 with avg = sol / tokens. */
  static double reserveBeforeBuy(double sol, double tokens) {
    double avg = sol / tokens;
    return (sol + Math.sqrt(sol * sol + 4 * avg * K)) / (2 * avg);
  }

  /** Selling {@code tokens} for {@code sol}: sol·t² + sol·tokens·t − k·tokens = 0. */
  static double reserveBeforeSell(double sol, double tokens) {
    double b = sol * tokens;
    return (-b + Math.sqrt(b * b + 4 * sol * K * tokens)) / (2 * sol);
  }
}

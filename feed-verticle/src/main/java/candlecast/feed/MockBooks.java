package candlecast.feed;

import candlecast.common.Book;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Books for simulated symbols, as pure functions.
 *
 * <ul>
 *   <li>{@link #around}: a plausible limit order book around the last trade price — the best bid
 *       below it and the best ask above it on the price grid the mock trades on, levels a few basis
 *       points apart, resting notional log-normal (median ≈ 2,000) and growing away from the touch.
 *   <li>{@link #curve}: a bonding-curve token's book is its curve: the ask at price p holds the
 *       tokens a buy takes out while it moves the spot price from the previous level up to p, the
 *       bid at p the tokens a sell puts in while it moves the price down to p (constant product:
 *       the curve holds {@code sqrt(k / p)} virtual tokens at spot p), limited to the tokens the
 *       curve still sells and to those it can buy back.
 * </ul>
 */
final class MockBooks {
  /** Median resting notional of a level (quote currency). */
  static final double MEDIAN_NOTIONAL = 2_000;

  /** Relative price step between two curve levels. */
  static final double CURVE_STEP = 0.004;

  private static final double TOKEN_UNITS = 1e6;

  private MockBooks() {}

  /**
   * Price grid of a mock price: cents at 1 and above, micro-units below (as the mock generator
   * rounds).
   */
  static double scale(double price) {
    return price >= 1 ? 100 : 1_000_000;
  }

  /** A book of {@code depth} levels per side around {@code price} (> 0), drawn from {@code rnd}. */
  static Book around(String symbol, double price, long timeUs, int depth, Random rnd) {
    double scale = scale(price);
    long ticks = Math.max(1, Math.round(price * scale));
    long step = Math.max(1, Math.round(ticks * 0.0001));
    long half = Math.max(1, Math.round(step * (0.25 + 0.5 * rnd.nextDouble())));
    long bid = Math.max(1, ticks - half);
    long ask = Math.max(bid + 1, ticks + half);
    List<Book.Level> bids = new ArrayList<>(depth);
    List<Book.Level> asks = new ArrayList<>(depth);
    for (int i = 0; i < depth; i++) {
      if (bid >= 1) {
        bids.add(new Book.Level(bid / scale, amount(price, i, rnd)));
      }
      asks.add(new Book.Level(ask / scale, amount(price, i, rnd)));
      bid -= gap(step, rnd);
      ask += gap(step, rnd);
    }
    return new Book(symbol, Book.NO_SEQ, timeUs, bids, asks);
  }

  private static long gap(long step, Random rnd) {
    return Math.max(1, Math.round(step * (0.5 + rnd.nextDouble())));
  }

  private static double amount(double price, int level, Random rnd) {
    double notional = MEDIAN_NOTIONAL * Math.exp(rnd.nextGaussian()) * (1 + level / 10.0);
    return Math.max(1, Math.round(notional / price * 1e8)) / 1e8;
  }

  /** The book of {@code c}'s curve: {@code depth} levels per side, {@link #CURVE_STEP} apart. */
  static Book curve(String symbol, BondingCurve c, long timeUs, int depth) {
    double k = c.product();
    double spot = c.price();
    List<Book.Level> asks = curveSide(k, spot, 1 + CURVE_STEP, depth, c.realTokenReserves());
    List<Book.Level> bids = curveSide(k, spot, 1 - CURVE_STEP, depth, c.tokensSold());
    return new Book(symbol, Book.NO_SEQ, timeUs, bids, asks);
  }

  /**
   * Levels from the spot price outwards by {@code factor} per level, until {@code available} tokens
   * are used up.
   */
  private static List<Book.Level> curveSide(
      double k, double spot, double factor, int depth, double available) {
    List<Book.Level> out = new ArrayList<>(depth);
    double left = Math.floor(available * TOKEN_UNITS) / TOKEN_UNITS;
    double p = spot;
    double tokens = Math.sqrt(k / spot);
    for (int i = 0; i < depth && left > 0; i++) {
      double next = p * factor;
      double nextTokens = Math.sqrt(k / next);
      double amount =
          Math.min(left, Math.floor(Math.abs(tokens - nextTokens) * TOKEN_UNITS) / TOKEN_UNITS);
      if (amount <= 0) {
        break;
      }
      out.add(new Book.Level(next, amount));
      left = Math.round((left - amount) * TOKEN_UNITS) / TOKEN_UNITS;
      p = next;
      tokens = nextTokens;
    }
    return out;
  }
}

package candlecast.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import candlecast.common.Book;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MockBooksTest {
  @Test
  void aPlausibleBookStraddlesThePriceOnItsGrid() {
    Random rnd = new Random(1);
    for (double price : new double[] {60_123.45, 3_000.07, 100.0, 1.01, 0.000_031}) {
      for (int n = 0; n < 50; n++) {
        Book b = MockBooks.around("AB", price, 1_000, 100, rnd);
        assertThat(b.problem()).as("valid at %s", price).isNull();
        assertThat(b.bids()).hasSizeBetween(1, 100);
        assertThat(b.asks()).hasSize(100);
        assertThat(b.bestBid()).isLessThan(price);
        assertThat(b.bestAsk()).isGreaterThan(price);
        double scale = MockBooks.scale(price);
        assertThat(b.bestAsk() - b.bestBid())
            .as("spread at %s: a few basis points, or 2 ticks", price)
            .isLessThanOrEqualTo(Math.max(price * 0.0015, 2.0001 / scale));
        for (Book.Level l : b.asks()) {
          assertThat(l.price() * scale)
              .as("on the grid")
              .isCloseTo(Math.rint(l.price() * scale), within(1e-6));
          assertThat(l.amount()).isPositive();
        }
      }
    }
    assertThat(MockBooks.around("AB", 100, 7_000, 100, rnd).timeUs()).isEqualTo(7_000);
  }

  /**
   * The curve's asks hold what buying on the curve gives: buying up to each ask's price with {@link
   * BondingCurve#buy} (an independent path: SOL in, tokens out) yields the tokens of the asks up to
   * it.
   */
  @Test
  void aCurveTokensBookIsItsCurve() {
    double sold = 300_000_000;
    Book b = MockBooks.curve("PUMPSOL", new BondingCurve(sold), 5_000, 100);
    assertThat(b.problem()).isNull();
    BondingCurve reference = new BondingCurve(sold);
    double spot = reference.price();
    assertThat(b.bestBid()).isLessThan(spot);
    assertThat(b.bestAsk()).isGreaterThan(spot);
    assertThat(b.bestAsk() / spot).isCloseTo(1 + MockBooks.CURVE_STEP, within(1e-12));
    double cumulative = 0;
    for (int i = 0; i < b.asks().size(); i += 9) {
      BondingCurve c = new BondingCurve(sold);
      cumulative = 0;
      for (int j = 0; j <= i; j++) {
        cumulative += b.asks().get(j).amount();
      }
      double target = b.asks().get(i).price();
      double solNeeded = Math.sqrt(c.product() * target) - c.virtualSol();
      double[] got = c.buy(solNeeded);
      // SOL goes in whole lamports (1e-9 SOL ≈ 0.03 tokens here), token amounts in 1e-6 units per
      // level
      assertThat(got[1])
          .as("tokens up to ask %d", i)
          .isCloseTo(cumulative, within(0.05 + 1e-6 * (i + 1)));
      assertThat(c.price()).isCloseTo(target, within(target * 1e-9));
    }
    double bidTokens = b.bids().stream().mapToDouble(Book.Level::amount).sum();
    assertThat(bidTokens).isLessThanOrEqualTo(sold);
  }

  @Test
  void aNearlySoldOutCurveOffersOnlyWhatIsLeft() {
    BondingCurve c = new BondingCurve(BondingCurve.INITIAL_REAL_TOKENS - 1_000);
    Book b = MockBooks.curve("PUMPSOL", c, 0, 100);
    double asks = b.asks().stream().mapToDouble(Book.Level::amount).sum();
    assertThat(asks).isCloseTo(c.realTokenReserves(), within(1e-6));
    assertThat(b.asks().size()).isLessThan(100);
    BondingCurve fresh = new BondingCurve(0);
    assertThat(MockBooks.curve("PUMPSOL", fresh, 0, 100).bids())
        .as("nothing sold, nothing to buy back")
        .isEmpty();
  }
}

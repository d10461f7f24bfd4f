package candlecast.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import candlecast.common.Side;
import candlecast.common.Trade;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class MockTradeGeneratorTest {

  @Test
  void sameSeedGivesTheSameSequencePerSymbolWhateverTheInterleaving() {
    MockTradeGenerator a = new MockTradeGenerator(42, 1000);
    MockTradeGenerator b = new MockTradeGenerator(42, 1000);
    List<Trade> aBtc = new ArrayList<>();
    List<Trade> aEth = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      aBtc.add(a.next("BTCUSD", 10_000 + i));
      aEth.add(a.next("ETHUSD", 10_000 + i));
    }
    List<Trade> bBtc = new ArrayList<>();
    List<Trade> bEth = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      bEth.add(b.next("ETHUSD", 10_000 + i));
    }
    for (int i = 0; i < 500; i++) {
      bBtc.add(b.next("BTCUSD", 10_000 + i));
    }
    assertThat(bBtc).isEqualTo(aBtc);
    assertThat(bEth).isEqualTo(aEth);

    MockTradeGenerator other = new MockTradeGenerator(43, 1000);
    List<Trade> otherBtc = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      otherBtc.add(other.next("BTCUSD", 10_000 + i));
    }
    assertThat(otherBtc).isNotEqualTo(aBtc);
  }

  @Test
  void millionStepsStayValidPositiveAndNearTheBasePrice() {
    MockTradeGenerator g = new MockTradeGenerator(7, 5_000_000);
    for (String symbol : List.of("BTCUSD", "ETHUSD", "SOLUSD")) {
      double base = MockTradeGenerator.basePrice(symbol);
      long prevId = -1;
      long buys = 0;
      long sameAsPrevious = 0;
      Side prevSide = null;
      double min = Double.MAX_VALUE;
      double max = 0;
      int n = 1_000_000;
      double[] notionals = new double[n];
      for (int i = 0; i < n; i++) {
        Trade t = g.next(symbol, 1_700_000_000_000L + i);
        assertThat(t.invalidReason()).as("trade %s", t).isNull();
        assertThat(t.symbol()).isEqualTo(symbol);
        assertThat(t.time()).isEqualTo(1_700_000_000_000L + i);
        assertThat(t.id()).isGreaterThan(prevId);
        if (i == 0) {
          assertThat(t.id()).isEqualTo(5_000_000);
          assertThat(t.price()).isCloseTo(base, within(base * 0.01));
        }
        prevId = t.id();
        assertThat(t.price()).isPositive();
        assertThat(t.amount()).isPositive();
        min = Math.min(min, t.price());
        max = Math.max(max, t.price());
        if (t.side() == Side.BUY) {
          buys++;
        }
        if (t.side() == prevSide) {
          sameAsPrevious++;
        }
        prevSide = t.side();
        notionals[i] = t.price() * t.amount();
      }
      // Realistic: wanders, but stays within a factor of 1.5 of its base over a million trades.
      assertThat(min).as("%s min", symbol).isGreaterThan(base / 1.5).isLessThan(base);
      assertThat(max).as("%s max", symbol).isLessThan(base * 1.5).isGreaterThan(base);
      assertThat(buys / (double) n).as("%s buy share", symbol).isBetween(0.47, 0.53);
      assertThat(sameAsPrevious / (double) n).as("%s momentum", symbol).isBetween(0.57, 0.63);
      Arrays.sort(notionals);
      assertThat(notionals[n / 2]).as("%s median notional", symbol).isBetween(100.0, 220.0);
      assertThat(notionals[n - 1])
          .as("%s largest notional", symbol)
          .isGreaterThan(notionals[n / 2] * 20);
    }
  }

  @Test
  void pricesAreRoundedToCents() {
    MockTradeGenerator g = new MockTradeGenerator(1, 0);
    for (int i = 0; i < 1000; i++) {
      double p = g.next("ETHUSD", i).price();
      assertThat(Math.abs(p * 100 - Math.rint(p * 100))).isLessThan(1e-6);
    }
  }

  @Test
  void rejectsBadArguments() {
    assertThatThrownBy(() -> new MockTradeGenerator(1, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("startId");
    assertThatThrownBy(() -> new MockTradeGenerator(1, 0).next(null, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("symbol");
  }

  @Test
  void curveTokenTradesMoveItsBondingCurveDeterministically() {
    MockTradeGenerator a = new MockTradeGenerator(11, 100, java.util.Set.of("PUMPSOL"));
    MockTradeGenerator b = new MockTradeGenerator(11, 100, java.util.Set.of("PUMPSOL"));
    assertThat(a.isCurve("PUMPSOL")).isTrue();
    assertThat(a.isCurve("BTCUSD")).isFalse();
    assertThat(b.next("PUMPSOL", 0)).isEqualTo(a.next("PUMPSOL", 0));
    BondingCurve curve = a.curve("PUMPSOL");
    double k = curve.initialProduct();
    double minSold = 1;
    double maxSold = 0;
    long buys = 0;
    int n = 50_000;
    double[] sols = new double[n];
    for (int i = 0; i < n; i++) {
      double before = curve.price();
      double solBefore = curve.virtualSol();
      double tokensBefore = curve.virtualTokens();
      Trade t = a.next("PUMPSOL", 1_000 + i);
      assertThat(b.next("PUMPSOL", 1_000 + i)).as("same seed, same trade").isEqualTo(t);
      assertThat(t.invalidReason()).as("trade %d %s", i, t).isNull();
      double after = curve.price();
      double sol = Math.abs(curve.virtualSol() - solBefore);
      double tokens = Math.abs(curve.virtualTokens() - tokensBefore);
      // Each trade moves the reserves by exactly its amounts, the price in its direction, and pays
      // in between.
      assertThat(tokens).isCloseTo(t.amount(), within(1e-3));
      assertThat(t.price()).isCloseTo(sol / tokens, within(t.price() * 1e-6));
      if (t.side() == Side.BUY) {
        buys++;
        assertThat(after).isGreaterThan(before);
        assertThat(t.price()).isBetween(before * (1 - 1e-9), after * (1 + 1e-9));
      } else {
        assertThat(after).isLessThan(before);
        assertThat(t.price()).isBetween(after * (1 - 1e-9), before * (1 + 1e-9));
      }
      assertThat(curve.product()).isGreaterThanOrEqualTo(k * (1 - 1e-9)).isLessThan(k * (1 + 1e-6));
      double sold = curve.tokensSold() / BondingCurve.INITIAL_REAL_TOKENS;
      minSold = Math.min(minSold, sold);
      maxSold = Math.max(maxSold, sold);
      sols[i] = sol;
    }
    // Pumps and dumps, but neither completes nor empties the curve; both sides trade; sizes are
    // pump.fun-like.
    assertThat(maxSold).isLessThanOrEqualTo(0.95 + 1e-9).isGreaterThan(0.5);
    assertThat(minSold).isGreaterThan(0.0).isLessThan(0.4);
    assertThat(buys / (double) n).isBetween(0.4, 0.6);
    java.util.Arrays.sort(sols);
    assertThat(sols[n / 2]).as("median SOL per trade").isBetween(0.2, 1.0);
    assertThat(sols[n - 1]).isLessThanOrEqualTo(25.0 + 1e-9);
    // The price stays in SOL per token: pump.fun tokens trade around 1e-8 to 1e-6 SOL.
    assertThat(curve.price()).isBetween(1e-8, 1e-6);
  }
}

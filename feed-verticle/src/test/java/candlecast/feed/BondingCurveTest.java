package candlecast.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class BondingCurveTest {

  @Test
  void launchStateIsPumpFunsAndPriceIsSolPerToken() {
    BondingCurve c = new BondingCurve(0);
    assertThat(c.virtualSol()).isEqualTo(30.0);
    assertThat(c.virtualTokens()).isEqualTo(1_073_000_000.0);
    assertThat(c.price()).isCloseTo(30.0 / 1_073_000_000.0, within(1e-18));
    assertThat(c.realTokenReserves()).isEqualTo(793_100_000.0);
  }

  @Test
  void buysAndSellsMoveTheReservesAlongTheConstantProduct() {
    BondingCurve c = new BondingCurve(200_000_000);
    double k = c.initialProduct();
    double before = c.price();
    double[] buy = c.buy(2.5);
    assertThat(buy[0]).isEqualTo(2.5);
    assertThat(buy[1]).isPositive();
    double after = c.price();
    assertThat(after).isGreaterThan(before);
    double paid = buy[0] / buy[1];
    assertThat(paid).as("execution price between spot before and after").isBetween(before, after);
    assertThat(c.product()).isGreaterThanOrEqualTo(k * (1 - 1e-12)).isLessThan(k * (1 + 1e-9));

    double[] sell = c.sell(buy[1]);
    assertThat(sell[1]).isEqualTo(buy[1]);
    assertThat(sell[0])
        .as("selling back returns (at most) what was paid")
        .isLessThanOrEqualTo(2.5)
        .isGreaterThan(2.5 - 1e-6);
    assertThat(c.price()).isCloseTo(before, within(before * 1e-9));
    assertThat(c.product()).isGreaterThanOrEqualTo(k * (1 - 1e-12));
  }

  @Test
  void aBuyIsCappedAtTheTokensLeftOnTheCurve() {
    BondingCurve c = new BondingCurve(793_000_000);
    double[] r = c.buy(1_000);
    assertThat(r[1]).isCloseTo(100_000.0, within(1e-6));
    assertThat(r[0]).isLessThan(1_000);
    assertThat(c.realTokenReserves()).isCloseTo(0, within(1e-3));
    assertThatThrownBy(() -> c.buy(1)).hasMessageContaining("no tokens left");
  }

  @Test
  void rejectsNonsense() {
    assertThatThrownBy(() -> new BondingCurve(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new BondingCurve(0).buy(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new BondingCurve(0).sell(10))
        .hasMessageContaining("some must have been sold");
  }
}

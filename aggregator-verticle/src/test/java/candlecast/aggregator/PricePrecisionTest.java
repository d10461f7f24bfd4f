package candlecast.aggregator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PricePrecisionTest {
  @Test
  void decimalsOfAPriceAreThoseOfItsShortestDecimalForm() {
    assertThat(PricePrecision.decimals(65246.36)).isEqualTo(2);
    assertThat(PricePrecision.decimals(65000.1)).isEqualTo(1);
    assertThat(PricePrecision.decimals(65000)).isZero();
    assertThat(PricePrecision.decimals(-0.125)).isEqualTo(3);
    assertThat(PricePrecision.decimals(0.00012345)).isEqualTo(8);
    assertThat(PricePrecision.decimals(0)).isZero();
    assertThat(PricePrecision.decimals(Double.NaN)).isZero();
    assertThat(PricePrecision.decimals(Double.POSITIVE_INFINITY)).isZero();
  }

  @Test
  void decimalsAreCappedAtEightOrAtEightSignificantDigitsForSmallPrices() {
    assertThat(PricePrecision.decimals(0.1 + 0.2)).as("0.30000000000000004").isEqualTo(8);
    assertThat(PricePrecision.decimals(1234.123456789012)).isEqualTo(8);
    // pump.fun-style prices: 8 places would be nothing; 8 significant digits are kept
    assertThat(PricePrecision.decimals(2.795899347623e-8)).isEqualTo(15);
    assertThat(PricePrecision.decimals(2.5e-8)).isEqualTo(9);
    assertThat(PricePrecision.decimals(0.05123456789)).isEqualTo(9);
  }

  @Test
  void aSymbolsPrecisionIsTheMostAnyOfItsPricesNeeds() {
    assertThat(PricePrecision.of(65246.36, 65000.1, 65100)).isEqualTo(2);
    assertThat(PricePrecision.of()).isZero();
  }

  @Test
  void roundingRemovesFloatingPointNoiseButNoRealDigit() {
    assertThat(65000.01 - 65246.36).isEqualTo(-246.34999999999854);
    assertThat(PricePrecision.round(65000.01 - 65246.36, 2)).isEqualTo(-246.35);
    assertThat(PricePrecision.round(100.1 - 100.0, 1)).isEqualTo(0.1);
    assertThat(PricePrecision.round(0.125, 2)).isEqualTo(0.13);
    assertThat(PricePrecision.round(-0.125, 2)).isEqualTo(-0.13);
    assertThat(PricePrecision.round(2.8e-8 - 3.1e-8, PricePrecision.of(2.8e-8, 3.1e-8)))
        .isEqualTo(-3.0e-9);
    assertThat(PricePrecision.round(Double.NaN, 2)).isNaN();
  }
}

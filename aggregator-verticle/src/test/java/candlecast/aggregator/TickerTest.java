package candlecast.aggregator;

import static org.assertj.core.api.Assertions.assertThat;

import candlecast.common.Candle;
import candlecast.common.Timeframe;
import org.junit.jupiter.api.Test;

class TickerTest {
  static final long T0 = 1_700_000_040_000L / 60_000L * 60_000L;

  private static Candle m1(long t, double open, double high, double low, double close) {
    return new Candle("BTCUSD", Timeframe.M1, t, open, high, low, close, 1.5, 3, true);
  }

  @Test
  void changeIsRoundedToTheSymbolsPricePrecision() {
    HistoryStore history = new HistoryStore(HistoryStore.defaultRetention());
    history.put(m1(T0, 65246.36, 65300.5, 65200, 65250));
    history.put(m1(T0 + 60_000, 65250, 65260, 64990.25, 65000.01));
    Ticker t = Ticker.compute("BTCUSD", history);
    assertThat(t.open24h()).isEqualTo(65246.36);
    assertThat(t.last()).isEqualTo(65000.01);
    assertThat(t.change())
        .as("65000.01 - 65246.36 in doubles is -246.34999999999854")
        .isEqualTo(-246.35);
    assertThat(t.toJson().encode()).contains("\"change\":-246.35,");
    assertThat(t.changePct())
        .isCloseTo(-246.35 / 65246.36 * 100, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(t.high()).isEqualTo(65300.5);
    assertThat(t.low()).isEqualTo(64990.25);
    assertThat(t.volume()).isEqualTo(3.0);
    assertThat(t.trades()).isEqualTo(6);
  }

  @Test
  void tinyPricesKeepTheirSignificantDigits() {
    HistoryStore history = new HistoryStore(HistoryStore.defaultRetention());
    history.put(m1(T0, 3.1e-8, 3.2e-8, 2.7e-8, 2.9e-8));
    history.put(m1(T0 + 60_000, 2.9e-8, 2.9e-8, 2.75e-8, 2.8e-8));
    Ticker t = Ticker.compute("BTCUSD", history);
    assertThat(2.8e-8 - 3.1e-8).isNotEqualTo(-3.0e-9);
    assertThat(t.change()).isEqualTo(-3.0e-9);
  }

  @Test
  void noCandleNoTicker() {
    assertThat(Ticker.compute("BTCUSD", new HistoryStore(HistoryStore.defaultRetention())))
        .isNull();
  }
}

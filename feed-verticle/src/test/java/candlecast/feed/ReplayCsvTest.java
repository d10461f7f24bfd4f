package candlecast.feed;

import static org.assertj.core.api.Assertions.assertThat;

import candlecast.common.Side;
import candlecast.common.Trade;
import org.junit.jupiter.api.Test;

class ReplayCsvTest {

  @Test
  void header() {
    assertThat(ReplayCsv.headerProblem("symbol,id,time,price,amount,side")).isNull();
    assertThat(ReplayCsv.headerProblem("\uFEFFSymbol, id, time, price, amount, side")).isNull();
    assertThat(ReplayCsv.headerProblem("symbol,id,price,time,amount,side"))
        .isEqualTo(
            "the first line must be the header 'symbol,id,time,price,amount,side', was "
                + "'symbol,id,price,time,amount,side'");
    assertThat(ReplayCsv.headerProblem(null)).startsWith("the file is empty");
  }

  @Test
  void rows() {
    assertThat(ReplayCsv.parse("BTCUSD,9007199254740993,1700000000123,37000.5,0.0125,buy", 2))
        .isEqualTo(
            new ReplayCsv.Row(
                2,
                new Trade("BTCUSD", 9007199254740993L, 1700000000123L, 37000.5, 0.0125, Side.BUY),
                null,
                null));
    assertThat(ReplayCsv.parse(" ethusd , 7 , 1 , 2.5 , 3 , SELL ", 3).trade())
        .isEqualTo(new Trade("ETHUSD", 7, 1, 2.5, 3, Side.SELL));
    assertThat(ReplayCsv.parse("   ", 4)).isNull();
    // Parsable but invalid values are left to the gate (it names the rule).
    assertThat(ReplayCsv.parse("BTCUSD,1,2,0,1,buy", 5).trade().invalidReason()).contains("price");
  }

  @Test
  void malformedRowsSayWhy() {
    assertThat(problem("BTCUSD,1,2,3,4"))
        .isEqualTo(
            "expected 6 fields (symbol,id,time,price,amount,side), got 5: " + "'BTCUSD,1,2,3,4'");
    assertThat(problem("BTC_USD,1,2,3,4,buy")).isEqualTo("bad symbol 'BTC_USD'");
    assertThat(ReplayCsv.parse("btc-usd,1,2,3,4,buy", 1).trade().symbol())
        .as("an alias")
        .isEqualTo("BTCUSD");
    assertThat(problem("BTCUSD,,2,3,4,buy")).isEqualTo("missing id");
    assertThat(problem("BTCUSD,1.5,2,3,4,buy")).isEqualTo("bad id '1.5'");
    assertThat(problem("BTCUSD,1,2023-01-01,3,4,buy"))
        .isEqualTo("bad time '2023-01-01' (expected epoch milliseconds)");
    assertThat(problem("BTCUSD,1,2,abc,4,buy")).isEqualTo("bad price 'abc'");
    assertThat(problem("BTCUSD,1,2,3,,buy")).isEqualTo("bad amount ''");
    assertThat(problem("BTCUSD,1,2,3,4,hold"))
        .isEqualTo("unknown side 'hold' (expected buy or sell)");
    ReplayCsv.Row r = ReplayCsv.parse("BTCUSD,1,2,abc,4,buy", 42);
    assertThat(r.line()).isEqualTo(42);
    assertThat(r.text()).isEqualTo("BTCUSD,1,2,abc,4,buy");
  }

  private static String problem(String line) {
    ReplayCsv.Row r = ReplayCsv.parse(line, 9);
    assertThat(r.trade()).isNull();
    return r.problem();
  }

  @Test
  void lineRoundTrips() {
    Trade t = new Trade("SOLUSD", 12, 1700000000000L, 101.25, 3.5, Side.SELL);
    assertThat(ReplayCsv.parse(ReplayCsv.line(t), 2).trade()).isEqualTo(t);
  }
}

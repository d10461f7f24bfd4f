package candlecast.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SymbolsTest {

  @ParameterizedTest
  @CsvSource({
    "BTCUSD, BTCUSD",
    "btcusd, BTCUSD",
    "' BtcUsd ', BTCUSD",
    "BTC-USD, BTCUSD",
    "btc-usd, BTCUSD",
    "' eth-usd ', ETHUSD",
    "A-B, AB",
    "1INCH-USD, 1INCHUSD",
    "A-B-C-D-E-F-G-H-I-J-K-L-M-N-O-P-Q-R-S-T, ABCDEFGHIJKLMNOPQRST"
  })
  void acceptsCaseAndTheDashedStyleAsAliases(String raw, String canonical) {
    assertThat(Symbols.normalize(raw)).isEqualTo(canonical);
    assertThat(Symbols.isValid(canonical)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        " ",
        "B",
        "B-",
        "-BTC",
        "BTC-",
        "BTC--USD",
        "BTC_USD",
        "BTC/USD",
        "BTC USD",
        "BTC-US$",
        "ABCDEFGHIJKLMNOPQRSTU",
        "ABCDEFGHIJ-KLMNOPQRSTU",
        "A-",
        "-",
        "--",
        "É-USD",
        "A-B-C-D-E-F-G-H-I-J-K-L-M-N-O-P-Q-R-S-T-U"
      })
  void rejectsWhatIsNoSymbol(String raw) {
    assertThat(Symbols.normalize(raw)).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"BTC-USD", "btcusd", " BTCUSD"})
  void onlyTheCanonicalFormIsValidAsIs(String raw) {
    assertThat(Symbols.isValid(raw)).isFalse();
    assertThat(Symbols.isValid(Symbols.normalize(raw))).isTrue();
  }

  @org.junit.jupiter.api.Test
  void nullIsNoSymbol() {
    assertThat(Symbols.normalize(null)).isNull();
    assertThat(Symbols.isValid(null)).isFalse();
  }
}

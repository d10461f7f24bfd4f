package candlecast.feed;

import static org.assertj.core.api.Assertions.assertThat;

import candlecast.common.Side;
import candlecast.common.Trade;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The per-connection rules a maintenance switch and the subscribe phase rely on. */
class BitstampConnectionTest {
  private static final List<String> SYMBOLS = List.of("BTCUSD", "ETHUSD");

  @Test
  void theActiveConnectionHasCaughtUpOnceItDeliveredTheNewOnesFirstTradeOfEverySymbol() {
    BitstampConnection c = new BitstampConnection(2);
    assertThat(c.caughtUp(Map.of("BTCUSD", 10L, "ETHUSD", 10L), SYMBOLS))
        .as("no first trade yet")
        .isFalse();
    c.firstId.put("BTCUSD", 10L);
    assertThat(c.caughtUp(Map.of("BTCUSD", 10L, "ETHUSD", 10L), SYMBOLS))
        .as("ETHUSD has no first trade")
        .isFalse();
    c.firstId.put("ETHUSD", 20L);
    assertThat(c.caughtUp(Map.of("BTCUSD", 10L, "ETHUSD", 19L), SYMBOLS))
        .as("ETHUSD 20 not delivered")
        .isFalse();
    assertThat(c.caughtUp(Map.of("BTCUSD", 10L), SYMBOLS))
        .as("nothing of ETHUSD delivered")
        .isFalse();
    assertThat(c.caughtUp(Map.of("BTCUSD", 10L, "ETHUSD", 20L), SYMBOLS)).isTrue();
    assertThat(c.caughtUp(Map.of("BTCUSD", 11L, "ETHUSD", 25L), SYMBOLS)).isTrue();
  }

  @Test
  void earlyTradesAreKeptUpToTheBoundAndTheRestCounted() {
    BitstampConnection c = new BitstampConnection(1);
    for (long id = 1; id <= 5; id++) {
      c.keepEarly(new Trade("BTCUSD", id, 1_000, 1.0, 1.0, Side.BUY), 3);
    }
    assertThat(c.early).extracting(Trade::id).containsExactly(1L, 2L, 3L);
    assertThat(c.earlyDropped).isEqualTo(2);
  }
}

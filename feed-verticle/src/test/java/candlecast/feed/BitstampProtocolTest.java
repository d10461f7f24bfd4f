package candlecast.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import candlecast.common.Side;
import candlecast.common.Trade;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BitstampProtocolTest {
  private static final Map<String, String> CHANNELS = Map.of("live_trades_btcusd", "BTCUSD");

  @Test
  void framesToSend() {
    assertThat(BitstampProtocol.channel("BTCUSD")).isEqualTo("live_trades_btcusd");
    assertThat(BitstampProtocol.subscribeFrame("live_trades_btcusd"))
        .isEqualTo("{\"event\":\"bts:subscribe\",\"data\":{\"channel\":\"live_trades_btcusd\"}}");
    assertThat(BitstampProtocol.heartbeatFrame()).isEqualTo("{\"event\":\"bts:heartbeat\"}");
    // The longest symbol still makes a frame far under 512 bytes; anything longer is refused before
    // sending.
    String longest =
        BitstampProtocol.subscribeFrame(BitstampProtocol.channel("ABCDEFGHIJKLMNOPQRST"));
    assertThat(longest.getBytes(StandardCharsets.UTF_8).length).isLessThan(512);
    assertThatThrownBy(() -> BitstampProtocol.subscribeFrame("x".repeat(600)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("exceeds 511");
  }

  @Test
  void tradeWithIdStrBeyondTwoToThe53AndMicrosecondTime() {
    String frame =
        "{\"event\":\"trade\",\"channel\":\"live_trades_btcusd\",\"data\":{\"id\":9007199254740993,"
            + "\"id_str\":\"9007199254740993\",\"timestamp\":\"1700000000\",\"microtimestamp\":\"1700000000123456\","
            + "\"amount\":0.0125,\"amount_str\":\"0.01250000\",\"price\":37000.5,\"price_str\":\"37000.50\","
            + "\"type\":1,\"buy_order_id\":1,\"sell_order_id\":2}}";
    BitstampProtocol.TradeEvent e =
        (BitstampProtocol.TradeEvent) BitstampProtocol.parse(frame, CHANNELS);
    assertThat(e.problem()).isNull();
    assertThat(e.trade())
        .isEqualTo(
            new Trade("BTCUSD", 9007199254740993L, 1700000000123L, 37000.5, 0.0125, Side.SELL));
  }

  @Test
  void numericIdIsReadExactlyAndStrFieldsWinOverNumbers() {
    String frame =
        "{\"event\":\"trade\",\"channel\":\"live_trades_btcusd\",\"data\":{\"id\":9007199254740995,"
            + "\"microtimestamp\":\"1700000000999999\",\"amount\":1.0,\"amount_str\":\"2.5\",\"price\":1.0,"
            + "\"price_str\":\"36999.99\",\"type\":0}}";
    Trade t = ((BitstampProtocol.TradeEvent) BitstampProtocol.parse(frame, CHANNELS)).trade();
    assertThat(t.id()).isEqualTo(9007199254740995L);
    assertThat(t.time()).isEqualTo(1700000000999L);
    assertThat(t.price()).isEqualTo(36999.99);
    assertThat(t.amount()).isEqualTo(2.5);
    assertThat(t.side()).isEqualTo(Side.BUY);
  }

  @Test
  void fallbacksAndValuesLeftForTheGateToReject() {
    // no id, time from seconds, numeric price, unknown type: parsed, invalid for the gate
    String frame =
        "{\"event\":\"trade\",\"channel\":\"live_trades_btcusd\",\"data\":{\"timestamp\":\"1700000001\","
            + "\"amount\":0.5,\"price\":100.25,\"type\":7}}";
    Trade t = ((BitstampProtocol.TradeEvent) BitstampProtocol.parse(frame, CHANNELS)).trade();
    assertThat(t.id()).isEqualTo(-1);
    assertThat(t.time()).isEqualTo(1700000001000L);
    assertThat(t.price()).isEqualTo(100.25);
    assertThat(t.side()).isNull();
    assertThat(t.invalidReason()).contains("id");
  }

  @Test
  void unparsableTradesCarryTheirProblem() {
    assertThat(
            problem(
                "{\"id\":1,\"microtimestamp\":\"1\",\"price_str\":\"abc\",\"amount_str\":\"1\",\"type\":0}"))
        .isEqualTo("malformed price_str 'abc'");
    assertThat(
            problem(
                "{\"id\":1.5,\"microtimestamp\":\"1\",\"price_str\":\"1\",\"amount_str\":\"1\",\"type\":0}"))
        .startsWith("malformed id");
    assertThat(problem("{\"id_str\":\"12x\",\"price_str\":\"1\",\"amount_str\":\"1\",\"type\":0}"))
        .isEqualTo("malformed id_str '12x'");
    assertThat(
            problem(
                "{\"id\":1,\"microtimestamp\":\"soon\",\"price_str\":\"1\",\"amount_str\":\"1\",\"type\":0}"))
        .isEqualTo("malformed microtimestamp 'soon'");
    BitstampProtocol.TradeEvent other =
        (BitstampProtocol.TradeEvent)
            BitstampProtocol.parse(
                "{\"event\":\"trade\",\"channel\":\"live_trades_xrpusd\",\"data\":{}}", CHANNELS);
    assertThat(other.problem()).isEqualTo("trade on unknown channel 'live_trades_xrpusd'");
    BitstampProtocol.TradeEvent noData =
        (BitstampProtocol.TradeEvent)
            BitstampProtocol.parse(
                "{\"event\":\"trade\",\"channel\":\"live_trades_btcusd\",\"data\":\"x\"}",
                CHANNELS);
    assertThat(noData.problem()).isEqualTo("trade without a data object");
  }

  private static String problem(String data) {
    return ((BitstampProtocol.TradeEvent)
            BitstampProtocol.parse(
                "{\"event\":\"trade\",\"channel\":\"live_trades_btcusd\",\"data\":" + data + "}",
                CHANNELS))
        .problem();
  }

  @Test
  void controlEvents() {
    assertThat(
            BitstampProtocol.parse(
                "{\"event\":\"bts:subscription_succeeded\",\"channel\":\"live_trades_btcusd\","
                    + "\"data\":{}}",
                CHANNELS))
        .isEqualTo(new BitstampProtocol.SubscriptionSucceeded("live_trades_btcusd"));
    assertThat(
            BitstampProtocol.parse(
                "{\"event\":\"bts:heartbeat\",\"channel\":\"\",\"data\":{\"status\":\"success\"}}",
                CHANNELS))
        .isEqualTo(new BitstampProtocol.Heartbeat("success"));
    assertThat(
            BitstampProtocol.parse(
                "{\"event\":\"bts:request_reconnect\",\"channel\":\"\",\"data\":\"\"}", CHANNELS))
        .isInstanceOf(BitstampProtocol.RequestReconnect.class);
    assertThat(
            BitstampProtocol.parse(
                "{\"event\":\"bts:error\",\"channel\":\"\",\"data\":{\"code\":null,"
                    + "\"message\":\"Bad subscription string.\"}}",
                CHANNELS))
        .isEqualTo(new BitstampProtocol.Error("", "Bad subscription string."));
    assertThat(BitstampProtocol.parse("{\"event\":\"bts:unsubscription_succeeded\"}", CHANNELS))
        .isEqualTo(new BitstampProtocol.Other("bts:unsubscription_succeeded"));
  }

  @Test
  void malformedFrames() {
    assertThat(BitstampProtocol.parse("{not json", CHANNELS))
        .isInstanceOf(BitstampProtocol.Malformed.class);
    assertThat(BitstampProtocol.parse("[1,2]", CHANNELS))
        .isEqualTo(new BitstampProtocol.Malformed("not a JSON object"));
    assertThat(BitstampProtocol.parse("{\"data\":{}}", CHANNELS))
        .isEqualTo(new BitstampProtocol.Malformed("no event"));
  }

  @Test
  void restTransactions() {
    String body =
        "[{\"date\":\"1700000002\",\"tid\":\"9007199254740999\",\"price\":\"37001.10\","
            + "\"amount\":\"0.10000000\",\"type\":\"1\"},"
            + "{\"date\":\"1700000001\",\"tid\":9007199254740997,\"price\":\"37000.00\",\"amount\":\"0.2\",\"type\":\"0\"},"
            + "{\"date\":\"1700000001\",\"tid\":\"x\",\"price\":\"1\",\"amount\":\"1\",\"type\":\"0\"}]";
    List<BitstampProtocol.RestRow> rows = BitstampProtocol.parseTransactions(body, "BTCUSD");
    assertThat(rows).hasSize(3);
    assertThat(rows.get(0).trade())
        .isEqualTo(
            new Trade("BTCUSD", 9007199254740999L, 1700000002000L, 37001.10, 0.1, Side.SELL));
    assertThat(rows.get(1).trade())
        .isEqualTo(new Trade("BTCUSD", 9007199254740997L, 1700000001000L, 37000.0, 0.2, Side.BUY));
    assertThat(rows.get(2).trade()).isNull();
    assertThat(rows.get(2).problem()).isEqualTo("back-fill row: malformed tid 'x'");
    assertThatThrownBy(() -> BitstampProtocol.parseTransactions("{\"error\":\"x\"}", "BTCUSD"))
        .hasMessageContaining("expected a JSON array");
    assertThatThrownBy(() -> BitstampProtocol.parseTransactions("<html>", "BTCUSD"))
        .hasMessageContaining("malformed JSON");
  }

  @Test
  void restWindowCoversTheOutage() {
    assertThat(BitstampProtocol.transactionsWindow(10_000)).isEqualTo("minute");
    assertThat(BitstampProtocol.transactionsWindow(55_000)).isEqualTo("minute");
    assertThat(BitstampProtocol.transactionsWindow(56_000)).isEqualTo("hour");
    assertThat(BitstampProtocol.transactionsWindow(3_600_000)).isEqualTo("day");
    assertThat(BitstampProtocol.windowMs("hour")).isEqualTo(3_600_000);
  }
}

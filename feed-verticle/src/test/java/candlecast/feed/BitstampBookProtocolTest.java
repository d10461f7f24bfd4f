package candlecast.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import candlecast.common.Book;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BitstampBookProtocolTest {
  private static final Map<String, String> CHANNELS =
      Map.of(
          BitstampBookProtocol.diffChannel("BTCUSD"),
          "BTCUSD",
          BitstampBookProtocol.topChannel("BTCUSD"),
          "BTCUSD");

  private static BitstampBookProtocol.Message parse(String text) {
    return BitstampBookProtocol.parse(text, CHANNELS);
  }

  @Test
  void channelNamesFollowBitstamp() {
    assertThat(BitstampBookProtocol.diffChannel("BTCUSD")).isEqualTo("diff_order_book_btcusd");
    assertThat(BitstampBookProtocol.topChannel("ETHEUR")).isEqualTo("order_book_etheur");
  }

  @Test
  void aDiffCarriesTheChangedLevelsAndTheMicrotimestamp() {
    String frame =
        "{\"data\":{\"timestamp\":\"1583656800\",\"microtimestamp\":\"1583656800237527\","
            + "\"bids\":[[\"8732.02\",\"0.00002478\"],[\"8729.62\",\"0.00000000\"]],\"asks\":[[\"8735.67\",\"2.0\"]]},"
            + "\"event\":\"data\",\"channel\":\"diff_order_book_btcusd\"}";
    BitstampBookProtocol.Data d = (BitstampBookProtocol.Data) parse(frame);
    assertThat(d.symbol()).isEqualTo("BTCUSD");
    assertThat(d.top()).isFalse();
    assertThat(d.levels().timeUs()).isEqualTo(1_583_656_800_237_527L);
    assertThat(d.levels().bids())
        .containsExactly(new Book.Level(8732.02, 0.00002478), new Book.Level(8729.62, 0));
    assertThat(d.levels().asks()).containsExactly(new Book.Level(8735.67, 2.0));
  }

  @Test
  void aTopOfBookSnapshotAcceptsNumbersAndSecondsOnlyTime() {
    String frame =
        "{\"event\":\"data\",\"channel\":\"order_book_btcusd\",\"data\":{\"timestamp\":\"1583656800\","
            + "\"bids\":[[8732.5,1]],\"asks\":[]}}";
    BitstampBookProtocol.Data d = (BitstampBookProtocol.Data) parse(frame);
    assertThat(d.top()).isTrue();
    assertThat(d.levels().timeUs()).isEqualTo(1_583_656_800_000_000L);
    assertThat(d.levels().bids()).containsExactly(new Book.Level(8732.5, 1));
  }

  @Test
  void unusableDataSaysWhy() {
    assertThat(parse("{\"event\":\"data\",\"channel\":\"diff_order_book_ethusd\",\"data\":{}}"))
        .isEqualTo(
            new BitstampBookProtocol.Bad(
                "diff_order_book_ethusd", "data on unknown channel 'diff_order_book_ethusd'"));
    assertThat(reason("{\"bids\":[],\"asks\":[]}")).isEqualTo("no microtimestamp");
    assertThat(reason("{\"microtimestamp\":\"x\",\"bids\":[],\"asks\":[]}"))
        .isEqualTo("malformed microtimestamp 'x'");
    assertThat(reason("{\"microtimestamp\":\"1\",\"bids\":{},\"asks\":[]}"))
        .isEqualTo("'bids' is not an array");
    assertThat(reason("{\"microtimestamp\":\"1\",\"bids\":[[\"1\"]],\"asks\":[]}"))
        .isEqualTo("bids[0] is not [price, amount]");
    assertThat(reason("{\"microtimestamp\":\"1\",\"bids\":[],\"asks\":[[\"1\",\"-2\"]]}"))
        .isEqualTo("asks[0] has price 1.0 and amount -2.0");
    assertThat(reason("{\"microtimestamp\":\"1\",\"bids\":[],\"asks\":[[\"0\",\"2\"]]}"))
        .isEqualTo("asks[0] has price 0.0 and amount 2.0");
    assertThat(reason("{\"microtimestamp\":\"1\",\"bids\":[[\"abc\",\"2\"]],\"asks\":[]}"))
        .isEqualTo("bids[0] has a malformed number 'abc'");
    assertThat(parse("{\"event\":\"data\",\"channel\":\"order_book_btcusd\",\"data\":[]}"))
        .isInstanceOf(BitstampBookProtocol.Bad.class);
  }

  private static String reason(String data) {
    return ((BitstampBookProtocol.Bad)
            parse(
                "{\"event\":\"data\",\"channel\":\"diff_order_book_btcusd\",\"data\":"
                    + data
                    + "}"))
        .reason();
  }

  @Test
  void everythingElseIsTheTradeProtocolsControlMessages() {
    assertThat(
            parse(
                "{\"event\":\"bts:subscription_succeeded\",\"channel\":\"diff_order_book_btcusd\",\"data\":{}}"))
        .isEqualTo(
            new BitstampBookProtocol.Control(
                new BitstampProtocol.SubscriptionSucceeded("diff_order_book_btcusd")));
    assertThat(parse("{\"event\":\"bts:request_reconnect\",\"channel\":\"\",\"data\":\"\"}"))
        .isEqualTo(new BitstampBookProtocol.Control(new BitstampProtocol.RequestReconnect()));
    assertThat(((BitstampBookProtocol.Control) parse("{oops")).message())
        .isInstanceOf(BitstampProtocol.Malformed.class);
  }

  @Test
  void theRestSnapshotHasTheSameShape() {
    BookSync.Levels s =
        BitstampBookProtocol.parseSnapshot(
            "{\"timestamp\":\"1700000000\","
                + "\"microtimestamp\":\"1700000000123456\",\"bids\":[[\"100.00\",\"1.5\"],[\"99.99\",\"2\"]],"
                + "\"asks\":[[\"100.01\",\"0.25\"]]}");
    assertThat(s.timeUs()).isEqualTo(1_700_000_000_123_456L);
    assertThat(s.bids()).isEqualTo(List.of(new Book.Level(100.0, 1.5), new Book.Level(99.99, 2)));
    assertThatThrownBy(
            () -> BitstampBookProtocol.parseSnapshot("{\"status\":\"error\",\"reason\":\"x\"}"))
        .hasMessage("no microtimestamp");
    assertThatThrownBy(() -> BitstampBookProtocol.parseSnapshot("<html>"))
        .hasMessageStartingWith("malformed JSON");
  }
}

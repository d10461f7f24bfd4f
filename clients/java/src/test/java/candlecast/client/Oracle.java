package candlecast.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The REST history the tests compare streams with. */
final class Oracle {
  private Oracle() {}

  /**
   * Asserts the closed candles form one contiguous run of 1 s windows, each once, equal to GET
   * /api/candles.
   */
  static void assertContiguousAndEqual(Node node, String symbol, List<Candle> closed)
      throws IOException, InterruptedException {
    assertThat(closed).isNotEmpty();
    for (int i = 1; i < closed.size(); i++) {
      assertThat(closed.get(i).t())
          .as("closed candle %d of %d follows the previous window", i, closed.size())
          .isEqualTo(closed.get(i - 1).t() + 1000);
    }
    long from = closed.get(0).t();
    long to = closed.get(closed.size() - 1).t();
    JsonNode arr =
        node.getJson(
            "/api/candles?symbol=" + symbol + "&tf=1s&limit=5000&from=" + from + "&to=" + to);
    assertThat(arr.size()).as("oracle candles in [%d, %d]", from, to).isEqualTo(closed.size());
    for (int i = 0; i < closed.size(); i++) {
      Candle c = closed.get(i);
      JsonNode o = arr.get(i);
      assertThat(o.get("t").asLong()).isEqualTo(c.t());
      assertThat(new double[] {c.open(), c.high(), c.low(), c.close(), c.volume()})
          .as("o/h/l/c/v of window %d", c.t())
          .containsExactly(
              o.get("o").asDouble(),
              o.get("h").asDouble(),
              o.get("l").asDouble(),
              o.get("c").asDouble(),
              o.get("v").asDouble());
      assertThat(c.trades()).as("n of window %d", c.t()).isEqualTo(o.get("n").asLong());
    }
  }

  /**
   * Asserts the trades have no duplicate id and equal GET /api/trades paged forward from the first
   * one.
   */
  static void assertTradesEqual(Node node, String symbol, List<Trade> trades)
      throws IOException, InterruptedException {
    assertThat(trades).hasSizeGreaterThan(1);
    Set<Long> ids = new HashSet<>();
    for (Trade t : trades) {
      assertThat(ids.add(t.id())).as("trade %d delivered once", t.id()).isTrue();
    }
    long last = trades.get(trades.size() - 1).id();
    List<JsonNode> oracle = new ArrayList<>();
    long since = trades.get(0).id();
    boolean reached = false;
    while (!reached) {
      JsonNode page = node.getJson("/api/trades?symbol=" + symbol + "&limit=1000&since=" + since);
      assertThat(page.size()).as("oracle page after %d", since).isPositive();
      for (JsonNode t : page) {
        oracle.add(t);
        if (t.get("id").asLong() == last) {
          reached = true;
          break;
        }
      }
      since = oracle.get(oracle.size() - 1).get("id").asLong();
    }
    List<Trade> rest = trades.subList(1, trades.size());
    assertThat(rest).hasSameSizeAs(oracle);
    for (int i = 0; i < oracle.size(); i++) {
      Trade t = rest.get(i);
      JsonNode o = oracle.get(i);
      assertThat(t.id()).isEqualTo(o.get("id").asLong());
      assertThat(t.t()).isEqualTo(o.get("t").asLong());
      assertThat(t.price()).isEqualTo(o.get("p").asDouble());
      assertThat(t.amount()).isEqualTo(o.get("q").asDouble());
      assertThat(t.side()).isEqualTo(o.get("side").asText());
    }
  }
}

package candlecast.aggregator;

import static org.assertj.core.api.Assertions.assertThat;

import candlecast.common.Side;
import candlecast.common.TapeCodec;
import candlecast.common.TapeTrade;
import io.vertx.core.Future;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TradeTapeTest {
  private final TradeTape tape = new TradeTape(5, 3);

  private static TapeTrade trade(long seq, long id) {
    return new TapeTrade(
        seq, id, 1_700_000_000_000L + id, 100 + id, 0.5, id % 2 == 0 ? Side.BUY : Side.SELL);
  }

  private static List<TapeTrade> trades(long... seqIdPairs) {
    List<TapeTrade> out = new ArrayList<>();
    for (int i = 0; i < seqIdPairs.length; i += 2) {
      out.add(trade(seqIdPairs[i], seqIdPairs[i + 1]));
    }
    return out;
  }

  private static List<Long> ids(JsonObject reply) {
    return TapeCodec.trades(reply).stream().map(TapeTrade::id).toList();
  }

  private static JsonObject ok(Future<JsonObject> f) {
    assertThat(f.succeeded()).as(String.valueOf(f.cause())).isTrue();
    return f.result();
  }

  private static ReplyException failed(Future<JsonObject> f) {
    assertThat(f.failed()).isTrue();
    return (ReplyException) f.cause();
  }

  private static JsonObject req(Object... kv) {
    JsonObject j = new JsonObject().put("op", "trades").put("symbol", "BTCUSD");
    for (int i = 0; i < kv.length; i += 2) {
      j.put((String) kv[i], kv[i + 1]);
    }
    return j;
  }

  @Test
  void eachBatchOfASymbolBecomesOneUpdateThatSaysWhatCameBefore() {
    JsonObject first = tape.append("BTCUSD", trades(3, 11, 5, 12));
    assertThat(first.getString("symbol")).isEqualTo("BTCUSD");
    assertThat(first.getLong("prev")).as("nothing before").isEqualTo(-1L);
    assertThat(TapeCodec.trades(first)).isEqualTo(trades(3, 11, 5, 12));
    JsonObject second = tape.append("BTCUSD", trades(9, 13));
    assertThat(second.getLong("prev")).isEqualTo(5L);
  }

  @Test
  void tradesReadAgainAreNotPublishedAgain() {
    tape.append("BTCUSD", trades(3, 11, 5, 12));
    assertThat(tape.append("BTCUSD", trades(3, 11, 5, 12))).isNull();
    JsonObject overlap = tape.append("BTCUSD", trades(5, 12, 6, 13));
    assertThat(ids(overlap)).containsExactly(13L);
    assertThat(overlap.getLong("prev")).isEqualTo(5L);
  }

  @Test
  void answersTheNewestTradesByDefaultAndOnRequest() {
    tape.append("BTCUSD", trades(1, 1, 2, 2, 3, 3, 4, 4));
    JsonObject r = ok(tape.answer(req()));
    assertThat(ids(r)).as("default limit 3").containsExactly(2L, 3L, 4L);
    assertThat(r.getLong("lastSeq")).isEqualTo(4L);
    assertThat(r.getBoolean("more")).isFalse();
    assertThat(ids(ok(tape.answer(req("limit", 1))))).containsExactly(4L);
    assertThat(ids(ok(tape.answer(req("symbol", "btc-usd", "limit", 2))))).containsExactly(3L, 4L);
  }

  @Test
  void answersTheTradesAfterAnIdOrAPositionOrSaysTheyAreGone() {
    tape.append(
        "BTCUSD", trades(10, 1, 20, 2, 30, 3, 40, 4, 50, 5, 60, 6)); // capacity 5: id 1 evicted
    JsonObject r = ok(tape.answer(req("since", 3, "limit", 2)));
    assertThat(ids(r)).containsExactly(4L, 5L);
    assertThat(r.getBoolean("more")).isTrue();
    assertThat(r.getLong("lastSeq")).isEqualTo(60L);
    assertThat(ids(ok(tape.answer(req("afterSeq", 40, "limit", 10))))).containsExactly(5L, 6L);
    assertThat(ids(ok(tape.answer(req("since", 6))))).isEmpty();

    ReplyException gone = failed(tape.answer(req("since", 1)));
    assertThat(gone.failureCode()).isEqualTo(TradeTape.NOT_HELD);
    assertThat(gone.getMessage())
        .contains("BTCUSD", "trade id 1", "no longer held", "oldest held is trade id 2");
    assertThat(failed(tape.answer(req("afterSeq", 9))).failureCode()).isEqualTo(TradeTape.NOT_HELD);
    assertThat(ids(ok(tape.answer(req("afterSeq", 10)))))
        .as("default limit 3")
        .containsExactly(2L, 3L, 4L);
  }

  @Test
  void answersTheNewestTradesFromATime() {
    tape.append("BTCUSD", trades(1, 1, 2, 2, 3, 3));
    long t2 = 1_700_000_000_000L + 2;
    assertThat(ids(ok(tape.answer(req("from", t2))))).containsExactly(2L, 3L);
  }

  @Test
  void anOwnedSymbolWithoutTradesHasAnEmptyCompleteTape() {
    JsonObject r = ok(tape.answer(req("symbol", "ETHUSD")));
    assertThat(ids(r)).isEmpty();
    assertThat(r.getLong("lastSeq")).isEqualTo(-1L);
    assertThat(ids(ok(tape.answer(req("symbol", "ETHUSD", "afterSeq", -1))))).isEmpty();
    assertThat(failed(tape.answer(req("symbol", "ETHUSD", "since", 4))).getMessage())
        .contains("none is held");
  }

  @Test
  void adoptedRingsAnswerAndDroppedOnesAreForgotten() {
    TradeRing ring = new TradeRing(5, 99);
    ring.append(trade(100, 7));
    tape.adopt(Map.of("ETHUSD", ring));
    assertThat(ids(ok(tape.answer(req("symbol", "ETHUSD"))))).containsExactly(7L);
    assertThat(tape.append("ETHUSD", trades(101, 8)).getLong("prev")).isEqualTo(100L);
    tape.remove("ETHUSD");
    assertThat(tape.ring("ETHUSD")).isNull();
  }

  @Test
  void badRequestsAreRefusedWithTheReason() {
    String[][] cases = {
      {"symbol", "B"},
      {"limit", "0"},
      {"limit", "x"},
      {"limit", "1000001"},
      {"from", "-1"},
      {"since", "-5"},
      {"afterSeq", "-2"},
      {"since", "1.5"}
    };
    for (String[] c : cases) {
      Object v =
          c[1].matches("-?\\d+") ? (Object) Long.parseLong(c[1]) : c[1].equals("1.5") ? 1.5 : c[1];
      ReplyException e = failed(tape.answer(req(c[0], v)));
      assertThat(e.failureCode()).as(c[0] + "=" + c[1]).isEqualTo(400);
      assertThat(e.getMessage()).contains(c[0]);
    }
    ReplyException both = failed(tape.answer(req("since", 1, "from", 5)));
    assertThat(both.failureCode()).isEqualTo(400);
    assertThat(both.getMessage()).contains("exclude");
  }
}

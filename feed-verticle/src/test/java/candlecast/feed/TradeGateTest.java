package candlecast.feed;

import static org.assertj.core.api.Assertions.assertThat;

import candlecast.common.Side;
import candlecast.common.Trade;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The gate's rules against an in-memory log (the Kafka path itself is tested against a real
 * broker).
 */
class TradeGateTest {
  /** A log that keeps what it takes, with a capacity the test controls. */
  static final class ListLog implements TradeLog {
    final List<LogRecord> records = new ArrayList<>();
    int capacity = Integer.MAX_VALUE;
    final List<Runnable> waiters = new ArrayList<>();

    @Override
    public boolean offer(LogRecord r) {
      if (records.size() >= capacity) {
        return false;
      }
      records.add(r);
      return true;
    }

    @Override
    public boolean hasRoom(int n) {
      return records.size() + n <= capacity;
    }

    @Override
    public void whenRoom(Runnable action) {
      waiters.add(action);
    }

    List<Trade> trades() {
      return records.stream()
          .filter(r -> r instanceof LogRecord.TradeRecord)
          .map(r -> ((LogRecord.TradeRecord) r).trade())
          .toList();
    }

    List<JsonObject> dlq() {
      return records.stream()
          .filter(r -> r instanceof LogRecord.DlqRecord)
          .map(r -> ((LogRecord.DlqRecord) r).value())
          .toList();
    }

    List<LogRecord.WatermarkRecord> watermarks() {
      return records.stream()
          .filter(r -> r instanceof LogRecord.WatermarkRecord)
          .map(r -> (LogRecord.WatermarkRecord) r)
          .toList();
    }
  }

  private final ListLog log = new ListLog();
  private final AtomicLong wall = new AtomicLong(1_700_000_000_000L);
  private final AtomicLong nanos = new AtomicLong(1_000_000_000_000L);
  private final TradeGate gate = new TradeGate("test", log, 4, 60_000, wall::get, nanos::get);

  private static Trade t(String symbol, long id, long time) {
    return new Trade(symbol, id, time, 100.5, 0.25, Side.BUY);
  }

  @Test
  void invalidTradesGoToTheDeadLetterTopicWithTheirReason() {
    long now = wall.get();
    assertThat(gate.offer(new Trade("BTCUSD", 1, now, Double.NaN, 1, Side.BUY)))
        .isEqualTo(TradeGate.Outcome.REJECTED);
    assertThat(gate.offer(new Trade("BTCUSD", 2, now, 0, 1, Side.BUY)))
        .isEqualTo(TradeGate.Outcome.REJECTED);
    assertThat(gate.offer(new Trade("BTCUSD", 3, now, -5, 1, Side.BUY)))
        .isEqualTo(TradeGate.Outcome.REJECTED);
    assertThat(gate.offer(new Trade("BTCUSD", 4, now, 5, -1, Side.BUY)))
        .isEqualTo(TradeGate.Outcome.REJECTED);
    assertThat(gate.offer(new Trade("BTCUSD", 5, now, 5, Double.POSITIVE_INFINITY, Side.BUY)))
        .isEqualTo(TradeGate.Outcome.REJECTED);
    assertThat(gate.offer(new Trade("BTCUSD", -1, now, 5, 1, Side.BUY)))
        .isEqualTo(TradeGate.Outcome.REJECTED);
    assertThat(gate.offer(new Trade("BTCUSD", 6, now, 5, 1, null)))
        .isEqualTo(TradeGate.Outcome.REJECTED);
    assertThat(gate.offer(new Trade("BTCUSD", 7, 0, 5, 1, Side.SELL)))
        .isEqualTo(TradeGate.Outcome.REJECTED);
    assertThat(gate.offerLive(new Trade("BTCUSD", 8, now - 3_600_000, 5, 1, Side.SELL)))
        .isEqualTo(TradeGate.Outcome.REJECTED);
    assertThat(gate.offerLive(new Trade("BTCUSD", 9, now + 120_000, 5, 1, Side.SELL)))
        .isEqualTo(TradeGate.Outcome.REJECTED);
    gate.reject("malformed JSON: x", "{not json", null);
    gate.reject("unknown event", "{\"event\":\"x\"}", 17L);
    // The zero amount is valid (Bitstamp prints such trades); a valid live trade passes.
    assertThat(gate.offerLive(new Trade("BTCUSD", 10, now - 500, 5, 0, Side.SELL)))
        .isEqualTo(TradeGate.Outcome.WRITTEN);

    assertThat(log.trades()).extracting(Trade::id).containsExactly(10L);
    List<JsonObject> dlq = log.dlq();
    assertThat(dlq)
        .extracting(j -> j.getString("reason"))
        .containsExactly(
            "price must be finite and > 0, was NaN",
            "price must be finite and > 0, was 0.0",
            "price must be finite and > 0, was -5.0",
            "amount must be finite and >= 0, was -1.0",
            "amount must be finite and >= 0, was Infinity",
            "missing or negative id",
            "unknown side",
            "missing or invalid time 0",
            "time 1699996400000 is 3600000 ms behind the local clock (limit 60000 ms)",
            "time 1700000120000 is 120000 ms ahead of the local clock (limit 60000 ms)",
            "malformed JSON: x",
            "unknown event");
    assertThat(dlq.get(0).getJsonObject("trade").getString("price")).isEqualTo("NaN");
    assertThat(dlq.get(0).getString("source")).isEqualTo("test");
    assertThat(dlq.get(10).getString("raw")).isEqualTo("{not json");
    assertThat(dlq.get(11).getJsonObject("raw").getString("event")).isEqualTo("x");
    assertThat(dlq.get(11).getLong("line")).isEqualTo(17);
    JsonObject stats = gate.stats();
    assertThat(stats.getLong("tradesIn")).isEqualTo(13);
    assertThat(stats.getLong("rejected")).isEqualTo(12);
    assertThat(stats.getLong("written")).isEqualTo(1);
  }

  @Test
  void duplicatesWithinTheWindowAreDroppedAndCounted() {
    long now = wall.get();
    for (long id = 1; id <= 4; id++) {
      assertThat(gate.offer(t("BTCUSD", id, now))).isEqualTo(TradeGate.Outcome.WRITTEN);
    }
    assertThat(gate.offer(t("BTCUSD", 2, now))).isEqualTo(TradeGate.Outcome.DUPLICATE);
    assertThat(gate.offer(t("ETHUSD", 2, now)))
        .as("windows are per symbol")
        .isEqualTo(TradeGate.Outcome.WRITTEN);
    assertThat(gate.offer(t("BTCUSD", 5, now)))
        .isEqualTo(TradeGate.Outcome.WRITTEN); // window of 4: forgets 1
    assertThat(gate.offer(t("BTCUSD", 1, now)))
        .as("beyond the bounded window")
        .isEqualTo(TradeGate.Outcome.WRITTEN);
    assertThat(gate.duplicates()).isEqualTo(1);
    assertThat(gate.maxWrittenId("BTCUSD")).isEqualTo(5);
    assertThat(gate.maxWrittenId("XRPUSD")).isEqualTo(-1);
  }

  @Test
  void watermarksOnlyForQuietSymbolsAndNeverBackwards() {
    long now = wall.get();
    gate.offer(t("BTCUSD", 1, now - 100));
    List<String> symbols = List.of("BTCUSD", "ETHUSD");
    long quiet = 250_000_000L;
    // BTCUSD just traded: only ETHUSD (never traded) gets one.
    assertThat(gate.emitWatermarks(now - 50, quiet, symbols)).isEqualTo(1);
    assertThat(log.watermarks()).containsExactly(new LogRecord.WatermarkRecord("ETHUSD", now - 50));
    nanos.addAndGet(300_000_000L);
    // Not past the last trade time: nothing for BTCUSD; the same clock again: nothing for ETHUSD.
    assertThat(gate.emitWatermarks(now - 150, quiet, symbols)).isZero();
    assertThat(gate.emitWatermarks(now - 50, quiet, List.of("ETHUSD"))).isZero();
    assertThat(gate.emitWatermarks(now + 10, quiet, symbols)).isEqualTo(2);
    assertThat(gate.lastWatermark("BTCUSD")).isEqualTo(now + 10);
    // A later trade older than the watermark is raised to it, so the log keeps the promise.
    assertThat(gate.offer(t("BTCUSD", 2, now + 5))).isEqualTo(TradeGate.Outcome.WRITTEN);
    assertThat(log.trades().get(1).time()).isEqualTo(now + 10);
    assertThat(gate.clamped()).isEqualTo(1);
    assertThat(gate.offer(t("BTCUSD", 3, now + 20))).isEqualTo(TradeGate.Outcome.WRITTEN);
    assertThat(log.trades().get(2).time()).isEqualTo(now + 20);
  }

  @Test
  void aFullLogRefusesAndTheGapIsRecordedUntilClosed() {
    long now = wall.get();
    log.capacity = 2;
    assertThat(gate.offer(t("BTCUSD", 1, now))).isEqualTo(TradeGate.Outcome.WRITTEN);
    assertThat(gate.offer(t("BTCUSD", 2, now + 1))).isEqualTo(TradeGate.Outcome.WRITTEN);
    assertThat(gate.offer(t("BTCUSD", 3, now + 2))).isEqualTo(TradeGate.Outcome.REFUSED);
    gate.gapDropped(now + 5, now + 9, 4);
    assertThat(gate.gapOpen()).isTrue();
    JsonObject open = gate.stats().getJsonObject("openGap");
    assertThat(open)
        .isEqualTo(new JsonObject().put("from", now + 2).put("to", now + 9).put("count", 5));
    log.capacity = 10;
    // A refused trade was not remembered: its copy from a back-fill is welcome.
    assertThat(gate.offer(t("BTCUSD", 3, now + 2))).isEqualTo(TradeGate.Outcome.WRITTEN);
    gate.closeGap(1);
    assertThat(gate.gapOpen()).isFalse();
    JsonObject stats = gate.stats();
    assertThat(stats.getLong("gaps")).isEqualTo(1);
    assertThat(stats.getLong("refused")).isEqualTo(1);
    assertThat(stats.getJsonArray("recentGaps").getJsonObject(0))
        .isEqualTo(
            new JsonObject()
                .put("from", now + 2)
                .put("to", now + 9)
                .put("count", 5)
                .put("recovered", 1));
  }
}

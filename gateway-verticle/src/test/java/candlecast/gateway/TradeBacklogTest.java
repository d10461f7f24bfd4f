package candlecast.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import candlecast.common.Side;
import candlecast.common.TapeTrade;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/**
 * The trades lane's congestion policy through a real {@link OutboundWriter}: the newest trades and
 * a gap marker, and what the client reads adds up to the tape (every trade once, or counted in a
 * gap that names where it starts).
 */
class TradeBacklogTest {
  private static final int MAX = 10;

  /** A socket whose writability the test sets. */
  private static final class FakeSink implements OutboundWriter.Sink {
    final List<Update> written = new ArrayList<>();
    boolean writable = true;

    @Override
    public boolean isOpen() {
      return true;
    }

    @Override
    public boolean writable() {
      return writable;
    }

    @Override
    public void write(Update u) {
      written.add(u);
    }
  }

  /** A lane with the trades policy, as a trades subscription is one. */
  private static final class TradesLane extends OutboundWriter.Lane {
    final TradeBacklog backlog;

    TradesLane(OutboundWriter w, Long since) {
      super(w);
      backlog = new TradeBacklog("BTCUSD", MAX, since);
    }

    void offer(Update u) {
      writer.offer(this, u);
      backlog.offered(u);
    }

    @Override
    int parked() {
      return backlog.parked();
    }

    @Override
    int park(Update u) {
      return backlog.park(u);
    }

    @Override
    boolean flush(OutboundWriter w) {
      return backlog.flush(w);
    }

    @Override
    void clear() {
      backlog.clear();
    }
  }

  private final FakeSink sink = new FakeSink();
  private final LongAdder dropped = new LongAdder();
  private final OutboundWriter writer = new OutboundWriter(sink, dropped, () -> 1_000);
  private final List<TapeTrade> tape = new ArrayList<>();

  private Update[] next(int n, int batch) {
    List<TapeTrade> ts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      long id = 500L + tape.size();
      TapeTrade t = new TapeTrade(id * 2, id, id, 10, 1, Side.BUY);
      tape.add(t);
      ts.add(t);
    }
    return TradeBatch.encode("BTCUSD", ts, batch);
  }

  /** Replays what the client read against the tape; returns the gap markers it met. */
  private List<JsonObject> replay(Long since) {
    int at =
        since == null
            ? 0
            : tape.indexOf(tape.stream().filter(t -> t.id() == since).findFirst().orElseThrow())
                + 1;
    List<JsonObject> gaps = new ArrayList<>();
    for (Update u : sink.written) {
      JsonObject f = u.frame().toJsonObject();
      if ("gap".equals(f.getString("type"))) {
        gaps.add(f);
        Long gapSince = f.getLong("since");
        assertThat(gapSince)
            .as("the gap starts after the last trade read")
            .isEqualTo(at == 0 ? since : Long.valueOf(tape.get(at - 1).id()));
        at += f.getInteger("dropped");
        continue;
      }
      for (Object o : f.getJsonArray("trades")) {
        assertThat(((JsonObject) o).getLong("id")).isEqualTo(tape.get(at).id());
        at++;
      }
    }
    assertThat(at).as("every trade read or counted in a gap").isEqualTo(tape.size());
    return gaps;
  }

  @Test
  void keepsTheNewestTradesAndMarksTheGapBeforeThem() {
    TradesLane lane = new TradesLane(writer, 41L);
    tape.add(new TapeTrade(82, 41, 41, 10, 1, Side.BUY)); // the client has it (its since)
    for (Update u : next(4, 2)) {
      lane.offer(u);
    }
    sink.writable = false;
    for (int k = 0; k < 8; k++) {
      for (Update u : next(3, 2)) {
        lane.offer(u);
      }
    }
    assertThat(lane.backlog.parkedTrades()).isLessThanOrEqualTo(MAX);
    assertThat(lane.parked()).as("frames and the gap marker").isGreaterThan(1);
    assertThat(dropped.sum()).isPositive();
    sink.writable = true;
    writer.drain();
    List<JsonObject> gaps = replay(41L);
    assertThat(gaps).hasSize(1);
    assertThat(gaps.get(0).fieldNames())
        .containsExactly("type", "channel", "symbol", "since", "dropped");
    assertThat(
            sink.written
                .get(sink.written.size() - 1)
                .frame()
                .toJsonObject()
                .getJsonArray("trades")
                .getJsonObject(0)
                .getLong("id"))
        .isEqualTo(tape.get(tape.size() - 1).id());
    assertThat(writer.congested()).isFalse();
  }

  @Test
  void aGapBeforeAnythingWasSentHasNoSince() {
    TradesLane lane = new TradesLane(writer, null);
    sink.writable = false;
    for (int k = 0; k < 5; k++) {
      for (Update u : next(4, 4)) {
        lane.offer(u);
      }
    }
    sink.writable = true;
    writer.drain();
    List<JsonObject> gaps = replay(null);
    assertThat(gaps).hasSize(1);
    assertThat(gaps.get(0).containsKey("since")).isTrue();
    assertThat(gaps.get(0).getValue("since")).isNull();
  }

  @Test
  void theNewestFrameStaysEvenWhenItAloneIsOverTheLimit() {
    TradesLane lane = new TradesLane(writer, null);
    sink.writable = false;
    for (Update u : next(MAX + 5, MAX + 5)) {
      lane.offer(u);
    }
    assertThat(lane.backlog.parkedTrades()).isEqualTo(MAX + 5);
    for (Update u : next(MAX + 5, MAX + 5)) {
      lane.offer(u);
    }
    assertThat(lane.backlog.parkedTrades()).isEqualTo(MAX + 5);
    sink.writable = true;
    writer.drain();
    assertThat(replay(null)).hasSize(1);
  }

  @Test
  void aDrainThatStopsHalfwayGoesOnWhereItStopped() {
    TradesLane lane = new TradesLane(writer, null);
    sink.writable = false;
    for (int k = 0; k < 6; k++) {
      for (Update u : next(3, 3)) {
        lane.offer(u);
      }
    }
    FakeSink partial = sink;
    partial.writable = true;
    // the socket takes the gap marker and one frame, then fills up again
    OutboundWriter.Sink limited =
        new OutboundWriter.Sink() {
          int left = 2;

          @Override
          public boolean isOpen() {
            return true;
          }

          @Override
          public boolean writable() {
            return left > 0;
          }

          @Override
          public void write(Update u) {
            left--;
            sink.written.add(u);
          }
        };
    OutboundWriter w2 = new OutboundWriter(limited, dropped, () -> 1_000);
    assertThat(lane.backlog.flush(w2)).isFalse();
    for (Update u : next(3, 3)) {
      lane.offer(u); // still congested: parked behind
    }
    writer.drain();
    replay(null);
  }

  @Test
  void aMarkOfMissedTradesIsKeptInOrderOrFoldedIntoTheGap() {
    TradesLane lane = new TradesLane(writer, null);
    for (Update u : next(2, 2)) {
      lane.offer(u);
    }
    sink.writable = false;
    long markSince = tape.get(tape.size() - 1).id();
    Buffer frame = Frames.tradesGap("BTCUSD", markSince, null);
    lane.offer(
        new Update(frame, Frames.wire(frame), 0, 0, false, new TradeBacklog.Mark(markSince)));
    for (Update u : next(2, 2)) {
      lane.offer(u);
    }
    sink.writable = true;
    writer.drain();
    assertThat(sink.written)
        .extracting(u -> u.frame().toJsonObject().getString("type"))
        .containsExactly("trades", "gap", "trades");

    sink.written.clear();
    sink.writable = false;
    lane.offer(new Update(frame, Frames.wire(frame), 0, 0, false, new TradeBacklog.Mark(77L)));
    for (int k = 0; k < 6; k++) {
      for (Update u : next(4, 4)) {
        lane.offer(u);
      }
    }
    sink.writable = true;
    writer.drain();
    JsonObject gap = sink.written.get(0).frame().toJsonObject();
    assertThat(gap.getString("type")).isEqualTo("gap");
    assertThat(gap.getLong("since")).isEqualTo(77L);
    assertThat(gap.containsKey("dropped"))
        .as("unknown: the mark's trades were never counted")
        .isFalse();
  }

  @Test
  void clearForgetsEverything() {
    TradesLane lane = new TradesLane(writer, null);
    sink.writable = false;
    for (int k = 0; k < 6; k++) {
      for (Update u : next(4, 4)) {
        lane.offer(u);
      }
    }
    writer.forget(lane);
    assertThat(lane.parked()).isZero();
    assertThat(lane.backlog.parkedTrades()).isZero();
    sink.writable = true;
    writer.drain();
    assertThat(sink.written).isEmpty();
  }
}

package candlecast.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import candlecast.feed.ReplayControl.Command;
import candlecast.feed.ReplayControl.Op;
import candlecast.feed.ReplayControl.Refused;
import candlecast.feed.ReplayControl.State;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplayControlTest {

  private static Command cmd(String op) {
    return ReplayControl.parse(new JsonObject().put("op", op));
  }

  /** A control brought into {@code s}. */
  private static ReplayControl in(State s) {
    ReplayControl c = new ReplayControl("1");
    switch (s) {
      case RUNNING -> {}
      case PAUSED -> c.apply(cmd("pause"));
      case FINISHED -> c.finished();
      case FAILED -> c.failed();
    }
    assertThat(c.state()).isEqualTo(s);
    return c;
  }

  @Test
  void startsRunningAtTheConfiguredSpeed() {
    ReplayControl c = new ReplayControl("10");
    assertThat(c.state()).isEqualTo(State.RUNNING);
    assertThat(c.running()).isTrue();
    assertThat(c.speed()).isEqualTo("10");
  }

  @Test
  void everyOpInEveryStateLeadsWhereTheTableSaysOrIsRefusedWith409() {
    // op -> state -> resulting state (absent: refused with 409)
    Map<Op, Map<State, State>> table =
        Map.of(
            Op.START, Map.of(State.PAUSED, State.RUNNING),
            Op.PAUSE, Map.of(State.RUNNING, State.PAUSED),
            Op.RESET,
                Map.of(
                    State.RUNNING, State.PAUSED,
                    State.PAUSED, State.PAUSED,
                    State.FINISHED, State.PAUSED),
            Op.SPEED,
                Map.of(
                    State.RUNNING, State.RUNNING,
                    State.PAUSED, State.PAUSED,
                    State.FINISHED, State.FINISHED),
            Op.STATUS,
                Map.of(
                    State.RUNNING, State.RUNNING,
                    State.PAUSED, State.PAUSED,
                    State.FINISHED, State.FINISHED,
                    State.FAILED, State.FAILED));
    int checked = 0;
    for (Op op : Op.values()) {
      for (State from : State.values()) {
        ReplayControl c = in(from);
        Command command = new Command(op, op == Op.SPEED ? "2.5" : null);
        State to = table.get(op).get(from);
        if (to == null) {
          assertThatThrownBy(() -> c.apply(command))
              .as("%s in %s", op, from)
              .isInstanceOfSatisfying(Refused.class, r -> assertThat(r.code).isEqualTo(409))
              .hasMessageContaining(from.wire());
          assertThat(c.state()).isEqualTo(from);
        } else {
          c.apply(command);
          assertThat(c.state()).as("%s in %s", op, from).isEqualTo(to);
          assertThat(c.speed()).isEqualTo(op == Op.SPEED ? "2.5" : "1");
        }
        checked++;
      }
    }
    assertThat(checked).isEqualTo(Op.values().length * State.values().length);
  }

  @Test
  void theEndOfTheFileFinishesButNeverUndoesAFailure() {
    ReplayControl c = in(State.PAUSED);
    c.finished();
    assertThat(c.state()).isEqualTo(State.FINISHED);
    ReplayControl f = in(State.FAILED);
    f.finished();
    assertThat(f.state()).isEqualTo(State.FAILED);
  }

  @Test
  void parsesEveryOpAndSpeedsAsNumbersOrText() {
    for (Op op : EnumSet.complementOf(EnumSet.of(Op.SPEED))) {
      assertThat(
              ReplayControl.parse(
                  new JsonObject().put("op", op.name().toLowerCase(java.util.Locale.ROOT))))
          .isEqualTo(new Command(op, null));
    }
    assertThat(ReplayControl.parse(new JsonObject().put("op", "START")).op()).isEqualTo(Op.START);
    assertThat(ReplayControl.parse(new JsonObject().put("op", "speed").put("speed", 10)))
        .isEqualTo(new Command(Op.SPEED, "10"));
    assertThat(ReplayControl.parse(new JsonObject().put("op", "speed").put("speed", "0.5")))
        .isEqualTo(new Command(Op.SPEED, "0.5"));
    assertThat(ReplayControl.parse(new JsonObject().put("op", "speed").put("speed", " MAX ")))
        .isEqualTo(new Command(Op.SPEED, "max"));
  }

  @Test
  void malformedCommandsAreRefusedWith400AndSayWhy() {
    Map<Object, String> cases =
        Map.ofEntries(
            Map.entry("start", "is a JSON object"),
            Map.entry(new JsonArray().add("start"), "is a JSON object"),
            Map.entry(new JsonObject(), "missing op"),
            Map.entry(new JsonObject().put("op", 3), "missing op"),
            Map.entry(new JsonObject().put("op", "rewind"), "unknown op 'rewind'"),
            Map.entry(new JsonObject().put("op", "x".repeat(500)), "..."),
            Map.entry(new JsonObject().put("op", "speed"), "needs a speed"),
            Map.entry(new JsonObject().put("op", "speed").put("speed", 0), "bad speed"),
            Map.entry(new JsonObject().put("op", "speed").put("speed", -2), "bad speed"),
            Map.entry(new JsonObject().put("op", "speed").put("speed", "fast"), "bad speed"),
            Map.entry(new JsonObject().put("op", "speed").put("speed", "NaN"), "bad speed"),
            Map.entry(
                new JsonObject().put("op", "speed").put("speed", new JsonObject()),
                "must be a number"),
            Map.entry(new JsonObject().put("op", "start").put("speed", 2), "op speed only"));
    cases.forEach(
        (body, reason) ->
            assertThatThrownBy(() -> ReplayControl.parse(body))
                .as("%s", body)
                .isInstanceOfSatisfying(Refused.class, r -> assertThat(r.code).isEqualTo(400))
                .hasMessageContaining(reason));
    assertThatThrownBy(() -> ReplayControl.parse(null)).isInstanceOf(Refused.class);
  }
}

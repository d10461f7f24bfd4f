package candlecast.feed;

import candlecast.common.config.Settings;
import io.vertx.core.json.JsonObject;
import java.util.Locale;

/**
 * The run-time controls of a replay (the chart server's Start/Reset buttons) as a state machine.
 * Pure: it parses commands, checks them against the state and changes the state; the {@link
 * ReplaySource} does what each accepted command means.
 *
 * <pre>
 *   running  --pause--> paused     paused   --start--> running
 *   running  --end of the file--> finished
 *   any but failed --reset--> paused (at the file's first trade, a new pass)
 *   any but failed --speed--> the same state at the new speed
 *   running/paused --a read error--> failed (final)
 * </pre>
 *
 * Every other transition is refused with {@link #CONFLICT}; a malformed command with {@link
 * #BAD_REQUEST}. Commands are JSON objects {@code {"op":"start"|"pause"|"reset"|"speed"|"status",
 * "speed"?}}; {@code speed} (a factor > 0 or {@code "max"}, as {@code replay.speed}) goes with
 * {@code op:"speed"} only.
 */
final class ReplayControl {
  static final int BAD_REQUEST = 400;
  static final int CONFLICT = 409;

  enum State {
    RUNNING,
    PAUSED,
    FINISHED,
    FAILED;

    String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  enum Op {
    START,
    PAUSE,
    RESET,
    SPEED,
    STATUS
  }

  /** A parsed command; {@code speed} is set for {@link Op#SPEED} only. */
  record Command(Op op, String speed) {}

  /**
   * A command that cannot be carried out: {@code code} is {@link #BAD_REQUEST} or {@link
   * #CONFLICT}.
   */
  static final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int code;

    Refused(int code, String message) {
      super(message, null, false, false);
      this.code = code;
    }
  }

  private State state = State.RUNNING;
  private String speed;

  /**
   * @param speed the configured {@code replay.speed}
   */
  ReplayControl(String speed) {
    this.speed = speed;
  }

  State state() {
    return state;
  }

  String speed() {
    return speed;
  }

  boolean running() {
    return state == State.RUNNING;
  }

  /**
   * Parses a command body.
   *
   * @throws Refused ({@link #BAD_REQUEST}) naming what is wrong
   */
  static Command parse(Object body) {
    if (!(body instanceof JsonObject j)) {
      throw bad("a replay command is a JSON object {\"op\":...}");
    }
    Object op = j.getValue("op");
    if (!(op instanceof String name)) {
      throw bad("missing op (start, pause, reset, speed or status)");
    }
    Op o;
    try {
      o = Op.valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw bad("unknown op '" + abbreviate(name) + "' (start, pause, reset, speed or status)");
    }
    Object s = j.getValue("speed");
    if (o != Op.SPEED) {
      if (s != null) {
        throw bad("speed goes with op speed only");
      }
      return new Command(o, null);
    }
    if (s == null) {
      throw bad("op speed needs a speed (a factor > 0 or max)");
    }
    if (!(s instanceof String) && !(s instanceof Number)) {
      throw bad("speed must be a number > 0 or max");
    }
    try {
      return new Command(o, Settings.REPLAY_SPEED.parser().apply(String.valueOf(s).trim()));
    } catch (IllegalArgumentException e) {
      throw bad("bad speed: " + abbreviate(e.getMessage()));
    }
  }

  /**
   * Checks {@code c} against the state and moves to the state it leads to.
   *
   * @throws Refused ({@link #CONFLICT}) when the state does not allow it
   */
  void apply(Command c) {
    switch (c.op()) {
      case STATUS -> {}
      case START -> {
        if (state != State.PAUSED) {
          throw conflict(
              "cannot start: the replay is "
                  + state.wire()
                  + (state == State.FINISHED ? " (reset replays the file again)" : ""));
        }
        state = State.RUNNING;
      }
      case PAUSE -> {
        if (state != State.RUNNING) {
          throw conflict("cannot pause: the replay is " + state.wire());
        }
        state = State.PAUSED;
      }
      case RESET -> {
        refuseIfFailed("reset");
        state = State.PAUSED;
      }
      case SPEED -> {
        refuseIfFailed("change the speed");
        speed = c.speed();
      }
    }
  }

  /** The file ended (looping is off): running becomes finished. */
  void finished() {
    if (state != State.FAILED) {
      state = State.FINISHED;
    }
  }

  /** The replay failed for good. */
  void failed() {
    state = State.FAILED;
  }

  private void refuseIfFailed(String what) {
    if (state == State.FAILED) {
      throw conflict("cannot " + what + ": the replay failed");
    }
  }

  private static Refused bad(String message) {
    return new Refused(BAD_REQUEST, message);
  }

  private static Refused conflict(String message) {
    return new Refused(CONFLICT, message);
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }
}

package candlecast.gateway;

import candlecast.common.Timeframe;
import io.vertx.core.json.JsonObject;

/** One parsed raw-WebSocket command (see {@link CommandParser}). */
public sealed interface Command permits Command.Subscribe, Command.UnsubscribeAll, Command.Invalid {

  /** {@code sub-<tf>} or {@code sub-<tf>:<SYMBOL>}: subscribe the connection to one series. */
  record Subscribe(String symbol, Timeframe tf) implements Command {
    public SeriesKey key() {
      return new SeriesKey(symbol, tf);
    }
  }

  /** {@code unsub}: drop every subscription of the connection. */
  record UnsubscribeAll() implements Command {
    static final UnsubscribeAll INSTANCE = new UnsubscribeAll();
  }

  /**
   * A command that cannot be executed.
   *
   * @param code    stable machine-readable reason (see the {@code CODE_*} constants of {@link CommandParser})
   * @param message human-readable reason that names the command
   * @param command the offending command, truncated to {@link CommandParser#ECHO_LIMIT} characters
   */
  record Invalid(String code, String message, String command) implements Command {
    /** The error frame: {@code {"type":"error","code":..,"message":..,"command":..}}. */
    public JsonObject toJson() {
      return new JsonObject()
          .put("type", "error")
          .put("code", code)
          .put("message", message)
          .put("command", command);
    }
  }
}

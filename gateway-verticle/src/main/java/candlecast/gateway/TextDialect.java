package candlecast.gateway;

import io.vertx.core.json.JsonObject;

/**
 * The text protocol ({@code sub-1m:BTCUSD}, {@code unsub}; {@link CommandParser}): no request ids,
 * no snapshots, errors echo the command they are about. Binary messages are answered in this
 * dialect too.
 */
final class TextDialect implements Dialect {
  private final CommandParser parser;

  TextDialect(CommandParser parser) {
    this.parser = parser;
  }

  @Override
  public Command parse(String text) {
    return parser.parse(text);
  }

  /** The reply to a binary message of {@code length} bytes: commands are text. */
  JsonObject binary(int length) {
    return ((Command.Invalid) parser.binary(length)).toJson();
  }

  @Override
  public boolean snapshots() {
    return false;
  }

  @Override
  public JsonObject subscribed(SeriesKey key, Object id) {
    return Frames.subscribed(key);
  }

  /** Subscribing again is acknowledged again: the client is subscribed, as it asked. */
  @Override
  public JsonObject alreadySubscribed(SeriesKey key, Object id) {
    return Frames.subscribed(key);
  }

  @Override
  public JsonObject unsubscribed(SeriesKey key, Object id, boolean wasSubscribed) {
    return Frames.unsubscribed(key, wasSubscribed ? 1 : 0);
  }

  @Override
  public JsonObject unsubscribedAll(int count, Object id) {
    return Frames.unsubscribed(count);
  }

  @Override
  public JsonObject tooManySubscriptions(StreamKey key, Object id, int max) {
    String command = command(key);
    return Frames.error(
        ErrorCodes.TOO_MANY_SUBSCRIPTIONS,
        "cannot execute '" + command + "': " + Dialect.tooManyReason(max),
        command);
  }

  @Override
  public JsonObject error(String code, String message, StreamKey key, Object id) {
    return Frames.error(code, message, command(key));
  }

  /**
   * The command that subscribes to {@code key}, as errors echo it (tickers have no text command:
   * their address).
   */
  static String command(StreamKey key) {
    return key instanceof SeriesKey s
        ? CommandParser.SUB + s.tf().label() + ":" + s.symbol()
        : key.address();
  }
}

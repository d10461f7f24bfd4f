package candlecast.gateway;

import candlecast.common.Symbols;
import candlecast.common.Timeframe;

/**
 * Parses the text commands of the raw WebSocket endpoint {@code /ws}. Pure: no I/O, no state but
 * the default symbol.
 *
 * <pre>
 *   sub-1s | sub-1m | sub-5m | sub-15m | sub-1h | sub-4h | sub-1d   subscribe to the default symbol
 *   sub-5m:ETHUSD                                                   subscribe to a named symbol (any case)
 *   unsub-5m | unsub-5m:ETHUSD                                      drop one subscription
 *   unsub                                                           drop every subscription of the connection
 * </pre>
 *
 * Leading and trailing whitespace (e.g. the newline of a line-oriented client) is ignored. Keywords
 * and timeframes are case-sensitive ({@code 1m} is a minute, never a month); symbols are not. The
 * size of a command is bounded by the transport ({@code gateway.max-message-bytes}), not here.
 */
public final class CommandParser {
  /** The {@code command} field of an error echoes at most this many characters. */
  public static final int ECHO_LIMIT = 64;

  public static final String CODE_EMPTY = ErrorCodes.EMPTY_COMMAND;
  public static final String CODE_BINARY = ErrorCodes.BINARY_NOT_SUPPORTED;
  public static final String CODE_UNKNOWN_COMMAND = ErrorCodes.UNKNOWN_COMMAND;
  public static final String CODE_UNKNOWN_TIMEFRAME = ErrorCodes.UNKNOWN_TIMEFRAME;
  public static final String CODE_BAD_SYMBOL = ErrorCodes.BAD_SYMBOL;

  static final String SUB = "sub-";
  static final String UNSUB = "unsub";
  static final String UNSUB_ONE = "unsub-";
  private static final String USAGE =
      "expected sub-<tf>[:<SYMBOL>], unsub-<tf>[:<SYMBOL>] (tf one of "
          + Timeframe.labels()
          + ") or unsub, or a JSON command such as {\"type\":\"subscribe\",\"symbol\":\"BTCUSD\","
          + "\"tf\":\"1m\"}";

  private final String defaultSymbol;

  /**
   * @param defaultSymbol symbol of {@code sub-<tf>} commands that name none (already valid, upper
   *     case)
   */
  public CommandParser(String defaultSymbol) {
    if (!Symbols.isValid(defaultSymbol)) {
      throw new IllegalArgumentException("invalid default symbol '" + defaultSymbol + "'");
    }
    this.defaultSymbol = defaultSymbol;
  }

  public String defaultSymbol() {
    return defaultSymbol;
  }

  /** Parses one text message. Never throws; bad input gives {@link Command.Invalid}. */
  public Command parse(String text) {
    if (text == null || text.isBlank()) {
      return new Command.Invalid(
          CODE_EMPTY, "empty command; " + USAGE, text == null ? "" : echo(text));
    }
    String cmd = text.strip();
    if (cmd.equals(UNSUB)) {
      return Command.UnsubscribeAll.TEXT;
    }
    boolean unsub = cmd.startsWith(UNSUB_ONE);
    if (!unsub && !cmd.startsWith(SUB)) {
      String echo = echo(cmd);
      return new Command.Invalid(
          CODE_UNKNOWN_COMMAND, "unknown command '" + echo + "'; " + USAGE, echo);
    }
    String rest = cmd.substring(unsub ? UNSUB_ONE.length() : SUB.length());
    int colon = rest.indexOf(':');
    String tfPart = colon < 0 ? rest : rest.substring(0, colon);
    Timeframe tf = Timeframe.tryParse(tfPart);
    if (tf == null) {
      String echo = echo(cmd);
      return new Command.Invalid(
          CODE_UNKNOWN_TIMEFRAME,
          "unknown timeframe '"
              + echo(tfPart)
              + "' in command '"
              + echo
              + "'; expected one of "
              + Timeframe.labels(),
          echo);
    }
    String symbol = defaultSymbol;
    if (colon >= 0) {
      String symPart = rest.substring(colon + 1);
      symbol = Symbols.normalize(symPart);
      if (symbol == null || !symPart.equals(symPart.strip())) {
        String echo = echo(cmd);
        return new Command.Invalid(
            CODE_BAD_SYMBOL,
            "bad symbol '"
                + echo(symPart)
                + "' in command '"
                + echo
                + "'; a symbol is 2 to 20 letters or digits, e.g. sub-"
                + tf.label()
                + ":ETHUSD (or ETH-USD)",
            echo);
      }
    }
    SeriesKey key = new SeriesKey(symbol, tf);
    return unsub ? new Command.Unsubscribe(key, null) : new Command.Subscribe(key, null, null, 0);
  }

  /** The reply to a binary message: commands are text. */
  public Command binary(int length) {
    String echo = "<binary message of " + length + " bytes>";
    return new Command.Invalid(
        CODE_BINARY,
        "binary messages are not supported (got "
            + length
            + " bytes); send a text command: "
            + USAGE,
        echo);
  }

  /** At most {@link #ECHO_LIMIT} characters of {@code s}, never splitting a surrogate pair. */
  static String echo(String s) {
    if (s.length() <= ECHO_LIMIT) {
      return s;
    }
    int end = ECHO_LIMIT;
    if (Character.isHighSurrogate(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(0, end);
  }
}

package candlecast.gateway;

import candlecast.common.Symbols;
import candlecast.common.Timeframe;

/**
 * Parses the text commands of the raw WebSocket endpoint {@code /ws}. Pure: no I/O, no state but the default symbol.
 *
 * <pre>
 *   sub-1s | sub-1m | sub-5m | sub-15m | sub-1h | sub-4h | sub-1d   subscribe to the default symbol
 *   sub-5m:ETHUSD                                                   subscribe to a named symbol (any case)
 *   unsub                                                           drop every subscription of the connection
 * </pre>
 *
 * Leading and trailing whitespace (e.g. the newline of a line-oriented client) is ignored. Keywords and timeframes
 * are case-sensitive ({@code 1m} is a minute, never a month); symbols are not.
 */
public final class CommandParser {
  /** Largest accepted command, in UTF-8 bytes. */
  public static final int MAX_COMMAND_BYTES = 4096;
  /** The {@code command} field of an error echoes at most this many characters. */
  public static final int ECHO_LIMIT = 64;

  public static final String CODE_EMPTY = "empty_command";
  public static final String CODE_TOO_LONG = "command_too_long";
  public static final String CODE_BINARY = "binary_not_supported";
  public static final String CODE_UNKNOWN_COMMAND = "unknown_command";
  public static final String CODE_UNKNOWN_TIMEFRAME = "unknown_timeframe";
  public static final String CODE_BAD_SYMBOL = "bad_symbol";

  static final String SUB = "sub-";
  static final String UNSUB = "unsub";
  private static final String USAGE = "expected sub-<tf> or sub-<tf>:<SYMBOL> (tf one of " + Timeframe.labels()
      + ") or unsub";

  private final String defaultSymbol;

  /** @param defaultSymbol symbol of {@code sub-<tf>} commands that name none (already valid, upper case) */
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
      return new Command.Invalid(CODE_EMPTY, "empty command; " + USAGE, text == null ? "" : echo(text));
    }
    int bytes = utf8Length(text);
    if (bytes > MAX_COMMAND_BYTES) {
      String echo = echo(text);
      return new Command.Invalid(CODE_TOO_LONG, "command '" + echo + "...' is " + bytes
          + " bytes long; the limit is " + MAX_COMMAND_BYTES + " bytes", echo);
    }
    String cmd = text.strip();
    if (cmd.equals(UNSUB)) {
      return Command.UnsubscribeAll.INSTANCE;
    }
    if (!cmd.startsWith(SUB)) {
      String echo = echo(cmd);
      return new Command.Invalid(CODE_UNKNOWN_COMMAND, "unknown command '" + echo + "'; " + USAGE, echo);
    }
    String rest = cmd.substring(SUB.length());
    int colon = rest.indexOf(':');
    String tfPart = colon < 0 ? rest : rest.substring(0, colon);
    Timeframe tf = Timeframe.tryParse(tfPart);
    if (tf == null) {
      String echo = echo(cmd);
      return new Command.Invalid(CODE_UNKNOWN_TIMEFRAME, "unknown timeframe '" + echo(tfPart) + "' in command '"
          + echo + "'; expected one of " + Timeframe.labels(), echo);
    }
    if (colon < 0) {
      return new Command.Subscribe(defaultSymbol, tf);
    }
    String symPart = rest.substring(colon + 1);
    String symbol = Symbols.normalize(symPart);
    if (symbol == null || !symPart.equals(symPart.strip())) {
      String echo = echo(cmd);
      return new Command.Invalid(CODE_BAD_SYMBOL, "bad symbol '" + echo(symPart) + "' in command '" + echo
          + "'; a symbol is 2 to 20 letters or digits, e.g. sub-" + tf.label() + ":ETHUSD", echo);
    }
    return new Command.Subscribe(symbol, tf);
  }

  /** The reply to a binary message: commands are text. */
  public Command binary(int length) {
    String echo = "<binary message of " + length + " bytes>";
    return new Command.Invalid(CODE_BINARY, "binary messages are not supported (got " + length
        + " bytes); send a text command: " + USAGE, echo);
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

  /** Exact UTF-8 length of {@code s}, without encoding it (unpaired surrogates count as the 1-byte '?'). */
  static int utf8Length(String s) {
    int bytes = 0;
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else if (Character.isSurrogate(c)) {
        bytes += 1;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }
}

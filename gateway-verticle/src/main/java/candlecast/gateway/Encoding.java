package candlecast.gateway;

import java.util.List;

/**
 * The {@code encoding} query parameter of the WebSocket upgrade (issue 20): {@code json} (the
 * default, also when absent) or {@code binary} (candle, trades and book updates as {@link
 * BinaryFrames}), offered on {@code /ws} only. Anything else refuses the upgrade with 400 and a
 * message saying what is accepted.
 */
final class Encoding {
  static final String PARAM = "encoding";
  static final String JSON = "json";
  static final String BINARY = "binary";

  private Encoding() {}

  /**
   * Null when {@code values} (the parameter's values, none when absent) select an encoding this
   * endpoint offers; else the error message.
   */
  static String check(List<String> values, boolean offersBinary) {
    if (values.isEmpty()) {
      return null;
    }
    if (values.size() > 1) {
      return "give 'encoding' once, not " + values.size() + " times";
    }
    String v = values.get(0);
    if (JSON.equals(v)) {
      return null;
    }
    if (BINARY.equals(v)) {
      return offersBinary ? null : "encoding=binary is offered on /ws only";
    }
    return "unknown encoding '"
        + CommandParser.echo(v)
        + "': use encoding=json (the default) or encoding=binary";
  }

  /** Whether {@code values} (already {@link #check checked}) select the binary encoding. */
  static boolean binary(List<String> values) {
    return values.size() == 1 && BINARY.equals(values.get(0));
  }
}

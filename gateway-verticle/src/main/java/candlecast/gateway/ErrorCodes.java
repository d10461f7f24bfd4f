package candlecast.gateway;

/** The stable {@code code} values of error frames (documented in docs/PROTOCOL.md). */
public final class ErrorCodes {
  private ErrorCodes() {}

  // text protocol
  public static final String EMPTY_COMMAND = "empty_command";
  public static final String UNKNOWN_COMMAND = "unknown_command";
  public static final String BINARY_NOT_SUPPORTED = "binary_not_supported";
  // both protocols
  public static final String UNKNOWN_TIMEFRAME = "unknown_timeframe";
  public static final String BAD_SYMBOL = "bad_symbol";
  public static final String TOO_MANY_SUBSCRIPTIONS = "too_many_subscriptions";
  public static final String SUBSCRIBE_FAILED = "subscribe_failed";
  public static final String RATE_LIMITED = "rate_limited";
  // JSON protocol
  public static final String INVALID_JSON = "invalid_json";
  public static final String MISSING_FIELD = "missing_field";
  public static final String UNKNOWN_TYPE = "unknown_type";
  public static final String UNKNOWN_CHANNEL = "unknown_channel";
  public static final String BAD_FIELD = "bad_field";
  public static final String ALREADY_SUBSCRIBED = "already_subscribed";
  public static final String NOT_SUBSCRIBED = "not_subscribed";
  public static final String UNKNOWN_SYMBOL = "unknown_symbol";
  public static final String HISTORY_UNAVAILABLE = "history_unavailable";
  public static final String TICKER_UNAVAILABLE = "ticker_unavailable";
  public static final String TRADES_UNAVAILABLE = "trades_unavailable";
  public static final String BOOK_UNAVAILABLE = "book_unavailable";
  public static final String UNKNOWN_INDICATOR = "unknown_indicator";
  public static final String BAD_PARAMS = "bad_params";
  public static final String TOO_MANY_INDICATORS = "too_many_indicators";
  public static final String ANALYSIS_UNAVAILABLE = "analysis_unavailable";
}

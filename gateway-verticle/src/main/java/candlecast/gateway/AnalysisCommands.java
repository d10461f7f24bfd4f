package candlecast.gateway;

import static candlecast.gateway.JsonCommandParser.CHANNEL_INDICATOR;
import static candlecast.gateway.JsonCommandParser.CHANNEL_PATTERNS;
import static candlecast.gateway.JsonCommandParser.CHANNEL_RISK;
import static candlecast.gateway.JsonCommandParser.clip;
import static candlecast.gateway.JsonCommandParser.invalid;

import candlecast.common.Timeframe;
import candlecast.common.analysis.AnalysisSpec;
import io.vertx.core.json.JsonObject;

/**
 * The JSON {@code /ws} analysis channels' (un)subscribe commands (issue 16). Pure.
 *
 * <pre>
 *   {"type":"subscribe","channel":"indicator","symbol":"BTCUSD","tf":"1m","name":"rsi","params":{"period":14},"limit":200}
 *   {"type":"subscribe","channel":"patterns","symbol":"BTCUSD","tf":"1m","params":{"lookback":20}}
 *   {"type":"subscribe","channel":"risk","symbol":"BTCUSD","tf":"1h","key":"risk:30"}
 *   {"type":"unsubscribe","channel":"indicator","symbol":"BTCUSD","tf":"1m","name":"rsi","params":{"period":14}}
 * </pre>
 *
 * The series is named by {@code name} (the indicator channel only; the other channels' name is the
 * channel) and {@code params} (an object; missing parameters take their defaults), or by its
 * canonical {@code key}. {@code limit}: points in the snapshot, 0 to {@value AnalysisHub#MAX_LIMIT}
 * (default {@value AnalysisHub#DEFAULT_LIMIT}).
 */
final class AnalysisCommands {
  private AnalysisCommands() {}

  static boolean isChannel(String channel) {
    return CHANNEL_INDICATOR.equals(channel)
        || CHANNEL_PATTERNS.equals(channel)
        || CHANNEL_RISK.equals(channel);
  }

  static Command parse(JsonObject j, Object id, String symbol, String channel, boolean subscribe) {
    String verb = subscribe ? "subscribe" : "unsubscribe";
    Object tfValue = j.getValue("tf");
    if (tfValue == null) {
      return invalid(
          ErrorCodes.MISSING_FIELD, verb + " needs 'tf', one of " + Timeframe.labels(), id);
    }
    Timeframe tf = tfValue instanceof String s ? Timeframe.tryParse(s) : null;
    if (tf == null) {
      return invalid(
          ErrorCodes.UNKNOWN_TIMEFRAME,
          "unknown timeframe '"
              + clip(String.valueOf(tfValue))
              + "'; expected one of "
              + Timeframe.labels(),
          id);
    }
    Object specOrError = spec(j, id, channel);
    if (specOrError instanceof Command.Invalid bad) {
      return bad;
    }
    AnalysisSpec spec = (AnalysisSpec) specOrError;
    if (!subscribe) {
      return new Command.UnsubscribeAnalysis(channel, symbol, tf, spec, id);
    }
    int limit = AnalysisHub.DEFAULT_LIMIT;
    if (j.getValue("limit") != null) {
      Long v = JsonCommandParser.wholeNumber(j.getValue("limit"));
      if (v == null || v < 0 || v > AnalysisHub.MAX_LIMIT) {
        return invalid(
            ErrorCodes.BAD_FIELD,
            "'limit' must be a whole number from 0 to " + AnalysisHub.MAX_LIMIT,
            id);
      }
      limit = v.intValue();
    }
    return new Command.SubscribeAnalysis(channel, symbol, tf, spec, limit, id);
  }

  /** The spec the command names, or a {@link Command.Invalid}. */
  private static Object spec(JsonObject j, Object id, String channel) {
    Object keyValue = j.getValue("key");
    if (keyValue != null) {
      if (!(keyValue instanceof String key)) {
        return invalid(ErrorCodes.BAD_FIELD, "'key' must be a string such as \"rsi:14\"", id);
      }
      AnalysisSpec.Kind kind = AnalysisSpec.Kind.byName(key.split(":", -1)[0]);
      Object wrong = kindError(kind, key.split(":", -1)[0], channel, id);
      if (wrong != null) {
        return wrong;
      }
      try {
        return AnalysisSpec.fromKey(key);
      } catch (IllegalArgumentException e) {
        return invalid(ErrorCodes.BAD_PARAMS, message(e), id);
      }
    }
    Object nameValue = j.getValue("name");
    String name;
    if (CHANNEL_INDICATOR.equals(channel)) {
      if (nameValue == null) {
        return invalid(
            ErrorCodes.MISSING_FIELD,
            "the indicator channel needs 'name' (" + indicatorNames() + ") or 'key'",
            id);
      }
      if (!(nameValue instanceof String n)) {
        return invalid(ErrorCodes.UNKNOWN_INDICATOR, "'name' must be a string", id);
      }
      name = n;
    } else {
      name = channel;
    }
    Object wrong = kindError(AnalysisSpec.Kind.byName(name), name, channel, id);
    if (wrong != null) {
      return wrong;
    }
    Object paramsValue = j.getValue("params");
    if (paramsValue != null && !(paramsValue instanceof JsonObject)) {
      return invalid(
          ErrorCodes.BAD_PARAMS, "'params' must be an object such as {\"period\":14}", id);
    }
    try {
      return AnalysisSpec.parse(
          name, paramsValue == null ? null : ((JsonObject) paramsValue).getMap());
    } catch (IllegalArgumentException e) {
      return invalid(ErrorCodes.BAD_PARAMS, message(e), id);
    }
  }

  /** The error when {@code kind} (named {@code name}) is not served on {@code channel}, or null. */
  private static Object kindError(AnalysisSpec.Kind kind, String name, String channel, Object id) {
    boolean fits =
        kind != null
            && (CHANNEL_INDICATOR.equals(channel)
                ? kind.isIndicator()
                : kind.wire().equals(channel));
    if (fits) {
      return null;
    }
    return invalid(
        ErrorCodes.UNKNOWN_INDICATOR,
        CHANNEL_INDICATOR.equals(channel)
            ? "unknown indicator '" + clip(name) + "'; expected one of " + indicatorNames()
            : "the " + channel + " channel serves '" + channel + "' only, not '" + clip(name) + "'",
        id);
  }

  /** A spec error's message (it may quote the client's input: bounded). */
  private static String message(IllegalArgumentException e) {
    String m = String.valueOf(e.getMessage());
    return m.length() <= 300 ? m : m.substring(0, 300);
  }

  private static String indicatorNames() {
    StringBuilder sb = new StringBuilder();
    for (AnalysisSpec.Kind k : AnalysisSpec.Kind.values()) {
      if (k.isIndicator()) {
        sb.append(sb.length() == 0 ? "" : ", ").append(k.wire());
      }
    }
    return sb.toString();
  }
}

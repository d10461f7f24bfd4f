package candlecast.gateway;

import candlecast.common.Symbols;
import io.vertx.core.json.JsonObject;

/**
 * The JSON protocol's alert commands (issue 17), parsed for {@link JsonCommandParser}. Pure.
 *
 * <pre>
 *   {"type":"alert_create","alert":{definition},"id":1}
 *   {"type":"alert_delete","alertId":"al-…"}
 *   {"type":"alert_list","symbol"?:"BTCUSD","state"?:"armed"}
 *   {"type":"alert_get","alertId":"al-…"}
 *   {"type":"subscribe","channel":"alerts","since"?:1767200000000}   {"type":"unsubscribe","channel":"alerts"}
 * </pre>
 *
 * Any of them may carry {@code "owner"} (used only when authentication is off and the upgrade URL
 * names none). The definition itself is validated by the alert service ({@code bad_alert}).
 */
final class AlertCommands {
  static final String CHANNEL = "alerts";
  static final String CREATE = "alert_create";
  static final String DELETE = "alert_delete";
  static final String LIST = "alert_list";
  static final String GET = "alert_get";
  static final String STATES = "armed, fired or expired";

  private AlertCommands() {}

  static boolean isAlertType(String type) {
    return CREATE.equals(type) || DELETE.equals(type) || LIST.equals(type) || GET.equals(type);
  }

  /** One of the {@code alert_*} commands. */
  static Command parse(String type, JsonObject j, Object id) {
    Object ownerValue = j.getValue("owner");
    if (ownerValue != null && !(ownerValue instanceof String)) {
      return bad("'owner' must be a string", id);
    }
    String owner = (String) ownerValue;
    JsonObject req = new JsonObject();
    switch (type) {
      case CREATE -> {
        if (j.getValue("alert") == null) {
          return JsonCommandParser.invalid(
              ErrorCodes.MISSING_FIELD, "alert_create needs 'alert', the alert definition", id);
        }
        if (!(j.getValue("alert") instanceof JsonObject def)) {
          return bad("'alert' must be an object (the alert definition)", id);
        }
        req.put("op", "create").put("alert", def.copy());
      }
      case DELETE, GET -> {
        Object a = j.getValue("alertId");
        if (a == null) {
          return JsonCommandParser.invalid(
              ErrorCodes.MISSING_FIELD, type + " needs 'alertId', e.g. \"al-7k2m9q4x1c\"", id);
        }
        if (!(a instanceof String s) || s.isEmpty() || s.length() > 64) {
          return bad("'alertId' must be an alert id such as \"al-7k2m9q4x1c\"", id);
        }
        req.put("op", DELETE.equals(type) ? "delete" : "get").put("id", s);
      }
      default -> {
        req.put("op", "list");
        Command bad = listFilters(j, req, id);
        if (bad != null) {
          return bad;
        }
      }
    }
    return new Command.AlertRequest(type, req, owner, id);
  }

  private static Command listFilters(JsonObject j, JsonObject req, Object id) {
    Object sym = j.getValue("symbol");
    if (sym != null) {
      String s = sym instanceof String str ? Symbols.normalize(str) : null;
      if (s == null) {
        return JsonCommandParser.invalid(
            ErrorCodes.BAD_SYMBOL,
            "bad symbol '" + JsonCommandParser.clip(String.valueOf(sym)) + "': e.g. BTCUSD",
            id);
      }
      req.put("symbol", s);
    }
    Object state = j.getValue("state");
    if (state != null) {
      if (!("armed".equals(state) || "fired".equals(state) || "expired".equals(state))) {
        return bad("'state' must be " + STATES, id);
      }
      req.put("state", state);
    }
    return null;
  }

  /** Subscribing to (or, {@code subscribe} false, leaving) the {@code alerts} channel. */
  static Command subscribe(JsonObject j, Object id, boolean subscribe) {
    if (!subscribe) {
      return new Command.UnsubscribeAlerts(id);
    }
    Object ownerValue = j.getValue("owner");
    if (ownerValue != null && !(ownerValue instanceof String)) {
      return bad("'owner' must be a string", id);
    }
    Long since = null;
    if (j.getValue("since") != null) {
      since = JsonCommandParser.wholeNumber(j.getValue("since"));
      if (since == null || since < 0) {
        return bad(
            "'since' must be the recordedAt (epoch ms, a whole number >= 0) of the last fire seen",
            id);
      }
    }
    return new Command.SubscribeAlerts(since, (String) ownerValue, id);
  }

  private static Command.Invalid bad(String message, Object id) {
    return JsonCommandParser.invalid(ErrorCodes.BAD_FIELD, message, id);
  }
}

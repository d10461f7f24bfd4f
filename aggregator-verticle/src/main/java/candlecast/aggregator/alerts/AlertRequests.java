package candlecast.aggregator.alerts;

import candlecast.common.Symbols;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validation of the fields of {@code candlecast.alerts} requests (the definition itself is {@link
 * candlecast.common.alerts.AlertDefinition}'s); every failure is an {@link
 * IllegalArgumentException} whose text is {@code <code>: <message>}.
 */
final class AlertRequests {
  static final Set<String> OPS = Set.of("create", "delete", "get", "list", "fires", "deliveries");
  static final Set<String> STATES = Set.of("armed", "fired", "expired");
  static final int MAX_FIRES_LIMIT = 500;
  private static final Pattern OWNER = Pattern.compile("[A-Za-z0-9._@:-]{1,64}");
  private static final Pattern ID = Pattern.compile("al-[0-9a-z]{10}");
  private static final String BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz";
  private static final SecureRandom RANDOM = new SecureRandom();

  private AlertRequests() {}

  static IllegalArgumentException bad(String field, String why) {
    return new IllegalArgumentException(AlertErrors.BAD_ALERT + ": " + field + ": " + why);
  }

  static String op(JsonObject body) {
    Object op = body.getValue("op");
    if (!(op instanceof String s) || !OPS.contains(s)) {
      throw bad("op", "must be one of create, delete, get, list, fires, deliveries, was " + op);
    }
    return s;
  }

  /** The request's owner: 1–64 characters of {@code [A-Za-z0-9._@:-]}. */
  static String owner(JsonObject body) {
    Object o = body.getValue("owner");
    if (!(o instanceof String s) || !OWNER.matcher(s).matches()) {
      throw new IllegalArgumentException(
          AlertErrors.BAD_OWNER
              + ": owner must be 1-64 characters of A-Z a-z 0-9 . _ @ : -, was "
              + o);
    }
    return s;
  }

  static String id(JsonObject body) {
    Object id = body.getValue("id");
    if (!(id instanceof String s) || !ID.matcher(s).matches()) {
      throw bad("id", "must be an alert id (al- and 10 of 0-9 a-z), was " + id);
    }
    return s;
  }

  /** The definition object of a create. */
  static JsonObject definition(JsonObject body) {
    Object a = body.getValue("alert");
    if (!(a instanceof JsonObject def)) {
      throw bad("alert", a == null ? "missing" : "must be a JSON object");
    }
    return def;
  }

  /** The optional symbol filter of a list, canonical; null: all. */
  static String symbolFilter(JsonObject body) {
    Object v = body.getValue("symbol");
    if (v == null) {
      return null;
    }
    String s = v instanceof String str ? Symbols.normalize(str) : null;
    if (s == null || !Symbols.isValid(s)) {
      throw bad("symbol", "'" + v + "' is not a symbol");
    }
    return s;
  }

  /** The optional state filter of a list; null: all. */
  static String stateFilter(JsonObject body) {
    Object v = body.getValue("state");
    if (v == null) {
      return null;
    }
    if (!(v instanceof String s) || !STATES.contains(s)) {
      throw bad("state", "must be armed, fired or expired, was " + v);
    }
    return s;
  }

  /** {@code since} of a fires request: recordedAt ms, exclusive; 0 when absent. */
  static long since(JsonObject body) {
    Object v = body.getValue("since");
    if (v == null) {
      return 0;
    }
    if (!(v instanceof Number n)
        || n.doubleValue() != Math.rint(n.doubleValue())
        || n.longValue() < 0) {
      throw bad("since", "must be an integer >= 0 (epoch ms), was " + v);
    }
    return n.longValue();
  }

  /** {@code limit} of a fires request: 1–500, 500 when absent. */
  static int limit(JsonObject body) {
    Object v = body.getValue("limit");
    if (v == null) {
      return MAX_FIRES_LIMIT;
    }
    if (!(v instanceof Number n)
        || n.doubleValue() != Math.rint(n.doubleValue())
        || n.longValue() < 1
        || n.longValue() > MAX_FIRES_LIMIT) {
      throw bad("limit", "must be an integer 1-" + MAX_FIRES_LIMIT + ", was " + v);
    }
    return n.intValue();
  }

  /** A new alert id: {@code al-} and 10 random base-36 characters. */
  static String newId() {
    StringBuilder b = new StringBuilder("al-");
    for (int i = 0; i < 10; i++) {
      b.append(BASE36.charAt(RANDOM.nextInt(36)));
    }
    return b.toString();
  }
}

package candlecast.gateway;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The gateway's last guard on alert replies (issue 17): a record's {@code webhookSecret} leaves the
 * gateway only as a boolean (set or not), whichever reply carries the record (the record itself,
 * {@code {"alert"}}, {@code {"alerts":[…]}}). Pure; the reply is changed only when it holds a
 * secret.
 */
final class AlertRecords {
  static final String SECRET = "webhookSecret";

  private AlertRecords() {}

  /** The reply with every record's secret replaced by {@code true}. */
  static JsonObject redact(JsonObject reply) {
    if (!holdsSecret(reply)) {
      return reply;
    }
    JsonObject copy = reply.copy();
    redactRecord(copy);
    if (copy.getValue("alert") instanceof JsonObject a) {
      redactRecord(a);
    }
    if (copy.getValue("alerts") instanceof JsonArray all) {
      for (Object o : all) {
        if (o instanceof JsonObject r) {
          redactRecord(r);
        }
      }
    }
    return copy;
  }

  private static boolean holdsSecret(JsonObject reply) {
    if (reply.getValue(SECRET) instanceof String) {
      return true;
    }
    if (reply.getValue("alert") instanceof JsonObject a && a.getValue(SECRET) instanceof String) {
      return true;
    }
    if (reply.getValue("alerts") instanceof JsonArray all) {
      for (Object o : all) {
        if (o instanceof JsonObject r && r.getValue(SECRET) instanceof String) {
          return true;
        }
      }
    }
    return false;
  }

  private static void redactRecord(JsonObject r) {
    if (r.getValue(SECRET) instanceof String s) {
      r.put(SECRET, !s.isEmpty());
    }
  }
}

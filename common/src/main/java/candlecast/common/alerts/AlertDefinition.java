package candlecast.common.alerts;

import candlecast.common.Symbols;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * What a client sends to create an alert (docs/PROTOCOL.md "Alerts"), validated: the canonical
 * symbol, the condition, once or rearm with its cool-down, optional expiry, webhook and note.
 *
 * @param expiresAt epoch ms, or null for never
 * @param webhook http(s) URL, or null
 * @param webhookSecret HMAC key of the webhook, or null
 */
public record AlertDefinition(
    String symbol,
    AlertCondition condition,
    boolean rearm,
    long cooldownMs,
    Long expiresAt,
    String webhook,
    String webhookSecret,
    String note) {
  public static final long DEFAULT_COOLDOWN_MS = 60_000;
  public static final long MAX_COOLDOWN_MS = 604_800_000L;
  public static final int MAX_WEBHOOK = 500;
  public static final int MAX_SECRET = 200;
  public static final int MAX_NOTE = 200;

  /**
   * Validates a definition a client sent at {@code nowMs}.
   *
   * @throws IllegalArgumentException {@code bad_alert: <field>: <why>}
   */
  public static AlertDefinition parse(JsonObject def, long nowMs) {
    AlertDefinition d = read(def);
    if (d.expiresAt != null && d.expiresAt <= nowMs) {
      throw AlertFields.bad("expiresAt", "must be in the future (now " + nowMs + ")");
    }
    return d;
  }

  /**
   * Reads the definition fields of a stored alert record (no expiry check: a stored alert may have
   * expired since).
   *
   * @throws IllegalArgumentException {@code bad_alert: <field>: <why>}
   */
  public static AlertDefinition fromRecord(JsonObject record) {
    if (record != null && record.getValue("webhookSecret") instanceof Boolean) {
      record = record.copy();
      record.remove("webhookSecret"); // a reply's form: the secret is not known
    }
    return read(record);
  }

  private static AlertDefinition read(JsonObject def) {
    if (def == null) {
      throw AlertFields.bad("alert", "missing");
    }
    return new AlertDefinition(
        symbol(def.getValue("symbol")),
        AlertCondition.parse(def.getValue("condition")),
        mode(def.getValue("mode")),
        cooldown(def.getValue("cooldownMs")),
        expiresAt(def.getValue("expiresAt")),
        webhook(def),
        AlertFields.optionalText(def, "webhookSecret", MAX_SECRET),
        note(def));
  }

  private static String symbol(Object v) {
    if (v == null) {
      throw AlertFields.bad("symbol", "missing");
    }
    if (!(v instanceof String s)) {
      throw AlertFields.bad("symbol", "must be a string");
    }
    String canonical = Symbols.normalize(s);
    if (canonical == null || !Symbols.isValid(canonical)) {
      throw AlertFields.bad("symbol", "'" + s + "' is not a symbol");
    }
    return canonical;
  }

  private static boolean mode(Object v) {
    if (v == null || "once".equals(v)) {
      return false;
    }
    if ("rearm".equals(v)) {
      return true;
    }
    throw AlertFields.bad("mode", "must be \"once\" or \"rearm\"");
  }

  private static long cooldown(Object v) {
    return v == null
        ? DEFAULT_COOLDOWN_MS
        : AlertFields.longValue(v, "cooldownMs", 0, MAX_COOLDOWN_MS);
  }

  private static Long expiresAt(Object v) {
    return v == null ? null : AlertFields.longValue(v, "expiresAt", 1, Long.MAX_VALUE / 2);
  }

  private static String webhook(JsonObject def) {
    String url = AlertFields.optionalText(def, "webhook", MAX_WEBHOOK);
    if (url == null) {
      return null;
    }
    try {
      URI u = new URI(url);
      String scheme = u.getScheme();
      if (scheme == null
          || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
          || u.getHost() == null) {
        throw AlertFields.bad("webhook", "must be an http(s) URL with a host");
      }
    } catch (URISyntaxException e) {
      throw AlertFields.bad("webhook", "not a URL (" + e.getReason() + ")");
    }
    return url;
  }

  private static String note(JsonObject def) {
    String note = AlertFields.optionalText(def, "note", MAX_NOTE);
    return note == null ? "" : note;
  }

  /** "once" or "rearm". */
  public String mode() {
    return rearm ? "rearm" : "once";
  }

  /**
   * The definition fields as stored in the alert record (including {@code webhookSecret}: replies
   * replace it by a boolean).
   */
  public JsonObject toJson() {
    return new JsonObject()
        .put("symbol", symbol)
        .put("condition", condition.toJson())
        .put("mode", mode())
        .put("cooldownMs", cooldownMs)
        .put("expiresAt", expiresAt)
        .put("webhook", webhook)
        .put("webhookSecret", webhookSecret)
        .put("note", note);
  }
}

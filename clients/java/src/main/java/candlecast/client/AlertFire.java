package candlecast.client;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One alert fire (docs/PROTOCOL.md, "Fire event").
 *
 * @param fire the fire id (idempotency key)
 * @param alert the alert id
 * @param owner the alert's owner
 * @param symbol canonical symbol
 * @param kind the condition kind
 * @param value the observed value, null when not defined
 * @param threshold the threshold, null when not defined
 * @param firedAt event time of the fire, epoch ms
 * @param recordedAt wall clock when recorded, epoch ms
 * @param trade the crossing trade as sent, or null
 * @param raw the whole event as sent
 */
public record AlertFire(
    String fire,
    String alert,
    String owner,
    String symbol,
    String kind,
    Double value,
    Double threshold,
    long firedAt,
    long recordedAt,
    JsonNode trade,
    JsonNode raw) {

  static AlertFire fromWire(JsonNode n) {
    JsonNode trade = n.get("trade");
    return new AlertFire(
        Json.str(n, "fire"),
        Json.str(n, "alert"),
        Json.optStr(n, "owner"),
        Json.str(n, "symbol"),
        Json.optStr(n, "kind"),
        Json.optNum(n, "value"),
        Json.optNum(n, "threshold"),
        Json.lng(n, "firedAt"),
        Json.lng(n, "recordedAt"),
        trade == null || trade.isNull() ? null : trade,
        n);
  }
}

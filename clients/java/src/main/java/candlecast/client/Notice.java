package candlecast.client;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An operator notice.
 *
 * @param id notice id
 * @param text the text
 * @param level {@code info}, {@code warning} or {@code critical}
 * @param link an http(s) link or null
 * @param symbol the symbol it concerns, or null
 * @param time when it was published, epoch ms
 */
public record Notice(String id, String text, String level, String link, String symbol, long time) {

  static Notice fromWire(JsonNode n) {
    JsonNode time = n.get("time");
    return new Notice(
        Json.optStr(n, "id"),
        Json.str(n, "text"),
        Json.optStr(n, "level"),
        Json.optStr(n, "link"),
        Json.optStr(n, "symbol"),
        time != null && time.isIntegralNumber() ? time.longValue() : 0L);
  }
}

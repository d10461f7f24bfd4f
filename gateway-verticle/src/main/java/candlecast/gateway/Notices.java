package candlecast.gateway;

import candlecast.common.Symbols;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.security.SecureRandom;

/**
 * Operator notices (issue 17): validation of {@code POST /api/notices} bodies into the notice
 * published on {@code candlecast.notices}, {@code
 * {"type":"notice","id":"n-…","text","level","link", "symbol","time"}}, and the check a relayed
 * notice passes before it is delivered. Pure except for the random id.
 */
final class Notices {
  static final int MAX_TEXT = 500;
  static final int MAX_LINK = 500;
  static final String BRIDGE_ADDRESS = "notices";
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A valid notice, or why the body is not one. */
  record Parsed(JsonObject notice, String error) {}

  private Notices() {}

  /** The notice of a request body (its fields validated, the id and time added). */
  static Parsed parse(Object body, long nowMs) {
    if (!(body instanceof JsonObject j)) {
      return bad("the body must be a JSON object such as {\"text\":\"maintenance at 18:00 UTC\"}");
    }
    if (!(j.getValue("text") instanceof String text)
        || text.isBlank()
        || text.length() > MAX_TEXT) {
      return bad("'text' must be a string of 1 to " + MAX_TEXT + " characters");
    }
    Object level = j.getValue("level", "info");
    if (!("info".equals(level) || "warning".equals(level) || "critical".equals(level))) {
      return bad("'level' must be info, warning or critical");
    }
    Object link = j.getValue("link");
    if (link != null && !(link instanceof String l && validLink(l))) {
      return bad("'link' must be an http(s) URL of at most " + MAX_LINK + " characters");
    }
    String symbol = null;
    if (j.getValue("symbol") != null) {
      symbol = j.getValue("symbol") instanceof String s ? Symbols.normalize(s) : null;
      if (symbol == null) {
        return bad("'symbol' must be a symbol such as BTCUSD");
      }
    }
    JsonObject notice =
        new JsonObject()
            .put("type", "notice")
            .put("id", "n-" + Long.toString(RANDOM.nextLong() & Long.MAX_VALUE, 36))
            .put("text", text)
            .put("level", level)
            .put("link", link)
            .put("symbol", symbol)
            .put("time", nowMs);
    return new Parsed(notice, null);
  }

  private static Parsed bad(String why) {
    return new Parsed(null, why);
  }

  static boolean validLink(String l) {
    if (l.length() > MAX_LINK) {
      return false;
    }
    try {
      URI u = new URI(l);
      return ("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null;
    } catch (java.net.URISyntaxException e) {
      return false;
    }
  }

  /** Whether a message of {@code candlecast.notices} is a notice to deliver. */
  static boolean deliverable(Object body) {
    return body instanceof JsonObject j
        && "notice".equals(j.getValue("type"))
        && j.getValue("text") instanceof String
        && (j.getValue("symbol") == null || j.getValue("symbol") instanceof String);
  }

  /** The bridge address of a symbol's notices. */
  static String bridgeAddress(String symbol) {
    return BRIDGE_ADDRESS + "." + symbol;
  }
}

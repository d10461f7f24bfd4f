package candlecast.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Jackson helpers; every malformed frame becomes a {@code bad_response} CandlecastException. */
final class Json {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  static JsonNode parse(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw bad("not JSON: " + abbreviate(text), e);
    }
  }

  static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode " + node, e);
    }
  }

  static CandlecastException bad(String message, Throwable cause) {
    return new CandlecastException(CandlecastException.BAD_RESPONSE, message, 0, cause);
  }

  static String abbreviate(String s) {
    return s == null || s.length() <= 120 ? s : s.substring(0, 120) + "…";
  }

  static JsonNode req(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      throw bad("missing '" + field + "' in " + abbreviate(n.toString()), null);
    }
    return v;
  }

  static double num(JsonNode n, String field) {
    JsonNode v = req(n, field);
    if (!v.isNumber()) {
      throw bad("'" + field + "' is not a number in " + abbreviate(n.toString()), null);
    }
    return v.doubleValue();
  }

  static long lng(JsonNode n, String field) {
    JsonNode v = req(n, field);
    if (!v.isIntegralNumber()) {
      throw bad("'" + field + "' is not an integer in " + abbreviate(n.toString()), null);
    }
    return v.longValue();
  }

  static String str(JsonNode n, String field) {
    JsonNode v = req(n, field);
    if (!v.isTextual()) {
      throw bad("'" + field + "' is not a string in " + abbreviate(n.toString()), null);
    }
    return v.textValue();
  }

  static String optStr(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || !v.isTextual() ? null : v.textValue();
  }

  static Double optNum(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || !v.isNumber() ? null : v.doubleValue();
  }

  static boolean bool(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v != null && v.asBoolean(false);
  }
}

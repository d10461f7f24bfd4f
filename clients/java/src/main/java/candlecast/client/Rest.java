package candlecast.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** REST calls under /api with the token; every non-2xx answer becomes a CandlecastException. */
final class Rest {
  private final HttpClient http;
  private final ClientConfig cfg;

  Rest(HttpClient http, ClientConfig cfg) {
    this.http = http;
    this.cfg = cfg;
  }

  static String query(Map<String, ?> params) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, ?> e : params.entrySet()) {
      if (e.getValue() == null) {
        continue;
      }
      sb.append(sb.length() == 0 ? '?' : '&')
          .append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8))
          .append('=')
          .append(URLEncoder.encode(String.valueOf(e.getValue()), StandardCharsets.UTF_8));
    }
    return sb.toString();
  }

  /**
   * Calls {@code method path} (path starts with /api/…) with an optional JSON body.
   *
   * @return the parsed JSON answer
   */
  CompletableFuture<JsonNode> call(String method, String path, JsonNode body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(cfg.endpoints().api() + path))
            .timeout(Duration.ofMillis(cfg.requestTimeoutMs()))
            .header("Accept", "application/json");
    String token;
    try {
      token = cfg.token() == null ? null : cfg.token().get();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(
          new CandlecastException(CandlecastException.UNAUTHORIZED, "token function failed", 0, e));
    }
    if (token != null && !token.isEmpty()) {
      b.header("Authorization", "Bearer " + token);
    }
    if (cfg.owner() != null) {
      b.header("X-Candlecast-Owner", cfg.owner());
    }
    if (body != null) {
      b.header("Content-Type", "application/json");
      b.method(method, HttpRequest.BodyPublishers.ofString(Json.write(body)));
    } else {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    }
    return http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
        .handle(
            (resp, err) -> {
              if (err != null) {
                throw new CandlecastException(
                    CandlecastException.CONNECTION_LOST, method + " " + path + ": " + err, 0, err);
              }
              return answer(method + " " + path, resp.statusCode(), resp.body());
            });
  }

  static JsonNode answer(String what, int status, String body) {
    if (status >= 200 && status < 300) {
      return Json.parse(body == null || body.isEmpty() ? "null" : body);
    }
    String text = body;
    try {
      JsonNode n = Json.parse(body);
      if (n.hasNonNull("error")) {
        text = n.get("error").asText();
        if (n.hasNonNull("message")) {
          text = text + ": " + n.get("message").asText();
        }
      }
    } catch (CandlecastException notJson) {
      // the body is plain text: keep it as the message
    }
    throw new CandlecastException(
        CandlecastException.codeForStatus(status, text), what + ": " + text, status, null);
  }
}

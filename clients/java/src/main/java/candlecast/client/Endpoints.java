package candlecast.client;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The two URLs of a node derived from the one the user gives: {@code http(s)://host:port} or {@code
 * ws(s)://…/ws}.
 */
record Endpoints(URI ws, String api) {

  static Endpoints of(String url, String owner) {
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("url is required (http://host:8080 or ws://host:8080/ws)");
    }
    URI u = URI.create(url.trim());
    String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(java.util.Locale.ROOT);
    boolean secure =
        switch (scheme) {
          case "http", "ws" -> false;
          case "https", "wss" -> true;
          default ->
              throw new IllegalArgumentException(
                  "url must be http(s):// or ws(s)://, was '" + url + "'");
        };
    if (u.getHost() == null) {
      throw new IllegalArgumentException("url has no host: '" + url + "'");
    }
    String path = u.getRawPath() == null ? "" : u.getRawPath();
    if (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    boolean wsScheme = scheme.startsWith("ws");
    String base = wsScheme && path.endsWith("/ws") ? path.substring(0, path.length() - 3) : path;
    String authority = u.getRawAuthority();
    String api = (secure ? "https://" : "http://") + authority + base;
    String query =
        owner == null ? "" : "?owner=" + URLEncoder.encode(owner, StandardCharsets.UTF_8);
    URI ws = URI.create((secure ? "wss://" : "ws://") + authority + base + "/ws" + query);
    return new Endpoints(ws, api);
  }

  /**
   * The same endpoints with the WebSocket's {@code encoding} query parameter (issue 20); {@code
   * json}, the server's default, leaves the URI as it is.
   */
  Endpoints withEncoding(String encoding) {
    if ("json".equals(encoding)) {
      return this;
    }
    String u = ws.toString();
    return new Endpoints(
        URI.create(u + (u.contains("?") ? "&" : "?") + "encoding=" + encoding), api);
  }
}

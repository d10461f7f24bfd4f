package candlecast.gateway;

import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which browser origins may use {@code /ws}, {@code /eventbus} and {@code /api}. Pure.
 *
 * <ul>
 *   <li>No {@code Origin} header: allowed (not a browser, or a same-origin GET).
 *   <li>Same origin: the origin's host and port equal the request's {@code Host} header.
 *   <li>{@code localhost}, {@code 127.0.0.1} and {@code [::1]} on any port: allowed.
 *   <li>Origins listed in {@code CANDLECAST_HTTP_CORS_ORIGINS} ({@code scheme://host[:port]}):
 *       allowed; {@code *} allows every origin.
 *   <li>Everything else, including the opaque origin {@code null} and malformed values: refused.
 * </ul>
 */
public final class OriginPolicy {
  private final Set<String> allowed = new HashSet<>();
  private final boolean any;

  public OriginPolicy(List<String> configured) {
    boolean star = false;
    for (String o : configured) {
      if (o.equals("*")) {
        star = true;
        continue;
      }
      String n = normalize(o);
      if (n == null) {
        throw new IllegalArgumentException(
            "invalid origin '"
                + o
                + "' in CANDLECAST_HTTP_CORS_ORIGINS: expected "
                + "scheme://host[:port], e.g. https://charts.example.com");
      }
      allowed.add(n);
    }
    this.any = star;
  }

  /**
   * Whether a request from {@code origin} may be served.
   *
   * @param origin the request's {@code Origin} header (null when absent)
   * @param host the request's {@code Host} header (null when absent)
   */
  public boolean allows(String origin, String host) {
    if (origin == null) {
      return true;
    }
    if (any) {
      return true;
    }
    String n = normalize(origin);
    if (n == null) {
      return false;
    }
    if (allowed.contains(n)) {
      return true;
    }
    URI u = URI.create(n);
    String h = u.getHost();
    if (h.equals("localhost") || h.equals("127.0.0.1") || h.equals("[::1]")) {
      return true;
    }
    return host != null && sameAuthority(u, host);
  }

  private static boolean sameAuthority(URI origin, String hostHeader) {
    String hh = hostHeader.trim().toLowerCase(Locale.ROOT);
    int defaultPort = origin.getScheme().equals("https") ? 443 : 80;
    String hostPart;
    int port;
    int colon = hh.lastIndexOf(':');
    int bracket = hh.lastIndexOf(']');
    if (colon > bracket) {
      hostPart = hh.substring(0, colon);
      try {
        port = Integer.parseInt(hh.substring(colon + 1));
      } catch (NumberFormatException e) {
        return false;
      }
    } else {
      hostPart = hh;
      port = defaultPort;
    }
    int originPort = origin.getPort() < 0 ? defaultPort : origin.getPort();
    return hostPart.equals(origin.getHost()) && port == originPort;
  }

  /**
   * {@code scheme://host[:port]} in lower case without a default port; null when not a valid
   * http(s) origin.
   */
  static String normalize(String origin) {
    String o = origin.trim().toLowerCase(Locale.ROOT);
    if (o.isEmpty() || o.length() > 300) {
      return null;
    }
    URI u;
    try {
      u = new URI(o);
    } catch (Exception e) {
      return null;
    }
    String scheme = u.getScheme();
    if (scheme == null || !(scheme.equals("http") || scheme.equals("https"))) {
      return null;
    }
    if (u.getHost() == null
        || u.getRawUserInfo() != null
        || u.getRawQuery() != null
        || u.getRawFragment() != null
        || !(u.getRawPath() == null || u.getRawPath().isEmpty() || u.getRawPath().equals("/"))) {
      return null;
    }
    int port = u.getPort();
    int def = scheme.equals("https") ? 443 : 80;
    return scheme + "://" + u.getHost() + (port < 0 || port == def ? "" : ":" + port);
  }
}

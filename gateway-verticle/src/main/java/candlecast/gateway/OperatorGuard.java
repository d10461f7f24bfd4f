package candlecast.gateway;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.auth.User;
import io.vertx.ext.web.RoutingContext;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Who may use the operator-only REST resources (replay controls, CSV import). With authentication
 * on, the JWT that the access checks verified ({@code ctx.user()}) must carry the claim {@code
 * "role":"operator"} or a {@code "roles"} array containing {@code "operator"}; with authentication
 * off, only requests from a loopback address are allowed. Refused: 403 {@code {"error":"operator
 * only"}}.
 */
final class OperatorGuard {
  static final String ROLE = "operator";

  private OperatorGuard() {}

  /** Whether the request may use an operator-only resource. */
  static boolean allowed(RoutingContext ctx) {
    User user = ctx.user();
    if (user != null) {
      return isOperator(claims(user));
    }
    return loopback(ctx.request().remoteAddress());
  }

  /** A handler that passes operators on and answers everybody else 403. */
  static void check(RoutingContext ctx) {
    if (allowed(ctx)) {
      ctx.next();
    } else {
      RestApi.error(ctx, 403, "operator only");
    }
  }

  /** The token's claims: the decoded access token, else the principal. */
  static JsonObject claims(User user) {
    JsonObject token = user.attributes().getJsonObject("accessToken");
    return token != null ? token : user.principal();
  }

  /** Whether the claims name the operator role. */
  static boolean isOperator(JsonObject claims) {
    if (claims == null) {
      return false;
    }
    if (ROLE.equals(claims.getValue("role"))) {
      return true;
    }
    return claims.getValue("roles") instanceof JsonArray roles && roles.contains(ROLE);
  }

  /** Whether {@code address} is a loopback address (127.0.0.0/8, ::1). */
  static boolean loopback(SocketAddress address) {
    if (address == null || address.hostAddress() == null) {
      return false;
    }
    String host = address.hostAddress();
    if (!host.matches("[0-9.]+|[0-9a-fA-F:%.a-zA-Z]*:[0-9a-fA-F:%.a-zA-Z]*")) {
      return false; // never resolve names here
    }
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}

package candlecast.gateway;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;
import java.util.regex.Pattern;

/**
 * Who owns an alert or a portfolio (issue 17), the same rule on every protocol: with authentication
 * on, the JWT's {@code sub} (anything the client supplies is ignored); with it off, the owner the
 * client supplies (REST header {@code X-Candlecast-Owner} or query {@code owner}, the WebSocket
 * upgrade's query {@code owner} or a command's {@code owner}, the bridge message's {@code owner}),
 * else {@value #DEFAULT}. Without authentication the owner is a label, NOT a security boundary.
 * Pure.
 */
final class OwnerIdentity {
  static final String DEFAULT = "default";

  /** The REST header that names the owner when authentication is off. */
  static final String HEADER = "X-Candlecast-Owner";

  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._@:-]{1,64}");

  private OwnerIdentity() {}

  /** 1 to 64 characters of {@code [A-Za-z0-9._@:-]}. */
  static boolean valid(String owner) {
    return owner != null && VALID.matcher(owner).matches();
  }

  /**
   * The owner: {@code user}'s {@code sub} when authenticated (non-null user), else {@code supplied}
   * when given, else {@value #DEFAULT}.
   *
   * @throws IllegalArgumentException "bad_owner: ..." when the resulting owner is not {@link
   *     #valid}
   */
  static String resolve(User user, String supplied) {
    String owner;
    if (user != null) {
      owner = subject(user);
      if (owner == null) {
        throw new IllegalArgumentException("bad_owner: the token has no 'sub' claim");
      }
    } else {
      owner = supplied == null ? DEFAULT : supplied;
    }
    if (!valid(owner)) {
      throw new IllegalArgumentException(
          "bad_owner: an owner is 1 to 64 characters of A-Z a-z 0-9 . _ @ : -, was '"
              + CommandParser.echo(owner)
              + "'");
    }
    return owner;
  }

  private static String subject(User user) {
    JsonObject p = user.principal();
    Object sub = p == null ? null : p.getValue("sub");
    if (sub == null && user.attributes() != null) {
      JsonObject token = user.attributes().getJsonObject("accessToken");
      sub = token == null ? user.attributes().getValue("sub") : token.getValue("sub");
    }
    return sub instanceof String s ? s : null;
  }
}

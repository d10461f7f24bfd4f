package candlecast.gateway;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;

/**
 * The SockJS bridge's alert and notice rules (issue 17), used by {@link BridgeGuard}:
 *
 * <ul>
 *   <li>inbound request-reply {@code send} to {@code candlecast.alerts}: the body's {@code owner}
 *       is set by {@link OwnerIdentity} (the token's subject with authentication on, else the
 *       body's {@code owner} or {@code default}); refused when it is not valid;
 *   <li>outbound {@code alerts.owner.<owner>}: with authentication on, only the token's own owner;
 *   <li>outbound {@code notices} and {@code notices.<SYMBOL>} ({@link NoticeRelay}).
 * </ul>
 *
 * Pure.
 */
final class BridgeAlerts {
  public static final String OUTBOUND_ALERTS_REGEX = "alerts\\.owner\\.[A-Za-z0-9._@:-]{1,64}";
  public static final String OUTBOUND_NOTICES_REGEX = "notices(\\.[A-Z0-9]{2,20})?";

  private BridgeAlerts() {}

  static boolean isOwnerAddress(String address) {
    return address != null && address.startsWith(candlecast.common.Addresses.ALERTS_OWNER_PREFIX);
  }

  /**
   * The body a {@code send} to {@code candlecast.alerts} goes on with (its owner resolved), or null
   * to refuse it.
   *
   * @param user the session's authenticated user; null without authentication
   */
  static JsonObject request(JsonObject body, boolean authOn, User user) {
    if (body == null || (authOn && user == null)) {
      return null;
    }
    Object supplied = body.getValue("owner");
    if (!authOn && supplied != null && !(supplied instanceof String)) {
      return null;
    }
    try {
      String owner = OwnerIdentity.resolve(authOn ? user : null, authOn ? null : (String) supplied);
      return body.copy().put("owner", owner);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * Whether the session may register {@code alerts.owner.<owner>}: any owner without
   * authentication, only its token's subject with it.
   */
  static boolean mayListen(String address, boolean authOn, User user) {
    if (!address.matches(OUTBOUND_ALERTS_REGEX)) {
      return false;
    }
    if (!authOn) {
      return true;
    }
    if (user == null) {
      return false;
    }
    try {
      String owner = OwnerIdentity.resolve(user, null);
      return address.equals(candlecast.common.Addresses.alertsOwner(owner));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}

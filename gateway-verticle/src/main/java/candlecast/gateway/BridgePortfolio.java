package candlecast.gateway;

import candlecast.common.Addresses;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;
import io.vertx.ext.bridge.BridgeEventType;
import io.vertx.ext.web.handler.sockjs.BridgeEvent;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The portfolio on the event-bus bridge (issue 17): inbound request-reply {@code send} to {@code
 * candlecast.portfolio} with the owner set by {@link OwnerIdentity} (auth on: the JWT's {@code
 * sub}, whatever the body says; off: the body's {@code owner}, else {@code default}); outbound
 * {@code portfolio.<owner>}, the owner's valuations (auth on: only the socket's own owner), valued
 * once per node ({@link PortfolioHub#bridgeRegister}).
 */
final class BridgePortfolio {
  static final String OUTBOUND_REGEX = "portfolio\\.[A-Za-z0-9._@:-]{1,64}";
  private static final Pattern OUTBOUND = Pattern.compile(OUTBOUND_REGEX);

  private final Supplier<PortfolioHub> hub;
  private final Map<SockJSSocket, Set<String>> registered = new HashMap<>();

  BridgePortfolio(Supplier<PortfolioHub> hub) {
    this.hub = hub;
  }

  static boolean isOwnerAddress(String address) {
    return address != null && OUTBOUND.matcher(address).matches();
  }

  /** A send to {@code candlecast.portfolio}: the owner is forced; refused when it is bad. */
  static void send(BridgeEvent event, JsonObject raw) {
    JsonObject body = raw.getValue("body") instanceof JsonObject b ? b : null;
    if (body == null || raw.getString("replyAddress") == null) {
      event.complete(false);
      return;
    }
    Object supplied = body.getValue("owner");
    String owner;
    try {
      owner =
          OwnerIdentity.resolve(event.socket().webUser(), supplied instanceof String s ? s : null);
    } catch (IllegalArgumentException e) {
      event.complete(false);
      return;
    }
    if (supplied != null && !(supplied instanceof String)) {
      event.complete(false);
      return;
    }
    event.setRawMessage(raw.copy().put("body", body.copy().put("owner", owner)));
    event.complete(true);
  }

  /**
   * A registration of {@code portfolio.<owner>}: refused for another owner than the JWT's, else the
   * node values the owner; {@code onRefused} undoes the caller's bookkeeping.
   */
  void register(BridgeEvent event, SockJSSocket sock, String address, Runnable onRefused) {
    String owner = address.substring(Addresses.PORTFOLIO_OWNER_PREFIX.length());
    User user = sock.webUser();
    PortfolioHub h = hub.get();
    if (h == null || (user != null && !owner.equals(ownerOf(user)))) {
      onRefused.run();
      event.complete(false);
      return;
    }
    h.bridgeRegister(owner)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                onRefused.run();
                event.complete(false);
                return;
              }
              registered.computeIfAbsent(sock, s -> new HashSet<>()).add(owner);
              event.complete(true);
              h.kick(owner);
            });
  }

  void unregister(SockJSSocket sock, String address) {
    Set<String> owners = registered.get(sock);
    String owner = address.substring(Addresses.PORTFOLIO_OWNER_PREFIX.length());
    if (owners != null && owners.remove(owner)) {
      PortfolioHub h = hub.get();
      if (h != null) {
        h.bridgeUnregister(owner);
      }
    }
  }

  /** The socket closed: its registrations end. */
  void closed(SockJSSocket sock) {
    Set<String> owners = registered.remove(sock);
    PortfolioHub h = hub.get();
    if (owners != null && h != null) {
      owners.forEach(h::bridgeUnregister);
    }
  }

  private static String ownerOf(User user) {
    try {
      return OwnerIdentity.resolve(user, null);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  static boolean isSend(BridgeEventType type, String address) {
    return type == BridgeEventType.SEND && Addresses.PORTFOLIO.equals(address);
  }
}

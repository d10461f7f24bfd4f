package candlecast.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The subscriptions a connection keeps: which command id and which live route belongs to which,
 * which are still being restored after a reconnect, and what a subscribe error does (retry with
 * back-off, or fail). Used on the client's event thread only.
 */
final class SubscriptionTable {
  private static final System.Logger LOG = System.getLogger(SubscriptionTable.class.getName());

  private final Connection conn;
  private final Set<Subscription<?>> subs = new LinkedHashSet<>();
  private final Set<Subscription<?>> restoring = new LinkedHashSet<>();
  private final Map<String, Subscription<?>> byId = new HashMap<>();
  private final Map<String, Subscription<?>> byRoute = new HashMap<>();

  SubscriptionTable(Connection conn) {
    this.conn = conn;
  }

  void add(Subscription<?> s) {
    subs.add(s);
    s.phase = Subscription.Phase.AWAIT_ACK;
  }

  /** The socket opened: subscribe everything again; true when there was nothing to restore. */
  boolean restoreAll() {
    restoring.clear();
    for (Subscription<?> s : new ArrayList<>(subs)) {
      restoring.add(s);
      sendSubscribe(s);
    }
    return restoring.isEmpty();
  }

  boolean allRestored() {
    return restoring.isEmpty();
  }

  /** The socket dropped: every subscription waits for the next one. */
  void dropAll() {
    byId.clear();
    byRoute.clear();
    for (Subscription<?> s : subs) {
      s.phase = Subscription.Phase.AWAIT_ACK;
    }
  }

  /** The client closed: every subscription ends (with the error, when there is one). */
  void finishAll(CandlecastException error) {
    List<Subscription<?>> all = new ArrayList<>(subs);
    subs.clear();
    restoring.clear();
    byId.clear();
    byRoute.clear();
    for (Subscription<?> s : all) {
      if (error != null) {
        s.fail(error);
      } else {
        s.finish(null);
      }
    }
  }

  /**
   * Forgets a subscription the user closed; true when the server still holds it (send an
   * unsubscribe).
   */
  boolean remove(Subscription<?> s, boolean open) {
    boolean active = open && subs.contains(s) && s.phase != Subscription.Phase.RETRY_WAIT;
    subs.remove(s);
    restoring.remove(s);
    byId.values().remove(s);
    byRoute.values().remove(s);
    s.finish(null);
    conn.checkConnected();
    return active;
  }

  Subscription<?> byCommand(String id) {
    return id == null ? null : byId.get(id);
  }

  void sendSubscribe(Subscription<?> s) {
    String id = conn.nextId();
    if (s.commandId != null) {
      byId.remove(s.commandId);
      s.countResume();
    }
    s.commandId = id;
    s.phase = Subscription.Phase.AWAIT_ACK;
    byId.put(id, s);
    ObjectNode cmd = s.subscribeCommand();
    cmd.put("id", id);
    conn.send(Json.write(cmd));
    conn.later(
        () -> {
          if (id.equals(s.commandId)
              && (s.phase == Subscription.Phase.AWAIT_ACK
                  || s.phase == Subscription.Phase.AWAIT_SNAPSHOT)
              && conn.isOpen()) {
            s.timedOut = true;
            subscribeError(s, CandlecastException.TIMEOUT, "no ack/snapshot for " + id);
          }
        },
        conn.requestTimeoutMs());
  }

  /**
   * Drops the server's subscription and subscribes again after {@code delayMs} (resume parameters
   * included).
   */
  void resubscribe(Subscription<?> s, long delayMs) {
    byId.remove(s.commandId);
    byRoute.values().remove(s);
    // the server holds the subscription once it acked it (a timed-out subscribe may be held too):
    // drop it first
    boolean held = s.phase != Subscription.Phase.AWAIT_ACK || s.timedOut;
    s.phase = Subscription.Phase.RETRY_WAIT;
    s.timedOut = false;
    if (held && conn.isOpen()) {
      conn.send(Json.write(s.unsubscribeCommand()));
    }
    int gen = conn.generation();
    conn.later(
        () -> {
          if (gen == conn.generation()
              && conn.isOpen()
              && s.phase == Subscription.Phase.RETRY_WAIT
              && subs.contains(s)) {
            sendSubscribe(s);
          }
        },
        delayMs);
  }

  void restored(Subscription<?> s) {
    restoring.remove(s);
    conn.checkConnected();
  }

  void subscribeError(Subscription<?> s, String code, String message) {
    byId.remove(s.commandId);
    if (s.phase == Subscription.Phase.AWAIT_SNAPSHOT && s.softError(code)) {
      s.restored();
      return;
    }
    boolean retry =
        s.transientError(code)
            || CandlecastException.TIMEOUT.equals(code)
            || "rate_limited".equals(code)
            || (s.delivered && "unknown_symbol".equals(code));
    if (retry && (s.delivered || s.retries < 10)) {
      long delay = conn.backoff().delay(s.retries++);
      LOG.log(Level.DEBUG, "{0} on subscribe {1}: retrying in {2} ms", code, s.routeKey(), delay);
      resubscribe(s, delay);
      return;
    }
    subs.remove(s);
    restoring.remove(s);
    byRoute.values().remove(s);
    s.fail(new CandlecastException(code, message));
    conn.checkConnected();
  }

  boolean subscriptionFrame(JsonNode f, String id) {
    if ("subscribed".equals(f.path("status").asText()) && id != null && byId.containsKey(id)) {
      acked(byId.get(id), f);
      return true;
    }
    return false;
  }

  boolean liveFrame(String type, JsonNode f) {
    String route = Routes.of(type, f);
    if (route == null) {
      return false;
    }
    Subscription<?> s = byRoute.get(route);
    if (s != null && s.phase == Subscription.Phase.LIVE) {
      s.onFrame(f);
    }
    return true;
  }

  private void acked(Subscription<?> s, JsonNode ack) {
    s.onAck(ack);
    byRoute.put(s.routeKey(), s);
    if (s.expectsSnapshot()) {
      s.phase = Subscription.Phase.AWAIT_SNAPSHOT;
    } else {
      byId.remove(s.commandId);
      s.restored();
    }
  }
}

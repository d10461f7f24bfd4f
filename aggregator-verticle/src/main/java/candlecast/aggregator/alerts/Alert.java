package candlecast.aggregator.alerts;

import candlecast.common.alerts.AlertCondition;
import candlecast.common.alerts.AlertDefinition;
import io.vertx.core.json.JsonObject;

/** One alert held by an {@link AlertBook}: its record and its runtime state (fold thread only). */
final class Alert {
  final String id;
  final String owner;
  final AlertDefinition def;
  final AlertCondition cond;
  final long fromOffset;

  /** The newest record (written back after each fire or expiry). */
  JsonObject record;

  /** Fires so far, and the (trade or candle) time of the last one. */
  int seq;

  long lastFireTime = Long.MIN_VALUE;

  /** Evaluating (past {@link #fromOffset}). */
  boolean active;

  /** Never evaluates again: fired once, expired or deleted (lazily dropped from the indexes). */
  boolean done;

  /**
   * Candle kinds: the symbol's event time at activation (windows due by then are not evaluated).
   */
  long activeWatermark = Long.MIN_VALUE;

  Alert(JsonObject record, AlertDefinition def) {
    this.id = record.getString("id");
    this.owner = record.getString("owner");
    this.def = def;
    this.cond = def.condition();
    this.fromOffset = record.getLong("fromOffset");
    this.record = record;
  }

  double level() {
    return cond.level();
  }

  long expiresAt() {
    return def.expiresAt() == null ? Long.MAX_VALUE : def.expiresAt();
  }

  /**
   * Whether a crossing at {@code time} is a fire: always the first; for rearm alerts, once the
   * cool-down since the last fire has passed. Counts the fire when it is one.
   */
  boolean fire(long time) {
    if (done) {
      return false;
    }
    if (seq > 0 && time < lastFireTime + def.cooldownMs()) {
      return false;
    }
    seq++;
    lastFireTime = time;
    if (!def.rearm()) {
      done = true;
    }
    return true;
  }
}

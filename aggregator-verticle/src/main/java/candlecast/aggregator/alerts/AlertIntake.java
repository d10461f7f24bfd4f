package candlecast.aggregator.alerts;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * The owner's side of alert definitions (issue 17): hands creates and deletes to the fold loop,
 * which evaluates the alerts of its partitions in log order. Implemented by the aggregator's fold
 * loop wiring; used by the alert service that answers {@code candlecast.alerts}. Event-loop calls.
 */
public interface AlertIntake {
  /**
   * Hands a new alert record (id, owner, symbol, condition, mode, …, seed; without {@code
   * partition}/{@code fromOffset}) to the fold loop of the symbol's partition. Completes with the
   * record as written to the {@code alerts} topic ({@code partition} and {@code fromOffset} filled
   * in, {@code state} armed) once Kafka acknowledged it; fails with a {@code ReplyException}-style
   * code 503 when this instance does not hold the symbol's partition, 400 {@code bad_alert: …} when
   * the record is invalid.
   */
  Future<JsonObject> create(JsonObject record);

  /**
   * Stops evaluating the alert and writes its tombstone; completes once Kafka acknowledged it (also
   * when the alert was unknown here).
   */
  Future<Void> delete(String symbol, String id);

  /** Called on the aggregator's context after a fire event is durable in {@code alerts.fires}. */
  interface FireListener {
    /**
     * Receives one durable fire.
     *
     * @param fire the fire event (docs/PROTOCOL.md "Alerts")
     * @param alert the alert record after the fire, including {@code webhookSecret}
     */
    void fired(JsonObject fire, JsonObject alert);
  }

  /** Registers a listener for durable fires (e.g. webhook delivery). */
  void onFire(FireListener listener);
}

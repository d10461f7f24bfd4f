package candlecast.aggregator.alerts;

import io.vertx.core.json.JsonObject;

/**
 * What evaluation produced for the fold loop to write: a fire (its id and event, then the updated
 * alert record), or an expiry (the updated record only: {@code fireId} and {@code event} null).
 *
 * @param partition the {@code trades} partition (= the {@code alerts}/{@code alerts.fires} one)
 */
public record AlertEffect(
    int partition, String alertId, String fireId, JsonObject event, JsonObject record) {}

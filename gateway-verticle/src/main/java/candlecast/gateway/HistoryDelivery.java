package candlecast.gateway;

import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;

/**
 * How long the gateway waits for a history answer: the configured history timeout for local
 * answers, at least {@link #DOWNLOAD_TIMEOUT_MS} for a request that may download from the exchange
 * ({@code localOnly:false}), whose owner pages through the exchange's OHLC endpoint at a few
 * requests per second (a year of 1m bars is 526 pages).
 */
final class HistoryDelivery {
  static final long DOWNLOAD_TIMEOUT_MS = 180_000;

  private HistoryDelivery() {}

  static DeliveryOptions of(JsonObject request, DeliveryOptions local) {
    if (!Boolean.FALSE.equals(request.getBoolean("localOnly"))
        || local.getSendTimeout() >= DOWNLOAD_TIMEOUT_MS) {
      return local;
    }
    return new DeliveryOptions(local).setSendTimeout(DOWNLOAD_TIMEOUT_MS);
  }
}

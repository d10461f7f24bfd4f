package candlecast.feed;

import candlecast.common.Codecs;
import candlecast.common.Topics;
import candlecast.common.Trade;
import io.vertx.core.Future;
import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Validates trades from any source and writes them to Kafka: valid ones to {@code trades} (key = symbol, value =
 * {@link Codecs#encodeTrade}), invalid ones to {@code trades.dlq} as {@code {"reason":"...","trade":<raw>}}. Keeps the
 * feed's counters. Call it from one Vert.x context (the feed verticle's); {@link #stats()} may be read from anywhere.
 */
public final class TradePublisher {
  private static final Logger LOG = LoggerFactory.getLogger(TradePublisher.class);

  private final KafkaProducer<String, byte[]> producer;
  private final AtomicLong tradesIn = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong sendErrors = new AtomicLong();
  private final AtomicLong pending = new AtomicLong();
  private final AtomicLong lastTradeTime = new AtomicLong();
  private volatile boolean lastSendFailed;
  private volatile String lastError;

  public TradePublisher(KafkaProducer<String, byte[]> producer) {
    this.producer = producer;
    // Each send's future already reports its failure (counted in send()); without a handler the producer would
    // also report it to the context as an unhandled exception.
    producer.exceptionHandler(e -> LOG.debug("Kafka producer error: " + e));
  }

  /**
   * Validates {@code t} ({@link Trade#invalidReason()}) and sends it to {@code trades}, or to {@code trades.dlq} when
   * invalid. The future completes when Kafka acknowledged the record (or failed to); failures are also counted.
   */
  public Future<Void> publish(Trade t) {
    tradesIn.incrementAndGet();
    String reason = t == null ? "missing trade" : t.invalidReason();
    if (reason != null) {
      rejected.incrementAndGet();
      return sendToDlq(t == null ? null : t.symbol(), reason, t == null ? null : tradeJson(t));
    }
    lastTradeTime.set(t.time());
    return send(Topics.TRADES, t.symbol(), Codecs.encodeTrade(t)).onSuccess(v -> sent.incrementAndGet());
  }

  /**
   * Counts a message a source could not even turn into a trade and sends it to {@code trades.dlq}. {@code raw} is
   * embedded as JSON when it parses as JSON, else as a string.
   */
  public Future<Void> reject(String reason, String raw) {
    tradesIn.incrementAndGet();
    rejected.incrementAndGet();
    Object rawValue = raw;
    if (raw != null) {
      try {
        rawValue = Json.decodeValue(raw);
      } catch (DecodeException e) {
        rawValue = raw;
      }
    }
    return sendToDlq(null, reason, rawValue);
  }

  /** True while the producer holds more unacknowledged data than its write queue allows: slow down. */
  public boolean writeQueueFull() {
    return producer.writeQueueFull();
  }

  public FeedStats stats() {
    return new FeedStats(tradesIn.get(), rejected.get(), sent.get(), sendErrors.get(), pending.get(),
        lastTradeTime.get(), lastSendFailed, lastError);
  }

  /** The DLQ value: {@code {"reason":"...","trade":<raw>}}. */
  static byte[] dlqValue(String reason, Object raw) {
    return new JsonObject().put("reason", reason).put("trade", raw).encode().getBytes(StandardCharsets.UTF_8);
  }

  /** A trade as JSON even when it is invalid (nulls, non-finite numbers). */
  static JsonObject tradeJson(Trade t) {
    return new JsonObject()
        .put("symbol", t.symbol())
        .put("id", t.id())
        .put("time", t.time())
        .put("price", number(t.price()))
        .put("amount", number(t.amount()))
        .put("side", t.side() == null ? null : t.side().wire());
  }

  private static Object number(double d) {
    return Double.isFinite(d) ? d : String.valueOf(d);
  }

  private Future<Void> sendToDlq(String key, String reason, Object raw) {
    LOG.warn("Rejected trade (" + reason + "): " + raw);
    return send(Topics.TRADES_DLQ, key, dlqValue(reason, raw));
  }

  private Future<Void> send(String topic, String key, byte[] value) {
    pending.incrementAndGet();
    return producer.send(KafkaProducerRecord.create(topic, key, value))
        .andThen(ar -> {
          pending.decrementAndGet();
          if (ar.succeeded()) {
            if (lastSendFailed) {
              LOG.info("Kafka sends succeed again");
            }
            lastSendFailed = false;
          } else {
            sendErrors.incrementAndGet();
            if (!lastSendFailed) {
              LOG.warn("Kafka send to " + topic + " failed: " + ar.cause());
            }
            lastSendFailed = true;
            lastError = String.valueOf(ar.cause().getMessage());
          }
        })
        .mapEmpty();
  }
}

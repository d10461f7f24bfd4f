package candlecast.aggregator.alerts;

import candlecast.common.Topics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers durable fires to their alert's webhook (registered on the owner as a {@link
 * AlertIntake.FireListener}): POSTs the fire event JSON, signed when the alert has a secret,
 * retried on connection errors, timeouts and non-2xx answers with jittered exponential back-off;
 * every attempt is recorded in {@code alerts.webhooks} (docs/PROTOCOL.md "Alerts: webhooks").
 */
public final class WebhookSender implements AlertIntake.FireListener {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookSender.class);

  /** The webhook settings: per-attempt timeout, attempts, first back-off. */
  public record Options(long timeoutMs, int maxAttempts, long backoffMs) {}

  private final Vertx vertx;
  private final Options options;
  private final HttpClient client;
  private final KafkaProducer<String, byte[]> log;
  private DoubleSupplier jitter = () -> ThreadLocalRandom.current().nextDouble();
  private Predicate<String> owns = symbol -> true;
  LongSupplier clock = System::currentTimeMillis;

  /**
   * @param producerConfig settings of the delivery log's producer
   */
  public WebhookSender(Vertx vertx, Options options, Map<String, Object> producerConfig) {
    this.vertx = vertx;
    this.options = options;
    this.client =
        vertx.createHttpClient(
            new HttpClientOptions().setConnectTimeout((int) options.timeoutMs()));
    this.log =
        new KafkaProducer<>(producerConfig, new StringSerializer(), new ByteArraySerializer());
  }

  /** The source of the back-off's jitter, in [0, 1] (tests make the waits deterministic). */
  public void jitter(DoubleSupplier source) {
    this.jitter = source;
  }

  /**
   * Whether this instance still owns a symbol: a retry of a fire whose symbol moved elsewhere is
   * left to the new owner ({@link AlertService#resumeWebhooks}).
   */
  public void owns(Predicate<String> ownsSymbol) {
    this.owns = ownsSymbol;
  }

  /**
   * Continues the delivery of a durable fire after {@code attemptsDone} logged attempts (none
   * final), at once.
   */
  public void resume(JsonObject fire, JsonObject alert, int attemptsDone) {
    String url = alert.getString("webhook");
    if (url != null && attemptsDone < options.maxAttempts()) {
      attempt(
          new Delivery(fire, url, secretOf(alert), alert.getInteger("partition")),
          attemptsDone + 1);
    }
  }

  private static String secretOf(JsonObject alert) {
    return alert.getValue("webhookSecret") instanceof String s && !s.isEmpty() ? s : null;
  }

  /** One fire on its way to one URL. */
  private record Delivery(JsonObject fire, String url, String secret, Integer partition) {}

  @Override
  public void fired(JsonObject fire, JsonObject alert) {
    String url = alert.getString("webhook");
    if (url == null) {
      return;
    }
    attempt(new Delivery(fire, url, secretOf(alert), alert.getInteger("partition")), 1);
  }

  private void attempt(Delivery d, int n) {
    String body = d.fire().encode();
    long ts = clock.getAsLong();
    RequestOptions ro =
        new RequestOptions()
            .setMethod(HttpMethod.POST)
            .setAbsoluteURI(d.url())
            .setConnectTimeout(options.timeoutMs())
            .setIdleTimeout(options.timeoutMs())
            .putHeader("Content-Type", "application/json")
            .putHeader("X-Candlecast-Fire", d.fire().getString("fire"))
            .putHeader("X-Candlecast-Timestamp", Long.toString(ts));
    if (d.secret() != null) {
      ro.putHeader("X-Candlecast-Signature", WebhookSigner.signature(d.secret(), ts, body));
    }
    Future<Integer> status;
    try {
      status =
          client
              .request(ro)
              .compose(req -> req.send(Buffer.buffer(body, "UTF-8")))
              .compose(resp -> resp.body().map(b -> resp.statusCode()))
              .timeout(options.timeoutMs(), TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      status = Future.failedFuture(e); // a URL the client cannot use
    }
    status.onComplete(ar -> afterAttempt(d, n, ar.succeeded() ? ar.result() : null, ar.cause()));
  }

  private void afterAttempt(Delivery d, int n, Integer status, Throwable error) {
    boolean ok = status != null && status >= 200 && status < 300;
    boolean last = ok || n >= options.maxAttempts();
    String err = error != null ? String.valueOf(error.getMessage()) : ok ? null : "HTTP " + status;
    record(d, n, status, err, last);
    if (!last && !owns.test(String.valueOf(d.fire().getString("symbol")))) {
      LOG.info(
          "{} moved to another aggregator; it resumes the webhook", d.fire().getString("fire"));
    } else if (!last) {
      long wait = WebhookSigner.backoff(n, options.backoffMs(), jitter.getAsDouble());
      vertx.setTimer(Math.max(1, wait), t -> attempt(d, n + 1));
    } else if (!ok) {
      LOG.warn("webhook of {} failed {} times, giving up: {}", d.fire().getString("fire"), n, err);
    }
  }

  /**
   * Appends one attempt to {@code alerts.webhooks} (the producer may block on metadata: worker).
   */
  private void record(Delivery d, int n, Integer status, String error, boolean last) {
    JsonObject entry =
        new JsonObject()
            .put("fire", d.fire().getString("fire"))
            .put("alert", d.fire().getString("alert"))
            .put("owner", d.fire().getString("owner"))
            .put("attempt", n)
            .put("status", status)
            .put("error", error)
            .put("at", clock.getAsLong())
            .put("final", last);
    ProducerRecord<String, byte[]> rec =
        new ProducerRecord<>(
            Topics.ALERT_WEBHOOKS,
            d.partition(),
            entry.getString("fire"),
            entry.encode().getBytes(StandardCharsets.UTF_8));
    vertx
        .executeBlocking(
            () ->
                log.send(
                    rec,
                    (md, e) -> {
                      if (e != null) {
                        LOG.warn("webhook delivery log: {}", e.toString());
                      }
                    }),
            false)
        .onFailure(e -> LOG.warn("webhook delivery log: {}", e.toString()));
  }

  /** Closes the HTTP client and the delivery log's producer (blocking: call on a worker). */
  public void closeBlocking() {
    client.close();
    log.close(java.time.Duration.ofSeconds(10));
  }
}

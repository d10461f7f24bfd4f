package candlecast.aggregator;

import candlecast.common.Addresses;
import candlecast.common.Candle;
import candlecast.common.Codecs;
import candlecast.common.Timeframe;
import candlecast.common.Topics;
import candlecast.common.Trade;
import candlecast.common.config.CandlecastConfig;
import candlecast.common.config.Settings;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.consumer.KafkaConsumerRecords;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires {@link CandleFolder} to Kafka and the event bus: consumes {@code trades} in a consumer group, folds each
 * polled batch, writes every candle update to {@code candles}, publishes it on {@code candles.<SYMBOL>.<tf>}, keeps
 * history in a {@link HistoryStore} and answers history, symbol and health requests.
 */
public final class AggregatorVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(AggregatorVerticle.class);
  public static final String GROUP_ID = "candlecast-aggregator";
  static final int DEDUP_CAPACITY = 65_536;

  private final CandlecastConfig config;
  private final String bootstrap;
  private final HistoryStore history = new HistoryStore(HistoryStore.defaultRetention());
  private final Map<String, CandleFolder> folders = new HashMap<>();
  private final List<Candle> pending = new ArrayList<>();
  private final CandleSink collect = (s, tf, t, o, h, l, c, v, n, x) ->
      pending.add(new Candle(s, tf, t, o, h, l, c, v, n, x));

  private KafkaConsumer<String, byte[]> consumer;
  private KafkaProducer<String, byte[]> producer;
  private final List<MessageConsumer<?>> responders = new ArrayList<>();
  private volatile boolean running;
  private Promise<Void> loopStopped;
  private long tradesIn;
  private long duplicates;
  private long late;
  private long malformed;
  private long candlesOut;
  private String lastError;

  public AggregatorVerticle(CandlecastConfig config, String bootstrapServers) {
    this.config = config;
    this.bootstrap = bootstrapServers;
  }

  @Override
  public Future<?> start() {
    return vertx.executeBlocking(this::rebuildHistory)
        .compose(n -> {
          LOG.info("history rebuilt from {} candle records ({} symbols)", n, history.symbols().size());
          registerResponders();
          producer = KafkaProducer.create(vertx, producerProps());
          consumer = KafkaConsumer.create(vertx, consumerProps());
          consumer.exceptionHandler(err -> {
            lastError = err.getMessage();
            LOG.warn("trades consumer error: {}", err.toString());
          });
          return consumer.subscribe(Topics.TRADES);
        })
        .onSuccess(v -> {
          running = true;
          loopStopped = Promise.promise();
          pollLoop();
        });
  }

  @Override
  public Future<?> stop() {
    running = false;
    Future<Void> loopDone = loopStopped == null ? Future.succeededFuture() : loopStopped.future();
    return loopDone
        .compose(v -> consumer == null ? Future.succeededFuture() : consumer.close())
        .compose(v -> producer == null ? Future.succeededFuture() : producer.close())
        .recover(err -> {
          LOG.warn("aggregator stop: {}", err.toString());
          return Future.succeededFuture();
        });
  }

  // ------------------------------------------------------------------ processing

  private void pollLoop() {
    if (!running) {
      loopStopped.tryComplete();
      return;
    }
    consumer.poll(Duration.ofMillis(100))
        .compose(this::process)
        .onComplete(ar -> {
          if (ar.failed()) {
            lastError = ar.cause().getMessage();
            LOG.warn("aggregator batch failed: {}", ar.cause().toString());
          }
          pollLoop();
        });
  }

  private Future<?> process(KafkaConsumerRecords<String, byte[]> records) {
    if (records.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Future<?>> sends = new ArrayList<>();
    for (int i = 0; i < records.size(); i++) {
      KafkaConsumerRecord<String, byte[]> r = records.recordAt(i);
      Trade t;
      try {
        t = Codecs.decodeTrade(r.value());
      } catch (Codecs.DecodeException e) {
        malformed++;
        sends.add(producer.send(KafkaProducerRecord.create(Topics.TRADES_DLQ, r.key(),
            reasonRecord("malformed trade record at " + r.topic() + "-" + r.partition() + "@" + r.offset()
                + ": " + e.getMessage(), r.value()))));
        continue;
      }
      CandleFolder f = folders.computeIfAbsent(t.symbol(),
          s -> new CandleFolder(s, config.get(Settings.AGGREGATOR_GRACE_MS), DEDUP_CAPACITY));
      int res = f.fold(t.id(), t.time(), t.price(), t.amount(), collect);
      tradesIn++;
      if (res == CandleFolder.DUPLICATE) {
        duplicates++;
      } else if (res == CandleFolder.LATE) {
        late++;
        sends.add(producer.send(KafkaProducerRecord.create(Topics.TRADES_LATE, r.key(),
            reasonRecord("late: the trade's window closed (watermark " + f.watermark() + ")", r.value()))));
      }
    }
    for (CandleFolder f : folders.values()) {
      f.flush(collect);
    }
    for (Candle c : pending) {
      history.put(c);
      sends.add(producer.send(KafkaProducerRecord.create(Topics.CANDLES, c.key(), Codecs.encodeCandle(c))));
      vertx.eventBus().publish(Addresses.candles(c.symbol(), c.tf()), Codecs.candleToJson(c));
    }
    candlesOut += pending.size();
    pending.clear();
    return Future.all(sends).compose(v -> consumer.commit());
  }

  private static byte[] reasonRecord(String reason, byte[] raw) {
    JsonObject o = new JsonObject().put("reason", reason)
        .put("raw", raw == null ? null : new String(raw, StandardCharsets.UTF_8));
    return o.encode().getBytes(StandardCharsets.UTF_8);
  }

  // ------------------------------------------------------------------ history rebuild

  /** Reads {@code candles} from the beginning into the history store (worker thread, before the loop starts). */
  private long rebuildHistory() {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
    long count = 0;
    try (org.apache.kafka.clients.consumer.KafkaConsumer<String, byte[]> c =
             new org.apache.kafka.clients.consumer.KafkaConsumer<>(p, new StringDeserializer(),
                 new ByteArrayDeserializer())) {
      List<TopicPartition> parts = new ArrayList<>();
      for (PartitionInfo pi : c.partitionsFor(Topics.CANDLES, Duration.ofSeconds(30))) {
        parts.add(new TopicPartition(pi.topic(), pi.partition()));
      }
      c.assign(parts);
      c.seekToBeginning(parts);
      Map<TopicPartition, Long> end = c.endOffsets(parts);
      while (!caughtUp(c, end)) {
        ConsumerRecords<String, byte[]> recs = c.poll(Duration.ofMillis(200));
        for (ConsumerRecord<String, byte[]> r : recs) {
          if (r.value() == null) {
            continue;
          }
          try {
            history.put(Codecs.decodeCandle(r.value()));
            count++;
          } catch (Codecs.DecodeException e) {
            malformed++;
          }
        }
      }
    }
    return count;
  }

  private static boolean caughtUp(org.apache.kafka.clients.consumer.KafkaConsumer<?, ?> c,
                                  Map<TopicPartition, Long> end) {
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      if (c.position(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  // ------------------------------------------------------------------ event-bus responders

  private void registerResponders() {
    responders.add(vertx.eventBus().<JsonObject>consumer(Addresses.HISTORY, this::onHistory));
    responders.add(vertx.eventBus().<JsonObject>consumer(Addresses.SYMBOLS, m ->
        m.reply(new JsonObject().put("symbols", new JsonArray(new ArrayList<>(symbols()))))));
    responders.add(vertx.eventBus().<JsonObject>consumer("candlecast.health.aggregator", m ->
        m.reply(health())));
  }

  private java.util.Set<String> symbols() {
    java.util.TreeSet<String> s = new java.util.TreeSet<>(history.symbols());
    s.addAll(folders.keySet());
    return s;
  }

  private void onHistory(Message<JsonObject> m) {
    HistoryQuery q;
    try {
      Object body = m.body();
      q = HistoryQuery.parse(body instanceof JsonObject j ? j : null, config.get(Settings.GATEWAY_SNAPSHOT_SIZE));
    } catch (IllegalArgumentException e) {
      m.fail(400, e.getMessage());
      return;
    }
    List<Candle> candles = history.query(q.symbol(), q.tf(), q.from(), q.to(), q.limit());
    if (candles == null) {
      m.fail(404, "unknown symbol " + q.symbol());
      return;
    }
    m.reply(new JsonObject().put("symbol", q.symbol()).put("tf", q.tf().label())
        .put("candles", Codecs.candlesToJson(candles)));
  }

  JsonObject health() {
    return new JsonObject()
        .put("status", running && lastErrorIsTransient() ? "UP" : "DOWN")
        .put("symbols", folders.size())
        .put("tradesIn", tradesIn)
        .put("duplicates", duplicates)
        .put("late", late)
        .put("malformed", malformed)
        .put("candlesOut", candlesOut)
        .put("lastError", lastError);
  }

  private boolean lastErrorIsTransient() {
    return true;
  }

  public HistoryStore history() {
    return history;
  }

  private Map<String, String> producerProps() {
    Map<String, String> p = new HashMap<>();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "2");
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    return p;
  }

  private Map<String, String> consumerProps() {
    Map<String, String> p = new HashMap<>();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP_ID);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    return p;
  }
}

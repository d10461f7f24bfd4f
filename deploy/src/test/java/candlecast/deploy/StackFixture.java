package candlecast.deploy;

import candlecast.common.Topics;
import candlecast.common.Trade;
import candlecast.common.TradeCodec;
import candlecast.common.TradeRecord;
import candlecast.common.config.CandlecastConfig;
import candlecast.common.config.Settings;
import candlecast.common.kafka.StableEnds;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Test helpers around a real single-node stack: config, WebSocket clients, reading topics back. */
final class StackFixture {
  private StackFixture() {}

  static CandlecastConfig config(Path dataDir) {
    return CandlecastConfig.defaults()
        .with(Settings.DATA_DIR, dataDir.toString())
        .with(Settings.HTTP_PORT, 0)
        .with(Settings.HTTP_HOST, "127.0.0.1")
        .with(Settings.KAFKA_EMBEDDED_PORT, 0)
        .with(Settings.KAFKA_PARTITIONS, 2)
        .with(Settings.FEED_RATE, 40.0)
        .with(Settings.MOCK_HISTORY_DAYS, 0)
        .with(Settings.FEED_SEED, 7L);
  }

  /** A real WebSocket client that records every text frame it receives. */
  static final class Client {
    /**
     * Held for the socket's life: Vert.x closes a client that is no longer referenced, and its
     * connections with it (a collection during the handshake closed it mid-way).
     */
    final WebSocketClient client;

    final WebSocket ws;
    final List<JsonObject> frames;

    private Client(WebSocketClient client, WebSocket ws, List<JsonObject> frames) {
      this.client = client;
      this.ws = ws;
      this.frames = frames;
    }

    /**
     * Connects with the frame handler set before the handshake, so a frame right behind the 101 is
     * never lost.
     */
    static Client connect(Vertx vertx, int port) throws Exception {
      List<JsonObject> frames = new CopyOnWriteArrayList<>();
      WebSocketClient client = vertx.createWebSocketClient();
      ClientWebSocket socket = client.webSocket();
      socket.textMessageHandler(t -> frames.add(new JsonObject(t)));
      Client c = new Client(client, socket, frames);
      socket
          .connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/ws"))
          .await(10, TimeUnit.SECONDS);
      return c;
    }

    void send(String text) throws Exception {
      ws.writeTextMessage(text).await(5, TimeUnit.SECONDS);
    }

    List<JsonObject> ofType(String type) {
      List<JsonObject> out = new ArrayList<>();
      for (JsonObject f : frames) {
        if (type.equals(f.getString("type"))) {
          out.add(f);
        }
      }
      return out;
    }
  }

  /**
   * Every record of {@code topic} from the beginning to its current end, in offset order per
   * partition.
   */
  static List<ConsumerRecord<String, byte[]>> readAll(String bootstrap, String topic) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> c =
        new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> parts = new ArrayList<>();
      for (PartitionInfo pi : c.partitionsFor(topic, Duration.ofSeconds(10))) {
        parts.add(new TopicPartition(topic, pi.partition()));
      }
      c.assign(parts);
      c.seekToBeginning(parts);
      Map<TopicPartition, Long> end = StableEnds.await(bootstrap, parts, Duration.ofSeconds(30));
      long deadline = System.currentTimeMillis() + 30_000;
      while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
        if (System.currentTimeMillis() > deadline) {
          throw new AssertionError("could not read " + topic + " to its end");
        }
        c.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    return out;
  }

  /** Trades of one symbol in log order (they all sit in the symbol's partition). */
  static List<Trade> trades(String bootstrap, String symbol) {
    List<Trade> out = new ArrayList<>();
    for (ConsumerRecord<String, byte[]> r : readAll(bootstrap, Topics.TRADES)) {
      if (symbol.equals(r.key()) && TradeCodec.decode(r.value()) instanceof TradeRecord t) {
        out.add(t.trade());
      }
    }
    return out;
  }

  /**
   * Writes a plausible trade history into a fresh data directory, before a stack is started on it:
   * for each symbol, {@code perSecond} trades a second over the {@code span} that ends one second
   * ago, and {@code tailPerSecond} over its last {@code tail} (a busy recent past for 1s charts, a
   * long cheap one for the others). The prices are a mock walk run backwards, so the history ends
   * at the symbol's base price, where the live mock feed starts (no jump at the seam); sizes grow
   * with the gap between trades, so volume per minute does not jump where the rate changes. The
   * aggregator folds it on start-up like any trade log, so every timeframe has history to show.
   */
  static void seedHistory(
      Path dataDir,
      int partitions,
      java.util.List<String> symbols,
      Duration span,
      double perSecond,
      Duration tail,
      double tailPerSecond) {
    candlecast.common.kafka.EmbeddedKafka kafka =
        candlecast.common.kafka.EmbeddedKafka.start(dataDir.resolve("kafka"), 0);
    try {
      candlecast.common.kafka.KafkaTopics.ensureTopicsBlocking(
          kafka.bootstrapServers(), partitions);
      Map<String, Object> props =
          new java.util.HashMap<>(
              candlecast.common.kafka.KafkaTopics.producerProps(kafka.bootstrapServers()));
      props.put(org.apache.kafka.clients.producer.ProducerConfig.LINGER_MS_CONFIG, "20");
      props.put(org.apache.kafka.clients.producer.ProducerConfig.BATCH_SIZE_CONFIG, "262144");
      long end = System.currentTimeMillis() - 1000;
      long start = end - span.toMillis();
      long tailStart = end - Math.min(tail.toMillis(), span.toMillis());
      long slowStep = Math.max(1, Math.round(1000 / perSecond));
      long fastStep = Math.max(1, Math.round(1000 / tailPerSecond));
      java.util.List<Long> slots = new ArrayList<>();
      for (long t = start; t < end; t += t < tailStart ? slowStep : fastStep) {
        slots.add(t);
      }
      int n = slots.size();
      java.util.Random jitter = new java.util.Random(11);
      candlecast.feed.MockTradeGenerator walk =
          new candlecast.feed.MockTradeGenerator(20240601L, 1);
      try (org.apache.kafka.clients.producer.KafkaProducer<String, byte[]> producer =
          new org.apache.kafka.clients.producer.KafkaProducer<>(props)) {
        for (String symbol : symbols) {
          Trade[] steps = new Trade[n];
          for (int i = 0; i < n; i++) {
            steps[i] = walk.next(symbol, 0);
          }
          for (int i = 0; i < n; i++) {
            Trade w = steps[n - 1 - i];
            long slot = slots.get(i);
            long width = (i + 1 < n ? slots.get(i + 1) : end) - slot;
            long time = slot + jitter.nextInt((int) Math.max(1, width));
            // sizes scaled with the gap to the next trade, so volume per minute is the same at both
            // rates
            double scale = (double) Math.max(width, fastStep) / fastStep;
            double amount = Math.max(1e-8, Math.round(w.amount() * scale * 1e8) / 1e8);
            Trade t = new Trade(symbol, i + 1L, time, w.price(), amount, w.side());
            var unused =
                producer.send(
                    new org.apache.kafka.clients.producer.ProducerRecord<>(
                        Topics.TRADES, symbol, TradeCodec.encode(t)));
          }
        }
        producer.flush();
      }
    } finally {
      kafka.stop();
    }
  }
}

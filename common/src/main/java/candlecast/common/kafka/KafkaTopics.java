package candlecast.common.kafka;

import candlecast.common.Topics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Candlecast's Kafka topics and the standard client settings.
 *
 * <ul>
 *   <li>{@code trades}: N partitions, key = symbol, kept 7 days;
 *   <li>{@code candles}: N partitions (the same N: partition p of candles holds the symbols of
 *       partition p of trades), compacted, key = {@code SYMBOL|tf|openTime};
 *   <li>{@code trades.dlq}, {@code trades.late}: 1 partition each;
 *   <li>{@code books}: N partitions (partitioned like trades), compacted, key = symbol;
 *   <li>{@code alerts}: N partitions (partitioned like trades), compacted, key = alert id;
 *   <li>{@code alerts.fires}: N partitions (partitioned like trades), kept 30 days, key = fire id;
 *   <li>{@code alerts.webhooks}: N partitions (like trades), kept 30 days, key = fire id.
 *   <li>{@code portfolios}: 1 partition, compacted, key = owner (issue 17).
 * </ul>
 */
public final class KafkaTopics {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaTopics.class);

  /** Retention of the trades topic: 7 days. */
  public static final long TRADES_RETENTION_MS = 7L * 24 * 3600 * 1000;

  /** Segment size of the compacted candles topic, small enough that compaction actually runs. */
  public static final int CANDLES_SEGMENT_BYTES = 16 * 1024 * 1024;

  /** Segment size of the checkpoint topic (one record per partition matters: the latest). */
  public static final int CHECKPOINT_SEGMENT_BYTES = 8 * 1024 * 1024;

  /** Largest checkpoint record. */
  public static final int CHECKPOINT_MAX_BYTES = 8 * 1024 * 1024;

  private static final long ADMIN_TIMEOUT_MS = 30_000;

  /**
   * Segment age of the compacted books topic: a segment is only compacted once it is closed, so
   * books roll every minute and a taking-over aggregator reads about a minute of books per symbol,
   * not days of them.
   */
  public static final long BOOKS_SEGMENT_MS = 60_000;

  private KafkaTopics() {}

  /**
   * Creates the missing Candlecast topics (existing ones are left as they are). Runs the admin
   * calls on a worker thread. Fails when the broker cannot be reached within 30 s, or when {@code
   * trades} and {@code candles} exist with different partition counts (candles must be partitioned
   * exactly like trades).
   */
  public static Future<Void> ensureTopics(Vertx vertx, String bootstrap, int partitions) {
    if (partitions < 1) {
      return Future.failedFuture(
          new IllegalArgumentException("partitions must be >= 1, was " + partitions));
    }
    if (bootstrap == null || bootstrap.isBlank()) {
      return Future.failedFuture(new IllegalArgumentException("Kafka bootstrap servers are empty"));
    }
    return vertx.executeBlocking(
        () -> {
          ensureTopicsBlocking(bootstrap, partitions);
          return null;
        },
        false);
  }

  /**
   * Like {@link #ensureTopics(Vertx, String, int)}, creating the missing topics with {@code
   * replication} replicas each (issue 19: a three-broker cluster uses 3).
   */
  public static Future<Void> ensureTopics(
      Vertx vertx, String bootstrap, int partitions, int replication) {
    if (replication < 1) {
      return Future.failedFuture(
          new IllegalArgumentException("replication must be >= 1, was " + replication));
    }
    if (partitions < 1 || bootstrap == null || bootstrap.isBlank()) {
      return ensureTopics(vertx, bootstrap, partitions);
    }
    return vertx.executeBlocking(
        () -> {
          ensureTopicsBlocking(bootstrap, partitions, replication);
          return null;
        },
        false);
  }

  /** The same topics with {@code replication} replicas each, their configs kept. */
  static List<NewTopic> replicated(List<NewTopic> topics, int replication) {
    if (replication == 1) {
      return topics;
    }
    List<NewTopic> out = new ArrayList<>();
    for (NewTopic t : topics) {
      NewTopic r = new NewTopic(t.name(), t.numPartitions(), (short) replication);
      out.add(t.configs() == null ? r : r.configs(t.configs()));
    }
    return out;
  }

  /** The topics {@link #ensureTopics} creates, with their settings. */
  public static List<NewTopic> topics(int partitions) {
    return List.of(
        new NewTopic(Topics.TRADES, partitions, (short) 1)
            .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(TRADES_RETENTION_MS))),
        new NewTopic(Topics.CANDLES, partitions, (short) 1)
            .configs(
                Map.of(
                    TopicConfig.CLEANUP_POLICY_CONFIG,
                    TopicConfig.CLEANUP_POLICY_COMPACT,
                    TopicConfig.SEGMENT_BYTES_CONFIG,
                    String.valueOf(CANDLES_SEGMENT_BYTES))),
        new NewTopic(Topics.CHECKPOINTS, partitions, (short) 1)
            .configs(
                Map.of(
                    TopicConfig.CLEANUP_POLICY_CONFIG,
                    TopicConfig.CLEANUP_POLICY_COMPACT,
                    TopicConfig.SEGMENT_BYTES_CONFIG,
                    String.valueOf(CHECKPOINT_SEGMENT_BYTES),
                    TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG,
                    "0.1",
                    TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                    String.valueOf(CHECKPOINT_MAX_BYTES))),
        new NewTopic(Topics.TRADES_DLQ, 1, (short) 1),
        new NewTopic(Topics.TRADES_LATE, 1, (short) 1),
        new NewTopic(Topics.FEED_LEASE, 1, (short) 1),
        books(partitions),
        new NewTopic(Topics.CANDLES_FETCHED, 1, (short) 1)
            .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)),
        alerts(partitions),
        alertFires(partitions),
        alertWebhooks(partitions),
        portfolios());
  }

  /** Retention of the alert fire log: 30 days. */
  public static final long ALERT_FIRES_RETENTION_MS = 30L * 24 * 3600 * 1000;

  /**
   * The compacted {@code alerts} topic: key = alert id, partitioned like trades (the record goes to
   * the partition of its symbol's trades).
   */
  static NewTopic alerts(int partitions) {
    return new NewTopic(Topics.ALERTS, partitions, (short) 1)
        .configs(
            Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG,
                TopicConfig.CLEANUP_POLICY_COMPACT,
                TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG,
                "0.1"));
  }

  /** The {@code alerts.fires} log: key = fire id, partitioned like trades, kept 30 days. */
  static NewTopic alertFires(int partitions) {
    return new NewTopic(Topics.ALERT_FIRES, partitions, (short) 1)
        .configs(
            Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG,
                TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG,
                String.valueOf(ALERT_FIRES_RETENTION_MS)));
  }

  /** The {@code alerts.webhooks} delivery log: key = fire id, partitioned like trades, 30 days. */
  static NewTopic alertWebhooks(int partitions) {
    return new NewTopic(Topics.ALERT_WEBHOOKS, partitions, (short) 1)
        .configs(
            Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG,
                TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG,
                String.valueOf(ALERT_FIRES_RETENTION_MS)));
  }

  /** The compacted {@code portfolios} topic (issue 17): 1 partition, key = owner. */
  static NewTopic portfolios() {
    return new NewTopic(Topics.PORTFOLIOS, 1, (short) 1)
        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
  }

  /** The compacted {@code books} topic (key = symbol, partitioned like trades). */
  static NewTopic books(int partitions) {
    return new NewTopic(Topics.BOOKS, partitions, (short) 1)
        .configs(
            Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG,
                TopicConfig.CLEANUP_POLICY_COMPACT,
                TopicConfig.SEGMENT_MS_CONFIG,
                String.valueOf(BOOKS_SEGMENT_MS),
                TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG,
                "0.1"));
  }

  /**
   * Blocking variant of {@link #ensureTopics}, for launchers and tests that are not on an event
   * loop.
   */
  public static void ensureTopicsBlocking(String bootstrap, int partitions) {
    ensureTopicsBlocking(bootstrap, partitions, 1);
  }

  /** Blocking variant of {@link #ensureTopics(Vertx, String, int, int)}. */
  public static void ensureTopicsBlocking(String bootstrap, int partitions, int replication) {
    Map<String, Object> conf = new HashMap<>();
    conf.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    conf.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) ADMIN_TIMEOUT_MS);
    conf.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    conf.put(AdminClientConfig.CLIENT_ID_CONFIG, "candlecast-topics");
    try (Admin admin = Admin.create(conf)) {
      boolean booksExisted = createMissing(admin, partitions, replication);
      checkPartitioning(admin, partitions, booksExisted);
    } catch (ExecutionException e) {
      Throwable c = e.getCause() == null ? e : e.getCause();
      throw new IllegalStateException(
          "cannot create Kafka topics at " + bootstrap + ": " + c.getMessage(), c);
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "cannot create Kafka topics at "
              + bootstrap
              + ": no answer within "
              + ADMIN_TIMEOUT_MS
              + " ms",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating Kafka topics", e);
    }
  }

  /** Creates the missing topics; returns whether {@code books} existed before. */
  private static boolean createMissing(Admin admin, int partitions, int replication)
      throws ExecutionException, InterruptedException, TimeoutException {
    Set<String> existing = admin.listTopics().names().get(ADMIN_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    List<NewTopic> missing = new ArrayList<>();
    for (NewTopic t : topics(partitions)) {
      if (!existing.contains(t.name())) {
        missing.add(t);
      }
    }
    alignBooks(admin, existing, partitions, missing);
    if (missing.isEmpty()) {
      return true;
    }
    for (Map.Entry<String, KafkaFuture<Void>> e :
        admin.createTopics(replicated(missing, replication)).values().entrySet()) {
      try {
        e.getValue().get(ADMIN_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        LOG.info("Created Kafka topic {}", e.getKey());
      } catch (ExecutionException ex) {
        if (!(ex.getCause() instanceof TopicExistsException)) {
          throw ex;
        }
      }
    }
    return existing.contains(Topics.BOOKS);
  }

  /**
   * A {@code books} topic added to an existing installation gets the partition count {@code trades}
   * already has (the owner of trades partition p reads books partition p).
   */
  private static void alignBooks(
      Admin admin, Set<String> existing, int partitions, List<NewTopic> missing)
      throws ExecutionException, InterruptedException, TimeoutException {
    if (!existing.contains(Topics.TRADES)
        || existing.containsAll(
            List.of(Topics.BOOKS, Topics.ALERTS, Topics.ALERT_FIRES, Topics.ALERT_WEBHOOKS))) {
      return;
    }
    int trades =
        admin
            .describeTopics(List.of(Topics.TRADES))
            .allTopicNames()
            .get(ADMIN_TIMEOUT_MS, TimeUnit.MILLISECONDS)
            .get(Topics.TRADES)
            .partitions()
            .size();
    if (trades != partitions) {
      if (missing.removeIf(t -> t.name().equals(Topics.BOOKS))) {
        missing.add(books(trades));
      }
      alignAlerts(missing, trades);
    }
  }

  /** New alert topics get the partition count of an existing {@code trades} (co-partitioned). */
  private static void alignAlerts(List<NewTopic> missing, int trades) {
    if (missing.removeIf(t -> t.name().equals(Topics.ALERTS))) {
      missing.add(alerts(trades));
    }
    if (missing.removeIf(t -> t.name().equals(Topics.ALERT_FIRES))) {
      missing.add(alertFires(trades));
    }
    if (missing.removeIf(t -> t.name().equals(Topics.ALERT_WEBHOOKS))) {
      missing.add(alertWebhooks(trades));
    }
  }

  /**
   * Candles must be partitioned exactly like trades; a count other than the configured one is only
   * reported.
   */
  private static void checkPartitioning(Admin admin, int partitions, boolean booksExisted)
      throws ExecutionException, InterruptedException, TimeoutException {
    // books is checked only when it existed before: a new one was just created to match trades
    // (alignBooks), and a
    // topic created a moment ago may not be described yet
    List<String> checked =
        booksExisted ? List.of(Topics.CANDLES, Topics.BOOKS) : List.of(Topics.CANDLES);
    List<String> names = new ArrayList<>(checked);
    names.add(Topics.TRADES);
    Map<String, TopicDescription> d = describeWhenKnown(admin, names);
    int trades = d.get(Topics.TRADES).partitions().size();
    for (String other : checked) {
      int n = d.get(other).partitions().size();
      if (n != trades) {
        throw new IllegalStateException(
            "topic "
                + Topics.TRADES
                + " has "
                + trades
                + " partitions but "
                + other
                + " has "
                + n
                + ": they must be partitioned alike");
      }
    }
    if (trades != partitions) {
      LOG.warn(
          "Topics {} and {} already exist with {} partitions; keeping them (configured: {})",
          Topics.TRADES,
          Topics.CANDLES,
          trades,
          partitions);
    }
  }

  /**
   * Describes topics, waiting (at most {@link #ADMIN_TIMEOUT_MS}) while the broker does not know
   * them yet: right after a topic is created its metadata spreads asynchronously, and a describe
   * may answer "This server does not host this topic-partition" for a moment.
   */
  private static Map<String, TopicDescription> describeWhenKnown(Admin admin, List<String> names)
      throws ExecutionException, InterruptedException, TimeoutException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ADMIN_TIMEOUT_MS);
    while (true) {
      try {
        return admin
            .describeTopics(names)
            .allTopicNames()
            .get(ADMIN_TIMEOUT_MS, TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)
            || System.nanoTime() > deadline) {
          throw e;
        }
        TimeUnit.MILLISECONDS.sleep(100);
      }
    }
  }

  /**
   * Producer settings: idempotent, {@code acks=all}, String keys, byte[] values, linger 5 ms. A
   * mutable map: add or replace entries as needed before creating the producer.
   */
  public static Map<String, String> producerProps(String bootstrap) {
    Map<String, String> p = new HashMap<>();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
    return p;
  }

  /**
   * Consumer settings: auto-commit off, {@code read_committed}, earliest, String keys, byte[]
   * values. A null {@code groupId} leaves {@code group.id} unset (for consumers that only use
   * {@code assign}). A mutable map.
   */
  public static Map<String, String> consumerProps(String bootstrap, String groupId) {
    Map<String, String> p = new HashMap<>();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    if (groupId != null) {
      p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    }
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    return p;
  }
}

package candlecast.aggregator;

import candlecast.common.config.CandlecastConfig;
import candlecast.common.config.Parsers;
import candlecast.common.config.Settings;
import candlecast.common.kafka.KafkaTopics;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Every knob of the {@link FoldLoop}, resolved once from the configuration (see the {@code
 * aggregator.*} settings), and the Kafka client settings that follow from them. Pure data.
 *
 * @param retentionMs history kept per timeframe index, back from the newest candle (0 = unlimited)
 * @param tradesRingSize recent trades held per symbol ({@link TradeRing})
 */
@SuppressWarnings(
    "ArrayRecordComponent") // never compared; HistoryStore copies retentionMs, nothing writes it
record FoldOptions(
    String bootstrap,
    String groupId,
    long graceMs,
    int dedupSize,
    long checkpointMs,
    long commitMs,
    int maxPollRecords,
    String instanceId,
    int sessionTimeoutMs,
    long[] retentionMs,
    int tradesRingSize) {

  /** Records a history reader asks for in one poll. */
  static final int READER_MAX_POLL_RECORDS = 10_000;

  /** How long the broker holds the fold loop's fetch for more data. */
  static final int LOOP_FETCH_WAIT_MS = 100;

  /**
   * After this long the transaction coordinator aborts a fold transaction its producer left open
   * (killed): until then {@code read_committed} readers of the partitions it wrote wait at it.
   */
  static final int TXN_TIMEOUT_MS = 10_000;

  /** How long the broker holds a history reader's fetch for more data. */
  static final int READER_FETCH_WAIT_MS = 10;

  static FoldOptions from(CandlecastConfig c, String bootstrap, String groupId) {
    return new FoldOptions(
        bootstrap,
        groupId,
        c.get(Settings.AGGREGATOR_GRACE_MS),
        c.get(Settings.AGGREGATOR_DEDUP_SIZE),
        c.get(Settings.AGGREGATOR_CHECKPOINT_MS),
        c.get(Settings.AGGREGATOR_COMMIT_MS),
        c.get(Settings.AGGREGATOR_MAX_POLL),
        c.get(Settings.AGGREGATOR_INSTANCE_ID),
        c.get(Settings.AGGREGATOR_SESSION_TIMEOUT_MS),
        Parsers.retentionMillis(c.get(Settings.AGGREGATOR_RETENTION)),
        c.get(Settings.AGGREGATOR_TRADES_RING_SIZE));
  }

  /** These options with another group instance id (empty = dynamic membership; issue 19). */
  FoldOptions withInstanceId(String id) {
    return new FoldOptions(
        bootstrap,
        groupId,
        graceMs,
        dedupSize,
        checkpointMs,
        commitMs,
        maxPollRecords,
        id,
        sessionTimeoutMs,
        retentionMs,
        tradesRingSize);
  }

  /** A producer of the aggregator's side writes (deep history, imports; a record can be large). */
  Map<String, Object> producerConfig() {
    Map<String, Object> pp = new HashMap<>(KafkaTopics.producerProps(bootstrap));
    pp.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, KafkaTopics.CHECKPOINT_MAX_BYTES);
    pp.put(ProducerConfig.LINGER_MS_CONFIG, 2);
    return pp;
  }

  /**
   * The fold loop's transactional producer of candles, dead-letter records, alert records and
   * checkpoints; a new transactional id on every call ({@link FoldTxn}).
   */
  Map<String, Object> foldProducerConfig() {
    return FoldTxn.transactional(producerConfig(), groupId, TXN_TIMEOUT_MS);
  }

  /** The consumer-group member reading {@code trades}. */
  Map<String, Object> consumerConfig() {
    Map<String, Object> cp = new HashMap<>(KafkaTopics.consumerProps(bootstrap, groupId));
    cp.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
    // large fetches when catching up (a backlog drains in fewer round trips); live, a fetch returns
    // what is there
    cp.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 << 20);
    cp.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 << 20);
    cp.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, sessionTimeoutMs);
    // partitions taken over are fetched only once the fetch in flight returns: do not let it idle
    // at the broker for the default 500 ms (issue 19)
    cp.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, LOOP_FETCH_WAIT_MS);
    cp.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, Math.max(500, sessionTimeoutMs / 4));
    // incremental rebalances: a member that leaves moves only its own partitions; the others keep
    // folding theirs instead of checkpointing and restoring everything (issue 19)
    cp.put(
        ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
        CooperativeStickyAssignor.class.getName());
    if (!instanceId.isBlank()) {
      cp.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId);
    }
    return cp;
  }

  /** The group-less reader of checkpoints and candle history when partitions are taken over. */
  Map<String, Object> readerConfig() {
    Map<String, Object> rp = new HashMap<>(KafkaTopics.consumerProps(bootstrap, null));
    rp.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, READER_MAX_POLL_RECORDS);
    rp.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, KafkaTopics.CHECKPOINT_MAX_BYTES);
    // a reader polls only for records it knows are there; never wait 500 ms for more (issue 19)
    rp.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, READER_FETCH_WAIT_MS);
    return rp;
  }
}

package candlecast.aggregator;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fold loop's writes as Kafka transactions fenced by the consumer group (KIP-447, the
 * consume-transform-produce pattern; issue 19). Candles, gap records, dead letters, alert records
 * and checkpoints of a cycle go into one transaction, which also commits the {@code trades} offsets
 * with the group's metadata. A former owner that was paused (SIGSTOP, a long GC) and resumes after
 * its partitions moved on cannot commit: the group coordinator refuses its offsets (stale
 * generation), the transaction is aborted, and {@code read_committed} readers and log compaction
 * never see its late writes. Without this, its in-flight candles could land after the new owner's
 * closed candle and replace it in the compacted {@code candles} topic.
 *
 * <p>Loop thread only, except {@link #onSent}, which Kafka's I/O thread calls.
 */
final class FoldTxn {
  private static final Logger LOG = LoggerFactory.getLogger(FoldTxn.class);

  private final Supplier<Producer<String, byte[]>> factory;
  private final AtomicReference<Exception> sendError = new AtomicReference<>();
  private final Callback onSent = this::onSent;
  private Producer<String, byte[]> producer;
  private boolean open;
  private long openedAt;
  private long commits;
  private long aborts;

  /** {@code factory} makes a transactional producer (a new one after a fatal error). */
  FoldTxn(Supplier<Producer<String, byte[]>> factory) {
    this.factory = factory;
  }

  /**
   * Transactional producer settings: a fresh transactional id per producer (the group's metadata
   * fences, not the id: KIP-447), and a timeout after which the coordinator aborts a transaction
   * its dead producer left open, so {@code read_committed} readers move on.
   */
  static Map<String, Object> transactional(
      Map<String, Object> producerConfig, String groupId, int timeoutMs) {
    producerConfig.put(
        ProducerConfig.TRANSACTIONAL_ID_CONFIG, groupId + "-fold-" + UUID.randomUUID());
    producerConfig.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, timeoutMs);
    return producerConfig;
  }

  /** Creates the producer and registers it with its transaction coordinator. */
  void init() {
    producer = factory.get();
    producer.initTransactions();
  }

  /** The producer, for writers that send on the loop thread inside {@link #begin}. */
  Producer<String, byte[]> producer() {
    return producer;
  }

  /** The callback every send of the loop passes: a failure aborts the cycle's transaction. */
  Callback callback() {
    return onSent;
  }

  /** Opens a transaction unless one is open. */
  void begin() {
    if (!open) {
      producer.beginTransaction();
      open = true;
      openedAt = System.currentTimeMillis();
    }
  }

  boolean isOpen() {
    return open;
  }

  /** When the open transaction began (epoch ms). */
  long openedAt() {
    return openedAt;
  }

  long commits() {
    return commits;
  }

  long aborts() {
    return aborts;
  }

  /**
   * Waits until every record sent so far is acknowledged (a checkpoint's alert section reads the
   * acknowledged fire offsets).
   */
  void flush() {
    producer.flush();
  }

  /** Sends a record inside the open transaction (opening one if needed). */
  void send(ProducerRecord<String, byte[]> record) {
    begin();
    var unused = producer.send(record, onSent); // the outcome arrives in onSent
  }

  /**
   * Commits the open transaction with {@code offsets} of the group {@code group}: waits for every
   * record of it, then commits the offsets (the fence), then the transaction. On any failure the
   * transaction is aborted (a producer in a fatal state is replaced) and the failure returned, also
   * when {@code group} has no generation (the consumer already knows it was dropped from the
   * group): nothing of it is visible to {@code read_committed} readers, so the caller rewinds to
   * its checkpoints. Returns null when committed (or when no transaction was open).
   */
  RuntimeException commit(
      Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata group) {
    if (!open) {
      return null;
    }
    try {
      producer.flush(); // every record is in the log before the fence is checked
      Exception failed = sendError.getAndSet(null);
      if (failed != null) {
        throw new IllegalStateException("a write failed: " + failed.getMessage(), failed);
      }
      if (!offsets.isEmpty()) {
        if (group.generationId() < 0) {
          // the consumer knows it left the group (its heartbeat was refused); the coordinator
          // would take offsets without a generation unchecked, so refuse them here
          throw new IllegalStateException("not a member of group " + group.groupId() + " any more");
        }
        producer.sendOffsetsToTransaction(offsets, group);
      }
      producer.commitTransaction();
      open = false;
      commits++;
      return null;
    } catch (RuntimeException e) {
      abort();
      return e;
    }
  }

  /**
   * Aborts the open transaction; a producer that cannot abort (fenced, fatal) is closed and
   * replaced by a new one.
   */
  void abort() {
    if (!open) {
      return;
    }
    open = false;
    aborts++;
    try {
      producer.abortTransaction();
    } catch (RuntimeException e) {
      LOG.warn("could not abort the fold transaction ({}); starting a new producer", e.toString());
      close();
      init();
    }
    sendError.set(null);
  }

  /** Closes the producer; an open transaction is left to the coordinator (it aborts it). */
  void close() {
    if (producer != null) {
      try {
        producer.close(java.time.Duration.ofSeconds(5));
      } catch (RuntimeException e) {
        LOG.warn("closing the fold producer: {}", e.toString());
      }
    }
  }

  private void onSent(RecordMetadata md, Exception e) {
    if (e != null) {
      sendError.compareAndSet(null, e);
    }
  }
}

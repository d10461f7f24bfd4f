package candlecast.aggregator;

import candlecast.common.Candle;
import candlecast.common.CandleCodec;
import candlecast.common.GapRecord;
import candlecast.common.Topics;
import candlecast.common.TradeCodec;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The aggregator's read-fold-write loop on its own thread (the model is Kafka's
 * ExactlyOnceMessageProcessor): a consumer-group member over {@code trades} whose rebalance
 * listener runs inside {@code poll()}, so a partition is restored from its checkpoint, and its
 * history rebuilt ({@link PartitionLoader}), before a single record of it is folded ({@link
 * PartitionFolds}).
 *
 * <p>Exactness: candles are a deterministic function of (checkpointed state, trades after the
 * checkpoint's offset). Every write goes into a transaction ({@link FoldTxn}) committed every
 * {@code commitMs} together with the {@code trades} offsets and the group's metadata; a checkpoint
 * of partition p is written into the transaction that also holds (or follows) every candle produced
 * from the trades before its offset. So after any crash, restoring the newest committed checkpoint
 * and re-reading from its offset reproduces byte for byte the same candles; values written after
 * the checkpoint are simply written again, identical. A former owner that lost its partitions while
 * paused cannot commit any more (the group fences it), so its late writes are aborted.
 */
final class FoldLoop implements Runnable, ConsumerRebalanceListener {
  private static final Logger LOG = LoggerFactory.getLogger(FoldLoop.class);
  private static final Duration POLL = Duration.ofMillis(100);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

  private final FoldOptions opt;
  private final FoldOutput output;
  private final PartitionFolds folds;
  private final PartitionLoader loader;
  private final AlertWrites alerts;
  private int tradesPartitions;
  private final FoldTxn txn;

  /**
   * Keys stay bytes: only the rare dead-letter and late records need them (as text). Replaced when
   * the group fences its static instance id ({@link #rejoinFenced}).
   */
  private volatile KafkaConsumer<byte[], byte[]> consumer;

  private volatile boolean running = true;

  /** Set by {@link #rejoin} (any thread), acted on by the loop before its next poll. */
  private volatile boolean rejoinAsked;

  private long lastCheckpoint;
  private boolean dirty;

  // State of the loop thread, published to other threads through stats
  private long candlesOut;
  private long checkpoints;
  private long historyMalformed;
  private long lastPollMs;
  private String lastError;
  private Set<Integer> partitions = Set.of();
  private volatile FoldStats stats = FoldStats.NONE;

  FoldLoop(FoldOptions opt, FoldOutput output) {
    this.opt = opt;
    this.output = output;
    this.folds = new PartitionFolds(opt.graceMs(), opt.dedupSize());
    this.loader = new PartitionLoader(opt);
    this.txn =
        new FoldTxn(
            () ->
                new KafkaProducer<>(
                    opt.foldProducerConfig(), new StringSerializer(), new ByteArraySerializer()));
    this.alerts = new AlertWrites(folds, output, opt.graceMs(), txn.callback());
  }

  /** Alert creates and deletes go through here (any thread; issue 17). */
  AlertWrites alerts() {
    return alerts;
  }

  /** The number of {@code trades} partitions (loop thread; asked once). */
  private int tradesPartitions() {
    while (tradesPartitions == 0) {
      try {
        tradesPartitions = consumer.partitionsFor(Topics.TRADES).size();
      } catch (WakeupException e) {
        if (!running) {
          throw e; // stop()
        }
        // a rejoin() meant for the poll: ask again
      }
    }
    return tradesPartitions;
  }

  /** The newest published counters and state (any thread). */
  FoldStats stats() {
    return stats;
  }

  /**
   * Asks the loop to rejoin the group before its next poll (a member was evicted: its partitions
   * are to be assigned now, not at the next heartbeat; issue 19). Any thread.
   */
  void rejoin() {
    rejoinAsked = true;
    KafkaConsumer<?, ?> c = consumer;
    if (c != null) {
      c.wakeup(); // a poll under way returns now instead of after up to POLL
    }
  }

  void stop() {
    running = false;
    KafkaConsumer<?, ?> c = consumer;
    if (c != null) {
      c.wakeup();
    }
  }

  @Override
  public void run() {
    try {
      txn.init();
      consumer = newConsumer();
      alerts.start(txn::producer, this::tradesPartitions);
      loop();
    } catch (RuntimeException e) {
      lastError = e.toString();
      LOG.error("aggregator loop failed: {}", e.toString(), e);
    } finally {
      folds.clear(); // already checkpointed: the revoke in close() has nothing left to do
      alerts.abandon();
      closeClients();
      publish();
    }
  }

  private void loop() {
    lastCheckpoint = System.currentTimeMillis();
    while (running) {
      if (rejoinAsked) {
        rejoinAsked = false;
        consumer.enforceRebalance("a group member left the cluster");
      }
      ConsumerRecords<byte[], byte[]> recs;
      try {
        recs = consumer.poll(POLL);
      } catch (WakeupException e) {
        continue; // stop() (running is false) or rejoin() (rejoinAsked): both seen above
      } catch (FencedInstanceIdException e) {
        rejoinFenced(e);
        continue;
      }
      lastPollMs = System.currentTimeMillis();
      if (!recs.isEmpty()) {
        process(recs);
      }
      if (alerts.pending()) {
        txn.begin();
        alerts.drain();
      }
      maybeCommit();
      publish();
    }
    if (dirty || txn.isOpen()) {
      commit(folds.partitions());
    }
  }

  /** Commits when a checkpoint is due, or when the open transaction is {@code commitMs} old. */
  private void maybeCommit() {
    long now = System.currentTimeMillis();
    if (dirty && now - lastCheckpoint >= opt.checkpointMs()) {
      commit(folds.partitions());
    } else if (txn.isOpen() && now - txn.openedAt() >= opt.commitMs()) {
      commit(List.of());
    }
  }

  private KafkaConsumer<byte[], byte[]> newConsumer() {
    KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(
            opt.consumerConfig(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    c.subscribe(List.of(Topics.TRADES), this);
    return c;
  }

  /**
   * The group fenced this member's static instance id: another join under the same id won, which is
   * this member's own earlier JoinGroup when its answer was lost (the coordinator's broker paused
   * or restarted; seen in the chaos soak). For the consumer that is fatal, so its partitions count
   * as lost, its open transaction is aborted, and a new consumer with the same instance id joins
   * again (which in turn fences the stale registration).
   */
  private void rejoinFenced(FencedInstanceIdException e) {
    LOG.warn("the group fenced this aggregator's instance id ({}); joining again", e.getMessage());
    lastError = "fenced by the group, joined again: " + e.getMessage();
    txn.abort();
    alerts.aborted();
    drop(List.copyOf(folds.partitions()));
    try {
      consumer.close(Duration.ZERO); // its callbacks find no partition left to release
    } catch (RuntimeException x) {
      LOG.debug("closing the fenced consumer: {}", x.toString());
    }
    consumer = newConsumer();
  }

  private void closeClients() {
    if (consumer != null) {
      try {
        consumer.close(CLOSE_TIMEOUT);
      } catch (RuntimeException e) {
        LOG.warn("closing trades consumer: {}", e.toString());
      }
    }
    txn.close();
  }

  /** Makes the counters and state visible to other threads: once per poll, never per trade. */
  private void publish() {
    stats =
        new FoldStats(
            folds.tradesIn,
            folds.watermarks,
            folds.duplicates,
            folds.late,
            folds.malformed + historyMalformed,
            candlesOut,
            checkpoints,
            lastPollMs,
            lastError,
            partitions,
            folds.gaps,
            folds.gapsIncomplete,
            txn.commits(),
            txn.aborts());
  }

  private void process(ConsumerRecords<byte[], byte[]> recs) {
    PartitionFolds.Batch batch = folds.fold(recs);
    txn.begin();
    List<Candle> candles = batch.candles();
    for (int i = 0; i < candles.size(); i++) {
      Candle c = candles.get(i);
      if (!HistoryRecords.stored(c)) {
        continue; // a window without trades is implied, never stored (readers synthesize it)
      }
      txn.send(
          new ProducerRecord<>(
              Topics.CANDLES, batch.partitions().get(i), c.key(), CandleCodec.encode(c)));
      candlesOut++;
    }
    List<GapRecord> gaps = batch.gapRecords();
    for (int i = 0; i < gaps.size(); i++) {
      GapRecord g = gaps.get(i);
      txn.send(
          new ProducerRecord<>(
              Topics.CANDLES,
              batch.gapPartitions().get(i),
              HistoryRecords.gapKey(g),
              TradeCodec.encodeGap(g.symbol(), g.from(), g.to())));
    }
    for (ProducerRecord<String, byte[]> r : batch.side()) {
      txn.send(r);
    }
    alerts.send(batch.alerts());
    if (!gaps.isEmpty()) {
      output.gaps(gaps);
    }
    if (!candles.isEmpty()) {
      output.candles(candles);
    }
    if (!batch.tape().isEmpty()) {
      output.tape(batch.tape());
    }
    dirty = true;
  }

  // ------------------------------------------------------------------ commits and checkpoints

  /**
   * Writes the checkpoints of {@code parts} (owned ones) into the open transaction and commits it
   * with every owned partition's offset, fenced by the group's metadata. On failure the transaction
   * is aborted and every owned partition rewound to its last committed checkpoint; returns whether
   * it committed.
   */
  private boolean commit(Collection<Integer> parts) {
    if (!parts.isEmpty()) {
      writeCheckpoints(parts);
    }
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (int p : folds.partitions()) {
      offsets.put(
          new TopicPartition(Topics.TRADES, p), new OffsetAndMetadata(folds.get(p).nextOffset));
    }
    RuntimeException err = txn.commit(offsets, consumer.groupMetadata());
    if (err != null) {
      lastError = "fold transaction aborted: " + err;
      LOG.warn(
          "the fold transaction was aborted ({}); rewinding to the last checkpoints",
          err.toString());
      alerts.aborted();
      rewind();
      return false;
    }
    alerts.committed();
    if (!parts.isEmpty()) {
      checkpoints++;
      lastCheckpoint = System.currentTimeMillis();
      dirty = false;
    }
    return true;
  }

  /**
   * Writes the checkpoint of each owned partition of {@code parts} into the transaction, once every
   * record before it is acknowledged (the alert section names the end of the acknowledged fires).
   */
  private void writeCheckpoints(Collection<Integer> parts) {
    txn.flush();
    for (int p : parts) {
      PartitionState st = folds.get(p);
      if (st == null) {
        continue;
      }
      byte[] value =
          PartitionCheckpoint.of(p, st.nextOffset, st.folders.values(), alerts.state(st)).encode();
      txn.send(new ProducerRecord<>(Topics.CHECKPOINTS, p, PartitionCheckpoint.key(p), value));
    }
  }

  /**
   * After a failed write: restore every owned partition from its checkpoint and read on from there.
   */
  private void rewind() {
    for (int p : folds.partitions()) {
      PartitionState st = loader.restore(p);
      folds.put(st);
      consumer.seek(new TopicPartition(Topics.TRADES, p), st.nextOffset);
    }
  }

  // ------------------------------------------------------------------ rebalance (runs inside poll)

  @Override
  public void onPartitionsRevoked(Collection<TopicPartition> parts) {
    List<Integer> ps = parts.stream().map(TopicPartition::partition).filter(folds::owns).toList();
    if (ps.isEmpty()) {
      return;
    }
    commit(ps);
    drop(ps);
  }

  @Override
  public void onPartitionsLost(Collection<TopicPartition> parts) {
    // another member owns them now: whatever this transaction holds is stale
    txn.abort();
    alerts.aborted();
    drop(parts.stream().map(TopicPartition::partition).toList());
    rewind(); // partitions still held (if any) go back to their committed checkpoints
  }

  private void drop(List<Integer> ps) {
    for (int p : ps) {
      PartitionState st = folds.remove(p);
      if (st != null) {
        output.partitionDropped(p, new HashSet<>(st.folders.keySet()));
      }
    }
    partitions = Set.copyOf(folds.partitions());
    publish();
    LOG.info("released trades partitions {}", ps);
  }

  @Override
  public void onPartitionsAssigned(Collection<TopicPartition> parts) {
    if (txn.isOpen()) {
      commit(List.of()); // do not hold a transaction open while the new partitions load
    }
    if (!parts.isEmpty()) {
      take(parts.stream().map(TopicPartition::partition).toList());
    }
    partitions = Set.copyOf(folds.partitions());
    publish();
    output.assigned(partitions);
  }

  /** Restores newly assigned partitions and resumes reading each at its restored offset. */
  private void take(List<Integer> ps) {
    long t0 = System.nanoTime();
    PartitionLoader.Loaded loaded = loader.load(ps);
    historyMalformed += loaded.malformed();
    StringBuilder sb = new StringBuilder();
    for (int p : ps) {
      PartitionState st = loaded.states().get(p);
      folds.put(st);
      consumer.seek(new TopicPartition(Topics.TRADES, p), st.nextOffset);
      HistoryStore h = loaded.histories().get(p);
      Map<String, TradeRing> rings = loaded.rings().get(p);
      Set<String> symbols = new HashSet<>(h.symbols());
      symbols.addAll(st.folders.keySet());
      symbols.addAll(rings.keySet());
      output.partitionLoaded(p, h, rings, symbols);
      sb.append(' ')
          .append(p)
          .append('@')
          .append(st.nextOffset)
          .append('(')
          .append(st.folders.size())
          .append(" symbols)");
    }
    LOG.info(
        "took over trades partitions{}: {} history records, {} trades read back in {} ms",
        sb,
        loaded.records(),
        loaded.tradesRead(),
        (System.nanoTime() - t0) / 1_000_000);
  }
}

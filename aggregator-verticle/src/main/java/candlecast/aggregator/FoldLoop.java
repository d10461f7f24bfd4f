package candlecast.aggregator;

import candlecast.common.Candle;
import candlecast.common.CandleCodec;
import candlecast.common.DecodeException;
import candlecast.common.Topics;
import candlecast.common.Trade;
import candlecast.common.TradeCodec;
import candlecast.common.TradeLogRecord;
import candlecast.common.TradeRecord;
import candlecast.common.WatermarkRecord;
import candlecast.common.kafka.KafkaTopics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The aggregator's read-fold-write loop on its own thread (the model is Kafka's ExactlyOnceMessageProcessor): a
 * consumer-group member over {@code trades} whose rebalance listener runs inside {@code poll()}, so a partition is
 * restored from its checkpoint, and its history rebuilt, before a single record of it is folded.
 *
 * <p>Exactness: candles are a deterministic function of (checkpointed state, trades after the checkpoint's offset).
 * A checkpoint of partition p is written only after every candle produced from the trades before its offset is
 * acknowledged, so after any crash, restoring the newest checkpoint and re-reading from its offset reproduces byte for
 * byte the same candles; values written after the checkpoint are simply written again, identical.
 */
final class FoldLoop implements Runnable, ConsumerRebalanceListener {
  private static final Logger LOG = LoggerFactory.getLogger(FoldLoop.class);

  /** Receives the loop's output on the loop thread; implementations hand it to the event loop. */
  interface Output {
    void candles(List<Candle> batch);

    void partitionLoaded(int partition, HistoryStore history, Set<String> symbols);

    void partitionDropped(int partition, Set<String> symbols);

    /** Called after every assignment (also an empty one), once its partitions are restored. */
    void assigned(Set<Integer> partitions);
  }

  static final class Options {
    String bootstrap;
    String groupId = "candlecast-aggregator";
    long graceMs;
    int dedupSize;
    long checkpointMs;
    int maxPollRecords;
    String instanceId = "";
    int sessionTimeoutMs = 6_000;
    long[] retentionMs;
  }

  private static final class PartitionState {
    final int partition;
    long nextOffset;
    final Map<String, CandleFolder> folders = new LinkedHashMap<>();

    PartitionState(int partition) {
      this.partition = partition;
    }
  }

  private final Options opt;
  private final Output output;
  private final Map<Integer, PartitionState> owned = new HashMap<>();
  private final List<Candle> pending = new ArrayList<>();
  private final List<Integer> pendingPartition = new ArrayList<>();
  private int currentPartition;
  private final CandleSink collect = (s, tf, t, o, h, l, c, v, n, x) -> {
    pending.add(new Candle(s, tf, t, o, h, l, c, v, n, x));
    pendingPartition.add(currentPartition);
  };
  private final AtomicReference<Exception> sendError = new AtomicReference<>();

  /** Keys stay bytes: only the rare dead-letter and late records need them (as text). */
  private KafkaConsumer<byte[], byte[]> consumer;
  private KafkaProducer<String, byte[]> producer;
  private volatile boolean running = true;
  private long lastCheckpoint;
  private boolean dirty;

  // counters, read by other threads for health
  volatile long tradesIn;
  volatile long duplicates;
  volatile long late;
  volatile long malformed;
  volatile long watermarks;
  volatile long candlesOut;
  volatile long checkpoints;
  volatile long lastPollMs;
  volatile String lastError;
  volatile Set<Integer> partitions = Set.of();

  FoldLoop(Options opt, Output output) {
    this.opt = opt;
    this.output = output;
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
    Map<String, Object> pp = new HashMap<>(KafkaTopics.producerProps(opt.bootstrap));
    pp.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, KafkaTopics.CHECKPOINT_MAX_BYTES);
    pp.put(ProducerConfig.LINGER_MS_CONFIG, 2);
    Map<String, Object> cp = new HashMap<>(KafkaTopics.consumerProps(opt.bootstrap, opt.groupId));
    cp.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, opt.maxPollRecords);
    // large fetches when catching up (a backlog drains in fewer round trips); live, a fetch returns what is there
    cp.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 << 20);
    cp.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 << 20);
    cp.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, opt.sessionTimeoutMs);
    cp.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, Math.max(500, opt.sessionTimeoutMs / 4));
    if (!opt.instanceId.isBlank()) {
      cp.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, opt.instanceId);
    }
    try {
      producer = new KafkaProducer<>(pp, new StringSerializer(), new ByteArraySerializer());
      consumer = new KafkaConsumer<>(cp, new ByteArrayDeserializer(), new ByteArrayDeserializer());
      consumer.subscribe(List.of(Topics.TRADES), this);
      lastCheckpoint = System.currentTimeMillis();
      while (running) {
        ConsumerRecords<byte[], byte[]> recs;
        try {
          recs = consumer.poll(Duration.ofMillis(100));
        } catch (WakeupException e) {
          break;
        }
        lastPollMs = System.currentTimeMillis();
        if (!recs.isEmpty()) {
          process(recs);
        }
        if (dirty && System.currentTimeMillis() - lastCheckpoint >= opt.checkpointMs) {
          checkpoint(new ArrayList<>(owned.keySet()));
        }
      }
      if (dirty) {
        checkpoint(new ArrayList<>(owned.keySet()));
      }
    } catch (RuntimeException e) {
      lastError = e.toString();
      LOG.error("aggregator loop failed: {}", e.toString(), e);
    } finally {
      owned.clear(); // already checkpointed: the revoke in close() has nothing left to do
      if (consumer != null) {
        try {
          consumer.close(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
          LOG.warn("closing trades consumer: {}", e.toString());
        }
      }
      if (producer != null) {
        producer.close(Duration.ofSeconds(5));
      }
    }
  }

  // ------------------------------------------------------------------ folding

  private void process(ConsumerRecords<byte[], byte[]> recs) {
    List<ProducerRecord<String, byte[]>> side = new ArrayList<>();
    Set<CandleFolder> touched = new HashSet<>();
    for (TopicPartition tp : recs.partitions()) {
      PartitionState st = owned.get(tp.partition());
      if (st == null) {
        continue;
      }
      currentPartition = st.partition;
      for (ConsumerRecord<byte[], byte[]> r : recs.records(tp)) {
        if (r.offset() < st.nextOffset) {
          continue;
        }
        fold(st, r, side, touched);
        st.nextOffset = r.offset() + 1;
      }
    }
    for (CandleFolder f : touched) {
      currentPartition = partitionOf(f);
      f.flush(collect);
    }
    for (int i = 0; i < pending.size(); i++) {
      Candle c = pending.get(i);
      producer.send(new ProducerRecord<>(Topics.CANDLES, pendingPartition.get(i), c.key(), CandleCodec.encode(c)),
          this::onSent);
    }
    for (ProducerRecord<String, byte[]> r : side) {
      producer.send(r, this::onSent);
    }
    candlesOut += pending.size();
    if (!pending.isEmpty()) {
      output.candles(new ArrayList<>(pending));
    }
    pending.clear();
    pendingPartition.clear();
    dirty = true;
  }

  private final Map<CandleFolder, Integer> folderPartition = new HashMap<>();

  private int partitionOf(CandleFolder f) {
    return folderPartition.get(f);
  }

  private void fold(PartitionState st, ConsumerRecord<byte[], byte[]> r, List<ProducerRecord<String, byte[]>> side,
                    Set<CandleFolder> touched) {
    TradeLogRecord rec;
    try {
      rec = TradeCodec.decode(r.value());
    } catch (DecodeException e) {
      malformed++;
      side.add(new ProducerRecord<>(Topics.TRADES_DLQ, keyText(r), reason("malformed record at " + r.topic() + "-"
          + r.partition() + "@" + r.offset() + ": " + e.getMessage(), r.value())));
      return;
    }
    CandleFolder f = st.folders.get(rec.symbol());
    if (f == null) {
      f = new CandleFolder(rec.symbol(), opt.graceMs, opt.dedupSize);
      st.folders.put(rec.symbol(), f);
      folderPartition.put(f, st.partition);
    }
    touched.add(f);
    if (rec instanceof WatermarkRecord w) {
      watermarks++;
      f.advance(w.time(), collect);
      return;
    }
    Trade t = ((TradeRecord) rec).trade();
    tradesIn++;
    int res = f.fold(t.id(), t.time(), t.price(), t.amount(), collect);
    if (res == CandleFolder.DUPLICATE) {
      duplicates++;
    } else if (res == CandleFolder.LATE) {
      late++;
      side.add(new ProducerRecord<>(Topics.TRADES_LATE, keyText(r), reason("late: the trade's 1s window closed"
          + " (symbol watermark " + f.watermark() + ", grace " + opt.graceMs + " ms)", r.value())));
    }
  }

  private static String keyText(ConsumerRecord<byte[], byte[]> r) {
    return r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
  }

  private static byte[] reason(String reason, byte[] raw) {
    io.vertx.core.json.JsonObject o = new io.vertx.core.json.JsonObject().put("reason", reason)
        .put("raw", raw == null ? null : new String(raw, StandardCharsets.UTF_8));
    return o.encode().getBytes(StandardCharsets.UTF_8);
  }

  private void onSent(org.apache.kafka.clients.producer.RecordMetadata md, Exception e) {
    if (e != null) {
      sendError.compareAndSet(null, e);
    }
  }

  // ------------------------------------------------------------------ checkpoints

  private void checkpoint(Collection<Integer> parts) {
    if (parts.isEmpty()) {
      dirty = false;
      return;
    }
    producer.flush(); // every candle from trades before each partition's nextOffset is now acknowledged
    Exception err = sendError.getAndSet(null);
    if (err != null) {
      lastError = "write to Kafka failed: " + err.getMessage();
      LOG.warn("a candle write failed ({}); rewinding to the last checkpoints", err.toString());
      rewind();
      return;
    }
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (int p : parts) {
      PartitionState st = owned.get(p);
      if (st == null) {
        continue;
      }
      byte[] value = PartitionCheckpoint.of(p, st.nextOffset, st.folders.values()).encode();
      producer.send(new ProducerRecord<>(Topics.CHECKPOINTS, p, PartitionCheckpoint.key(p), value), this::onSent);
      offsets.put(new TopicPartition(Topics.TRADES, p), new OffsetAndMetadata(st.nextOffset));
    }
    producer.flush();
    err = sendError.getAndSet(null);
    if (err != null) {
      lastError = "checkpoint write failed: " + err.getMessage();
      LOG.warn("checkpoint write failed: {}", err.toString());
      return;
    }
    try {
      consumer.commitSync(offsets); // for lag monitoring; recovery trusts the checkpoint, not this
    } catch (RuntimeException e) {
      LOG.debug("offset commit failed: {}", e.toString());
    }
    checkpoints++;
    lastCheckpoint = System.currentTimeMillis();
    dirty = false;
  }

  /** After a failed write: restore every owned partition from its checkpoint and read on from there. */
  private void rewind() {
    for (int p : new ArrayList<>(owned.keySet())) {
      PartitionState st = restoreState(p);
      replaceState(p, st);
      consumer.seek(new TopicPartition(Topics.TRADES, p), st.nextOffset);
    }
  }

  private void replaceState(int p, PartitionState st) {
    PartitionState old = owned.put(p, st);
    if (old != null) {
      old.folders.values().forEach(folderPartition::remove);
    }
    st.folders.values().forEach(f -> folderPartition.put(f, p));
  }

  // ------------------------------------------------------------------ rebalance (runs inside poll)

  @Override
  public void onPartitionsRevoked(Collection<TopicPartition> parts) {
    List<Integer> ps = new ArrayList<>();
    for (TopicPartition tp : parts) {
      if (owned.containsKey(tp.partition())) {
        ps.add(tp.partition());
      }
    }
    if (ps.isEmpty()) {
      return;
    }
    checkpoint(ps);
    drop(ps);
  }

  @Override
  public void onPartitionsLost(Collection<TopicPartition> parts) {
    List<Integer> ps = new ArrayList<>();
    for (TopicPartition tp : parts) {
      ps.add(tp.partition());
    }
    drop(ps);
  }

  private void drop(List<Integer> ps) {
    for (int p : ps) {
      PartitionState st = owned.remove(p);
      if (st != null) {
        st.folders.values().forEach(folderPartition::remove);
        output.partitionDropped(p, new HashSet<>(st.folders.keySet()));
      }
    }
    partitions = Set.copyOf(owned.keySet());
    LOG.info("released trades partitions {}", ps);
  }

  @Override
  public void onPartitionsAssigned(Collection<TopicPartition> parts) {
    if (!parts.isEmpty()) {
      long t0 = System.nanoTime();
      List<Integer> ps = new ArrayList<>();
      for (TopicPartition tp : parts) {
        ps.add(tp.partition());
      }
      Map<Integer, PartitionState> states;
      Map<Integer, HistoryStore> histories = new HashMap<>();
      long records;
      try (KafkaConsumer<String, byte[]> r = reader()) {
        states = restoreStates(r, ps);
        records = readHistory(r, ps, histories);
      }
      for (int p : ps) {
        PartitionState st = states.get(p);
        replaceState(p, st);
        consumer.seek(new TopicPartition(Topics.TRADES, p), st.nextOffset);
        HistoryStore h = histories.get(p);
        Set<String> symbols = new HashSet<>(h.symbols());
        symbols.addAll(st.folders.keySet());
        output.partitionLoaded(p, h, symbols);
      }
      StringBuilder sb = new StringBuilder();
      for (int p : ps) {
        PartitionState st = states.get(p);
        sb.append(' ').append(p).append('@').append(st.nextOffset).append('(').append(st.folders.size())
            .append(" symbols)");
      }
      LOG.info("took over trades partitions{}: {} history records in {} ms", sb, records,
          (System.nanoTime() - t0) / 1_000_000);
    }
    partitions = Set.copyOf(owned.keySet());
    output.assigned(partitions);
  }

  private KafkaConsumer<String, byte[]> reader() {
    Map<String, Object> rp = new HashMap<>(KafkaTopics.consumerProps(opt.bootstrap, null));
    rp.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000);
    rp.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, KafkaTopics.CHECKPOINT_MAX_BYTES);
    return new KafkaConsumer<>(rp, new StringDeserializer(), new ByteArrayDeserializer());
  }

  /** Restores one partition (after a failed write) with a reader of its own. */
  private PartitionState restoreState(int p) {
    try (KafkaConsumer<String, byte[]> r = reader()) {
      return restoreStates(r, List.of(p)).get(p);
    }
  }

  /**
   * The newest checkpoint of each trades partition (the last record of the same checkpoint partition), or a fresh
   * state reading the partition from its beginning.
   */
  private Map<Integer, PartitionState> restoreStates(KafkaConsumer<String, byte[]> r, List<Integer> ps) {
    List<TopicPartition> ctps = new ArrayList<>();
    for (int p : ps) {
      ctps.add(new TopicPartition(Topics.CHECKPOINTS, p));
    }
    r.assign(ctps);
    Map<TopicPartition, Long> end = r.endOffsets(ctps);
    Map<TopicPartition, Long> begin = r.beginningOffsets(ctps);
    Map<Integer, byte[]> last = new HashMap<>();
    List<TopicPartition> waiting = new ArrayList<>();
    for (TopicPartition ctp : ctps) {
      if (end.get(ctp) > begin.get(ctp)) {
        r.seek(ctp, end.get(ctp) - 1);
        waiting.add(ctp);
      }
    }
    r.assign(waiting);
    long deadline = System.currentTimeMillis() + 30_000;
    while (last.size() < waiting.size() && System.currentTimeMillis() < deadline) {
      for (ConsumerRecord<String, byte[]> rec : r.poll(Duration.ofMillis(200))) {
        last.put(rec.partition(), rec.value());
      }
    }
    List<TopicPartition> fresh = new ArrayList<>();
    Map<Integer, PartitionState> out = new HashMap<>();
    for (int p : ps) {
      byte[] value = last.get(p);
      if (value != null) {
        try {
          PartitionCheckpoint cp = PartitionCheckpoint.decode(value);
          PartitionState st = new PartitionState(p);
          st.nextOffset = cp.nextOffset();
          for (CandleFolder f : cp.folders()) {
            st.folders.put(f.symbol(), f);
          }
          out.put(p, st);
          continue;
        } catch (IOException e) {
          LOG.warn("checkpoint of trades partition {} unreadable ({}); replaying the partition from its start", p,
              e.getMessage());
        }
      }
      fresh.add(new TopicPartition(Topics.TRADES, p));
    }
    if (!fresh.isEmpty()) {
      Map<TopicPartition, Long> starts = r.beginningOffsets(fresh);
      for (TopicPartition tp : fresh) {
        PartitionState st = new PartitionState(tp.partition());
        st.nextOffset = starts.get(tp);
        out.put(tp.partition(), st);
      }
    }
    return out;
  }

  /** Reads candles partitions {@code ps} (same indexes as trades) into one history store per partition. */
  private long readHistory(KafkaConsumer<String, byte[]> r, List<Integer> ps, Map<Integer, HistoryStore> out) {
    List<TopicPartition> tps = new ArrayList<>();
    for (int p : ps) {
      tps.add(new TopicPartition(Topics.CANDLES, p));
      out.put(p, new HistoryStore(opt.retentionMs));
    }
    r.assign(tps);
    r.seekToBeginning(tps);
    Map<TopicPartition, Long> end = r.endOffsets(tps);
    long count = 0;
    while (tps.stream().anyMatch(tp -> r.position(tp) < end.get(tp))) {
      for (ConsumerRecord<String, byte[]> rec : r.poll(Duration.ofMillis(200))) {
        if (rec.value() == null) {
          continue;
        }
        try {
          out.get(rec.partition()).put(CandleCodec.decode(rec.value()));
          count++;
        } catch (DecodeException e) {
          malformed++;
        }
      }
    }
    return count;
  }

}

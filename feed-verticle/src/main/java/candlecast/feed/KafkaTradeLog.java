package candlecast.feed;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The feed's one producer path to Kafka: bounded, ordered, and patient while the broker is away.
 *
 * <ul>
 *   <li>{@link #offer} (on the feed's context) takes a record unless {@code capacity} records are
 *       already waiting or unacknowledged; the count is the buffer bound that {@code
 *       feed.buffer-records} sets.
 *   <li>One sender thread encodes the records and hands them to the Kafka producer in offer order.
 *       The producer is idempotent with {@code acks=all}, one request in flight and an unlimited
 *       delivery timeout ({@link #producerOverrides}), so it retries until the broker returns and
 *       keeps each partition's order.
 *   <li>Acknowledgements arrive on the producer's I/O thread; they only touch atomic counters, and
 *       wake {@link #whenRoom} waiters on the feed's context once the buffer is half empty again.
 * </ul>
 */
final class KafkaTradeLog implements TradeLog {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaTradeLog.class);

  /** Stops the sender (the only one with a negative time). */
  private static final Offered POISON = new Offered(new LogRecord.WatermarkRecord("POISON", 0), -1);

  /**
   * A record and when it was offered (epoch ms): that time becomes its Kafka record timestamp, so
   * the record says when the feed took the trade, not when the sender thread got to it (a trade
   * taken while a transaction commits waits for the next one).
   */
  private record Offered(LogRecord record, long at) {
    boolean poison() {
      return at < 0;
    }

    ProducerRecord<String, byte[]> toProducerRecord() {
      return new ProducerRecord<>(record.topic(), null, at, record.key(), record.encode());
    }
  }

  /** Kafka writes count as stalled when records wait and nothing was acknowledged for this long. */
  static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(5);

  static final long FULL_STALL_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final Context context;
  private final Producer<String, byte[]> producer;
  private final int capacity;
  private final int lowWater;
  private final LinkedBlockingQueue<Offered> queue = new LinkedBlockingQueue<>();
  private final Thread sender;
  private final AtomicInteger pending = new AtomicInteger();
  private final AtomicBoolean wantRoom = new AtomicBoolean();
  private final List<Runnable> roomWaiters = new ArrayList<>();
  private final AtomicLong tradesSent = new AtomicLong();
  private final AtomicLong watermarksSent = new AtomicLong();
  private final AtomicLong dlqSent = new AtomicLong();
  private final AtomicLong gapsSent = new AtomicLong();
  private final AtomicLong sendErrors = new AtomicLong();
  private final AtomicLong lastProgressNanos = new AtomicLong(System.nanoTime());
  private long refused;
  private volatile String lastError;
  private volatile boolean failing;

  /** A record was refused (or room asked for in vain) and nothing has been acknowledged since. */
  private volatile boolean full;

  private volatile boolean unreachable;
  private volatile boolean stopping;
  private Throwable syncFailure; // sender thread only
  private final Consumer<Throwable> onFatal;
  private final TransactionalSender transactions;

  KafkaTradeLog(Context context, Producer<String, byte[]> producer, int capacity) {
    this(context, producer, capacity, null);
  }

  /**
   * @param onFatal null for an idempotent producer; else the producer is transactional (already
   *     initialised with {@code initTransactions}), every batch is one transaction, and {@code
   *     onFatal} runs on the context when the producer can write no more (fenced by a newer leader,
   *     or in a fatal state); the records it held are dropped
   */
  KafkaTradeLog(
      Context context,
      Producer<String, byte[]> producer,
      int capacity,
      Consumer<Throwable> onFatal) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1, was " + capacity);
    }
    this.context = context;
    this.producer = producer;
    this.capacity = capacity;
    this.lowWater = capacity / 2;
    this.onFatal = onFatal;
    this.transactions = onFatal == null ? null : new TransactionalSender(producer);
    this.sender = new Thread(this::run, "candlecast-feed-kafka-sender");
    sender.setDaemon(true);
    sender.start();
  }

  /**
   * Producer settings on top of the standard ones: no linger, retry forever, never drop a record by
   * timeout, and one request in flight. With several in flight, a first batch refused with
   * NOT_LEADER_OR_FOLLOWER (a partition whose leader is not ready yet, right after topic creation
   * or a broker restart) can be overtaken by the next batch, which the broker then accepts as the
   * producer's first; the retried first batch is rejected as out of order for ever (seen in the
   * replay benchmark; also AutoMQ issue 584). One in flight keeps each partition's batches strictly
   * sequential.
   */
  static java.util.Map<String, String> producerOverrides() {
    return java.util.Map.of(
        ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1",
        // no lingering: a trade leaves at once (end-to-end latency); while a request is in flight
        // the next ones
        // accumulate into one batch anyway, so throughput does not suffer
        ProducerConfig.LINGER_MS_CONFIG, "0",
        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(Integer.MAX_VALUE),
        ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000",
        ProducerConfig.BUFFER_MEMORY_CONFIG, String.valueOf(256L * 1024 * 1024),
        ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(128 * 1024),
        ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "1000",
        // A transaction begun right after the previous commit finds the coordinator still writing
        // that commit's markers (CONCURRENT_TRANSACTIONS) and is retried after min(20 ms, this):
        // with the default 100 ms every transaction but the first waited ~20 ms, which was most of
        // the trade-to-client latency (issue 20). Backoffs still grow to RETRY_BACKOFF_MAX_MS.
        ProducerConfig.RETRY_BACKOFF_MS_CONFIG, "2",
        ProducerConfig.RETRY_BACKOFF_MAX_MS_CONFIG, "1000");
  }

  @Override
  public boolean offer(LogRecord r) {
    if (stopping || pending.get() >= capacity) {
      refused++;
      full = true;
      return false;
    }
    if (pending.incrementAndGet() == 1) {
      lastProgressNanos.set(System.nanoTime());
    }
    queue.add(new Offered(r, System.currentTimeMillis()));
    return true;
  }

  /**
   * Whether {@code n} more records would be taken now; a "no" marks the buffer as full (for {@link
   * #stalled}).
   */
  @Override
  public boolean hasRoom(int n) {
    boolean room = !stopping && pending.get() + n <= capacity;
    if (!room) {
      full = true;
    }
    return room;
  }

  @Override
  public void whenRoom(Runnable action) {
    roomWaiters.add(action);
    wantRoom.set(true);
    if (pending.get() <= lowWater && wantRoom.compareAndSet(true, false)) {
      context.runOnContext(v -> runWaiters());
    }
  }

  private void runWaiters() {
    if (stopping) {
      roomWaiters.clear();
      return;
    }
    List<Runnable> waiters = new ArrayList<>(roomWaiters);
    roomWaiters.clear();
    for (Runnable r : waiters) {
      try {
        r.run();
      } catch (RuntimeException e) {
        LOG.error("feed: error in a Kafka-room callback", e);
      }
    }
  }

  /** Records waiting or in flight. */
  int pending() {
    return pending.get();
  }

  int capacity() {
    return capacity;
  }

  long tradesSent() {
    return tradesSent.get();
  }

  long sendErrors() {
    return sendErrors.get();
  }

  /**
   * True while records wait and Kafka acknowledged nothing for {@link #STALL_NANOS} (for {@link
   * #FULL_STALL_NANOS} once the buffer is full), or when the last send failed. A full buffer alone
   * is flow control (a replay at max speed lives there), not a failure.
   */
  boolean stalled() {
    int p = pending.get();
    long quiet = System.nanoTime() - lastProgressNanos.get();
    return failing || (p > 0 && quiet > (full ? FULL_STALL_NANOS : STALL_NANOS));
  }

  JsonObject stats() {
    JsonObject j =
        new JsonObject()
            .put("status", stalled() ? "DOWN" : "UP")
            .put("tradesSent", tradesSent.get())
            .put("watermarksSent", watermarksSent.get())
            .put("dlqSent", dlqSent.get())
            .put("gapsSent", gapsSent.get())
            .put("sendErrors", sendErrors.get())
            .put("pending", pending.get())
            .put("capacity", capacity)
            .put("refused", refused);
    if (lastError != null) {
      j.put("lastError", lastError);
    }
    return j;
  }

  /**
   * Stops taking records, waits up to {@code timeoutMs} for everything taken to be acknowledged,
   * then closes the producer. Records still unacknowledged then are counted as send errors (and
   * reported).
   */
  Future<Void> close(long timeoutMs) {
    stopping = true;
    queue.add(POISON);
    Promise<Void> done = Promise.promise();
    Thread closer =
        new Thread(
            () -> {
              long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
              try {
                sender.join(Math.max(1, timeoutMs));
                if (sender.isAlive()) {
                  sender.interrupt();
                  sender.join(1000);
                }
                long left =
                    Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
                producer.close(Duration.ofMillis(left));
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } catch (RuntimeException e) {
                LOG.warn("feed: closing the Kafka producer failed: {}", e.toString());
              }
              int lost = pending.get();
              if (lost > 0) {
                LOG.error(
                    "feed: {} records were not acknowledged by Kafka within {} ms of stopping",
                    lost,
                    timeoutMs);
              }
              done.complete();
            },
            "candlecast-feed-kafka-close");
    closer.setDaemon(true);
    closer.start();
    return done.future();
  }

  // ------------------------------------------------------------------------------------------
  // sender thread

  private void run() {
    List<Offered> batch = new ArrayList<>(1024);
    try {
      while (true) {
        batch.add(queue.take());
        queue.drainTo(batch, 4095);
        boolean last = batch.removeIf(Offered::poison);
        if (transactions != null) {
          List<ProducerRecord<String, byte[]>> records = new ArrayList<>(batch.size());
          batch.forEach(o -> records.add(o.toProducerRecord()));
          transactions.send(records);
          batch.forEach(o -> completed(o.record(), null));
        } else {
          for (Offered o : batch) {
            send(o);
          }
        }
        batch.clear();
        if (last) {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (org.apache.kafka.common.errors.InterruptException e) {
      // stopping
    } catch (TransactionalSender.Fatal e) {
      stopping = true;
      lastError = e.getCause().toString();
      context.runOnContext(v -> onFatal.accept(e.getCause()));
    } catch (RuntimeException e) {
      LOG.error("feed: Kafka sender stopped by an unexpected error", e);
    }
    int dropped = 0;
    for (Offered o : batch) {
      if (!o.poison()) {
        dropped++;
      }
    }
    dropped += queue.size();
    if (dropped > 0) {
      LOG.error("feed: {} records were never handed to Kafka (sender stopped)", dropped);
    }
  }

  private void send(Offered o) throws InterruptedException {
    LogRecord r = o.record();
    ProducerRecord<String, byte[]> pr = o.toProducerRecord();
    Callback cb =
        (md, ex) -> {
          if (ex != null && Thread.currentThread() == sender) {
            syncFailure = ex; // reported synchronously by send(): the record was not taken
            return;
          }
          completed(r, ex);
        };
    while (true) {
      syncFailure = null;
      var unused = producer.send(pr, cb); // the outcome arrives in cb
      Throwable f = syncFailure;
      if (f == null) {
        if (unreachable) {
          unreachable = false;
          LOG.info("feed: Kafka takes records again");
        }
        return;
      }
      if (f instanceof TimeoutException && !stopping) {
        // No metadata or no buffer space within max.block.ms: the broker is away. Keep the record
        // and retry; the
        // bound on pending records keeps the sources from piling up more.
        if (!unreachable) {
          unreachable = true;
          LOG.warn(
              "feed: Kafka does not take records ({}); holding them until it does", f.getMessage());
        }
        if (Thread.interrupted()) {
          throw new InterruptedException();
        }
        continue;
      }
      completed(r, f);
      return;
    }
  }

  private void completed(LogRecord r, Throwable ex) {
    lastProgressNanos.set(System.nanoTime());
    full = false;
    if (ex == null) {
      if (r instanceof LogRecord.TradeRecord) {
        tradesSent.incrementAndGet();
      } else if (r instanceof LogRecord.WatermarkRecord) {
        watermarksSent.incrementAndGet();
      } else if (r instanceof LogRecord.GapRecord) {
        gapsSent.incrementAndGet();
      } else {
        dlqSent.incrementAndGet();
      }
      if (failing) {
        failing = false;
        LOG.info("feed: Kafka sends succeed again");
      }
    } else {
      sendErrors.incrementAndGet();
      lastError = ex.getClass().getSimpleName() + ": " + ex.getMessage();
      if (!failing) {
        failing = true;
        LOG.error("feed: Kafka send to {} failed, record lost: {}", r.topic(), lastError);
      }
    }
    int left = pending.decrementAndGet();
    if (left <= lowWater && wantRoom.compareAndSet(true, false)) {
      context.runOnContext(v -> runWaiters());
    }
  }
}

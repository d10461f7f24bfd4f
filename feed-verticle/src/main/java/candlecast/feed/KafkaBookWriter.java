package candlecast.feed;

import candlecast.common.Book;
import candlecast.common.BookCodec;
import candlecast.common.Topics;
import candlecast.common.kafka.KafkaTopics;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes books to the compacted {@code books} topic (key = symbol, so partitioned like {@code
 * trades}), newest wins: {@link #offer} keeps one book per symbol until its sender thread writes
 * it, so a slow or absent broker costs one book per symbol of memory and the next write is the
 * newest book. The sources already coalesce to one book per symbol per {@code
 * feed.book-interval-ms}.
 *
 * <p>Its own producer, apart from the trade log's: books are replaceable state, trades are the
 * record; a book write must never wait behind (or hold up) trades. Idempotent, {@code acks=all},
 * one request in flight (per-partition order even right after a topic is created), a 30 s delivery
 * timeout (a book that old is replaced anyway).
 *
 * <p><b>Seam for a single writer:</b> {@link #setActive} — while inactive, books are kept (newest
 * per symbol) but not written; on activation the kept ones are written at once. A leader lease
 * deciding which feed instance writes calls it; until then the writer is active from the start.
 */
final class KafkaBookWriter implements BookSink {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaBookWriter.class);
  static final long RETRY_MS = 1_000;

  private final Producer<String, byte[]> producer;
  private final Map<String, Book> pending = new ConcurrentHashMap<>();
  private final ScheduledExecutorService sender;
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final AtomicLong offered = new AtomicLong();
  private final AtomicLong replaced = new AtomicLong();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong written = new AtomicLong();
  private final AtomicLong sendErrors = new AtomicLong();
  private volatile boolean active = true;
  private volatile boolean closed;
  private volatile String lastError;

  KafkaBookWriter(Producer<String, byte[]> producer) {
    this.producer = producer;
    this.sender =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "candlecast-feed-book-writer");
              t.setDaemon(true);
              return t;
            });
  }

  /** The producer's settings. */
  static Map<String, Object> producerConfig(String bootstrap) {
    Map<String, Object> p = new HashMap<>(KafkaTopics.producerProps(bootstrap));
    p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "candlecast-feed-books");
    return p;
  }

  @Override
  public void offer(Book book) {
    if (closed) {
      return;
    }
    offered.incrementAndGet();
    if (pending.put(book.symbol(), book) != null) {
      replaced.incrementAndGet();
    }
    schedule(0);
  }

  /**
   * Whether this writer writes (see the class comment); books offered meanwhile are kept, newest
   * per symbol.
   */
  void setActive(boolean writes) {
    boolean was = active;
    active = writes;
    if (writes && !was) {
      LOG.info("feed books: writing to {}", Topics.BOOKS);
      schedule(0);
    } else if (!writes && was) {
      LOG.info("feed books: not writing (inactive); keeping the newest book of each symbol");
    }
  }

  boolean active() {
    return active;
  }

  private void schedule(long delayMs) {
    if (active && !closed && scheduled.compareAndSet(false, true)) {
      var unused =
          sender.schedule(
              this::drain, delayMs, TimeUnit.MILLISECONDS); // drain handles its own errors
    }
  }

  /**
   * Sender thread: writes every kept book; one that cannot be handed to the producer is kept for a
   * retry.
   */
  private void drain() {
    scheduled.set(false);
    for (String symbol : List.copyOf(pending.keySet())) {
      if (!active) {
        return;
      }
      Book b = pending.remove(symbol);
      if (b != null && !send(b)) {
        pending.putIfAbsent(symbol, b);
        schedule(RETRY_MS);
        return;
      }
    }
  }

  private boolean send(Book b) {
    try {
      // the outcome goes to the callback
      var unused =
          producer.send(
              new ProducerRecord<>(Topics.BOOKS, b.symbol(), BookCodec.encode(b)),
              (md, e) -> {
                if (e == null) {
                  written.incrementAndGet();
                } else {
                  failed(e);
                }
              });
      sent.incrementAndGet();
      return true;
    } catch (KafkaException e) {
      failed(e);
      return false;
    }
  }

  private void failed(Exception e) {
    long n = sendErrors.incrementAndGet();
    lastError = e.toString();
    if (Long.bitCount(n) == 1) {
      LOG.warn("feed books: write failed ({} so far): {}", n, e.toString());
    }
  }

  /**
   * Writes what is kept (if active), then closes the producer; blocking, at most about {@code
   * timeout}.
   */
  void close(Duration timeout) {
    try {
      if (active) {
        scheduled.set(true);
        sender.submit(this::drain).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (Exception e) {
      LOG.warn("feed books: final write: {}", e.toString());
    } finally {
      closed = true;
      sender.shutdownNow();
      producer.close(timeout);
    }
  }

  /** Counters for /health. */
  JsonObject stats() {
    JsonObject j =
        new JsonObject()
            .put("active", active)
            .put("offered", offered.get())
            .put("replaced", replaced.get())
            .put("sent", sent.get())
            .put("written", written.get())
            .put("sendErrors", sendErrors.get())
            .put("waiting", pending.size());
    if (lastError != null) {
      j.put("lastError", lastError);
    }
    return j;
  }

  /** Books Kafka acknowledged (tests). */
  long written() {
    return written.get();
  }
}

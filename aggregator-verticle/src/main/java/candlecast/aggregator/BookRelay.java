package candlecast.aggregator;

import candlecast.common.Book;
import candlecast.common.BookCodec;
import candlecast.common.DecodeException;
import candlecast.common.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the {@code books} partitions of the {@code trades} partitions this aggregator owns (same
 * index: books are partitioned like trades), on its own thread with a group-less consumer. A newly
 * followed partition is read from its beginning (compacted: about a minute of books per symbol) up
 * to its end as of then, and handed over once as {@link Output#loaded}; after that, each poll hands
 * over the newest book of each symbol ({@link Output#books}). Every book carries its record's
 * offset as {@code seq}, which grows per symbol across feed restarts and owner changes.
 */
final class BookRelay implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(BookRelay.class);
  private static final Duration POLL = Duration.ofMillis(100);
  private static final long RETRY_MS = 1_000;

  /** Receives books on the relay's thread; implementations hand them to the event loop. */
  interface Output {
    /**
     * Partition {@code p} read to its end as of when it was followed: the newest book of each of
     * its symbols.
     */
    void loaded(int partition, List<Book> books);

    /** Newer books of partition {@code p}: the newest of each symbol in one poll, in log order. */
    void books(int partition, List<Book> books);
  }

  private final Map<String, Object> config;
  private final Output output;

  /**
   * A change of partitions not applied yet: the partitions to follow, and those to read again from
   * the start.
   */
  private record Wanted(Set<Integer> partitions, Set<Integer> reload) {}

  private final AtomicReference<Wanted> wanted = new AtomicReference<>();

  /** Partitions being read up to the end offset they had when followed (relay thread only). */
  private final Map<Integer, Long> loadingUntil = new HashMap<>();

  private final Map<Integer, Map<String, Book>> loading = new HashMap<>();
  private volatile boolean running = true;
  private volatile KafkaConsumer<String, byte[]> consumer;
  // written by the relay thread only, read by stats(): volatile for visibility, single writer
  private volatile long records;
  private volatile long malformed;
  private String lastProblem;

  BookRelay(Map<String, Object> config, Output output) {
    this.config = config;
    this.output = output;
  }

  /**
   * Follow exactly {@code partitions} from now on; those of {@code reload} (and any not followed
   * yet) are read again from their beginning and handed over as {@link Output#loaded}. Any thread;
   * reloads of changes not applied yet add up.
   */
  void follow(Set<Integer> partitions, Set<Integer> reload) {
    wanted.updateAndGet(
        old -> {
          Set<Integer> r = new HashSet<>(reload);
          if (old != null) {
            r.addAll(old.reload());
          }
          return new Wanted(Set.copyOf(partitions), r);
        });
    synchronized (this) {
      notifyAll();
    }
  }

  void stop() {
    running = false;
    KafkaConsumer<?, ?> c = consumer;
    if (c != null) {
      c.wakeup();
    }
    synchronized (this) {
      notifyAll();
    }
  }

  /** Without partitions there is nothing to poll: wait for {@link #follow} (or stop). */
  private synchronized void awaitPartitions() {
    try {
      while (running && wanted.get() == null) {
        wait();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  long records() {
    return records;
  }

  long malformed() {
    return malformed;
  }

  @Override
  public void run() {
    KafkaConsumer<String, byte[]> c =
        new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    consumer = c;
    try {
      while (running) {
        step(c);
      }
    } catch (WakeupException e) {
      // stopped
    } finally {
      c.close(Duration.ofSeconds(5));
    }
  }

  /**
   * One poll; a failure (broker away, missing topic) is logged once and the next step tries again.
   */
  private void step(KafkaConsumer<String, byte[]> c) {
    try {
      reassign(c);
      if (c.assignment().isEmpty()) {
        awaitPartitions();
        return;
      }
      handle(c.poll(POLL));
      finishLoading(c);
      lastProblem = null;
    } catch (WakeupException e) {
      throw e;
    } catch (RuntimeException e) {
      String p = e.toString();
      if (!p.equals(lastProblem)) {
        LOG.warn("book relay: {}; retrying", p);
        lastProblem = p;
      }
      retryPause();
    }
  }

  /** A second before the next attempt after a failure (cut short by {@link #stop}). */
  @SuppressWarnings(
      "WaitNotInLoop") // one pause, cut short by stop(): a spurious wake-up only retries sooner
  private synchronized void retryPause() {
    try {
      if (running) {
        wait(RETRY_MS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  /**
   * Applies a new set of partitions: new ones are read from their beginning up to their current
   * end.
   */
  private void reassign(KafkaConsumer<String, byte[]> c) {
    Wanted change = wanted.getAndSet(null);
    if (change == null) {
      return;
    }
    Set<Integer> w = change.partitions();
    try {
      Set<Integer> current = new HashSet<>();
      c.assignment().forEach(tp -> current.add(tp.partition()));
      List<TopicPartition> all = new ArrayList<>();
      List<TopicPartition> added = new ArrayList<>();
      for (int p : w) {
        TopicPartition tp = new TopicPartition(Topics.BOOKS, p);
        all.add(tp);
        if (!current.contains(p) || change.reload().contains(p)) {
          added.add(tp);
        }
      }
      loadingUntil.keySet().retainAll(w);
      loading.keySet().retainAll(w);
      c.assign(all);
      if (!added.isEmpty()) {
        c.seekToBeginning(added);
        c.endOffsets(added)
            .forEach(
                (tp, end) -> {
                  loadingUntil.put(tp.partition(), end);
                  loading.put(tp.partition(), new LinkedHashMap<>());
                });
      }
    } catch (KafkaException e) {
      wanted.compareAndSet(null, change); // try again at the next step
      throw e;
    }
  }

  @SuppressWarnings("NonAtomicVolatileUpdate") // the counters have one writer, this thread
  private void handle(Iterable<ConsumerRecord<String, byte[]>> recs) {
    Map<Integer, Map<String, Book>> newest = new LinkedHashMap<>();
    for (ConsumerRecord<String, byte[]> r : recs) {
      records++;
      Book b;
      try {
        b = BookCodec.decode(r.value()).withSeq(r.offset());
      } catch (DecodeException | NullPointerException e) {
        malformed++;
        continue;
      }
      Map<String, Book> into = loading.get(r.partition());
      if (into == null) {
        into = newest.computeIfAbsent(r.partition(), p -> new LinkedHashMap<>());
      }
      into.put(b.symbol(), b);
    }
    newest.forEach((p, books) -> output.books(p, new ArrayList<>(books.values())));
  }

  private void finishLoading(KafkaConsumer<String, byte[]> c) {
    for (var it = loadingUntil.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Integer, Long> e = it.next();
      if (c.position(new TopicPartition(Topics.BOOKS, e.getKey())) >= e.getValue()) {
        it.remove();
        output.loaded(e.getKey(), new ArrayList<>(loading.remove(e.getKey()).values()));
      }
    }
  }
}

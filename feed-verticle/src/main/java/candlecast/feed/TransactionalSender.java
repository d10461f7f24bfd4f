package candlecast.feed;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each batch of the feed's records as one Kafka transaction, patiently: a commit that times
 * out (broker away) is retried until it goes through; any other failure aborts the transaction and
 * writes the whole batch again (the aborted copy is invisible to {@code read_committed} readers, so
 * nothing is doubled). Only a fatal error ends it — above all {@link ProducerFencedException}: a
 * newer leader initialised the same {@code transactional.id}, so this producer must never write
 * again. Runs on the sender thread.
 */
final class TransactionalSender {
  private static final Logger LOG = LoggerFactory.getLogger(TransactionalSender.class);
  private static final long RETRY_PAUSE_MS = 200;

  /** The producer can write no more; the cause says why. */
  static final class Fatal extends RuntimeException {
    Fatal(Throwable cause) {
      super(cause.toString(), cause);
    }
  }

  private final Producer<String, byte[]> producer;
  private long transactions;
  private long retries;

  TransactionalSender(Producer<String, byte[]> producer) {
    this.producer = producer;
  }

  /** Writes the batch in one committed transaction; returns once it is committed. */
  void send(List<ProducerRecord<String, byte[]>> batch) throws InterruptedException {
    while (true) {
      try {
        producer.beginTransaction();
        for (ProducerRecord<String, byte[]> r : batch) {
          var unused = producer.send(r); // a failure fails commit()
        }
        commit();
        transactions++;
        return;
      } catch (org.apache.kafka.common.errors.RetriableException e) {
        abort(e);
      } catch (KafkaException e) {
        if (isFatal(e)) {
          throw new Fatal(e);
        }
        abort(e);
      } catch (IllegalStateException e) {
        throw new Fatal(e); // the producer is in a fatal error state
      }
    }
  }

  private void commit() throws InterruptedException {
    while (true) {
      try {
        producer.commitTransaction();
        return;
      } catch (TimeoutException e) {
        // the broker is away: a commit that timed out may be called again (commitTransaction's
        // contract)
        retries++;
        pause();
      }
    }
  }

  private void abort(Exception cause) throws InterruptedException {
    retries++;
    LOG.warn("feed: Kafka transaction failed ({}); writing the batch again", cause.toString());
    while (true) {
      try {
        producer.abortTransaction();
        pause();
        return;
      } catch (TimeoutException e) {
        pause();
      } catch (KafkaException e) {
        if (isFatal(e)) {
          throw new Fatal(e);
        }
        pause();
      } catch (IllegalStateException e) {
        throw new Fatal(e);
      }
    }
  }

  private static boolean isFatal(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ProducerFencedException
          || t instanceof OutOfOrderSequenceException
          || t instanceof AuthorizationException
          || t instanceof UnsupportedVersionException) {
        return true;
      }
    }
    return false;
  }

  private static void pause() throws InterruptedException {
    TimeUnit.MILLISECONDS.sleep(RETRY_PAUSE_MS);
  }

  long transactions() {
    return transactions;
  }

  long retries() {
    return retries;
  }
}

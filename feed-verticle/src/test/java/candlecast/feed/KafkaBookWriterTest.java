package candlecast.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import candlecast.common.Book;
import candlecast.common.BookCodec;
import candlecast.common.Topics;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class KafkaBookWriterTest {
  private final MockProducer<String, byte[]> producer =
      new MockProducer<>(true, new StringSerializer(), new ByteArraySerializer());
  private final KafkaBookWriter writer = new KafkaBookWriter(producer);

  private static Book book(String symbol, long us) {
    return new Book(
        symbol, Book.NO_SEQ, us, List.of(new Book.Level(99, 1)), List.of(new Book.Level(101, 2)));
  }

  private List<Book> written() {
    return producer.history().stream().map(r -> BookCodec.decode(r.value())).toList();
  }

  @Test
  void booksGoToTheBooksTopicKeyedBySymbol() {
    writer.offer(book("BTCUSD", 1));
    await().atMost(Duration.ofSeconds(10)).until(() -> writer.written() == 1);
    ProducerRecord<String, byte[]> r = producer.history().get(0);
    assertThat(r.topic()).isEqualTo(Topics.BOOKS);
    assertThat(r.key()).isEqualTo("BTCUSD");
    assertThat(written()).containsExactly(book("BTCUSD", 1));
    writer.close(Duration.ofSeconds(5));
    assertThat(producer.closed()).isTrue();
  }

  /**
   * The seam for a single writer: inactive keeps the newest per symbol, active writes just those.
   */
  @Test
  void whileInactiveOnlyTheNewestBookOfEachSymbolIsKeptAndWrittenOnActivation() {
    writer.setActive(false);
    for (long us = 1; us <= 5; us++) {
      writer.offer(book("BTCUSD", us));
      writer.offer(book("ETHUSD", us * 10));
    }
    await()
        .during(Duration.ofMillis(200))
        .atMost(Duration.ofSeconds(2))
        .until(() -> producer.history().isEmpty());
    assertThat(writer.stats().getLong("waiting")).isEqualTo(2);
    assertThat(writer.stats().getLong("replaced")).isEqualTo(8);
    writer.setActive(true);
    await().atMost(Duration.ofSeconds(10)).until(() -> writer.written() == 2);
    assertThat(written()).containsExactlyInAnyOrder(book("BTCUSD", 5), book("ETHUSD", 50));
    writer.close(Duration.ofSeconds(5));
  }

  @Test
  void aRefusedSendIsRetriedWithTheNewestBook() {
    MockProducer<String, byte[]> failing =
        new MockProducer<>(true, new StringSerializer(), new ByteArraySerializer());
    failing.sendException = new org.apache.kafka.common.errors.TimeoutException("no metadata");
    KafkaBookWriter w = new KafkaBookWriter(failing);
    w.offer(book("BTCUSD", 1));
    await().atMost(Duration.ofSeconds(10)).until(() -> w.stats().getLong("sendErrors") >= 1);
    w.offer(book("BTCUSD", 2));
    failing.sendException = null;
    await().atMost(Duration.ofSeconds(10)).until(() -> w.written() >= 1);
    assertThat(failing.history().stream().map(r -> BookCodec.decode(r.value())).toList())
        .containsExactly(book("BTCUSD", 2));
    assertThat(w.stats().getString("lastError")).contains("no metadata");
    w.close(Duration.ofSeconds(5));
  }
}

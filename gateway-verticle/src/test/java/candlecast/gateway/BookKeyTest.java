package candlecast.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import candlecast.common.Book;
import candlecast.common.BookCodec;
import candlecast.common.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/**
 * A book depth view: its frame, what it refuses, and that a congested client keeps only the newest
 * book.
 */
class BookKeyTest {
  private static Book book(long seq) {
    List<Book.Level> bids = new ArrayList<>();
    List<Book.Level> asks = new ArrayList<>();
    for (int i = 1; i <= 100; i++) {
      bids.add(new Book.Level(1000 - i, i * 1.5));
      asks.add(new Book.Level(1000 + i, i));
    }
    return new Book("BTCUSD", seq, 1_700_000_000_000_000L + seq, bids, asks);
  }

  @Test
  void aViewIsTheBooksBestLevelsWithItsSeq() {
    Update u = new BookKey("BTCUSD", 10).toUpdate(BookCodec.toJson(book(7)));
    JsonObject f = new JsonObject(u.frame());
    assertThat(f.fieldNames())
        .containsExactly("type", "symbol", "depth", "seq", "time", "bids", "asks");
    assertThat(f.getString("type")).isEqualTo("book");
    assertThat(f.getJsonArray("bids")).isEqualTo(BookCodec.side(book(7).bids().subList(0, 10)));
    assertThat(f.getJsonArray("asks")).isEqualTo(BookCodec.side(book(7).asks().subList(0, 10)));
    assertThat(u.time()).isEqualTo(7);
    assertThat(u.closed()).isFalse();
    assertThat(new BookKey("BTCUSD", 25).address()).isEqualTo("book.BTCUSD");
  }

  @Test
  void refusesWhatIsNotABookOfItsSymbolWithASequenceNumber() {
    BookKey k = new BookKey("BTCUSD", 10);
    assertThatThrownBy(() -> k.toUpdate("text")).isInstanceOf(DecodeException.class);
    assertThatThrownBy(() -> k.toUpdate(BookCodec.toJson(book(1)).put("symbol", "ETHUSD")))
        .hasMessageContaining("on the address of BTCUSD");
    assertThatThrownBy(() -> k.toUpdate(BookCodec.toJson(book(Book.NO_SEQ))))
        .hasMessageContaining("without a sequence number");
    JsonObject crossed =
        BookCodec.toJson(
            new Book(
                "BTCUSD", 3, 0, List.of(new Book.Level(10, 1)), List.of(new Book.Level(10, 1))));
    assertThatThrownBy(() -> k.toUpdate(crossed)).hasMessageContaining("crossed");
  }

  @Test
  void aCongestedClientKeepsOnlyTheNewestBook() {
    List<Update> written = new ArrayList<>();
    boolean[] writable = {false};
    OutboundWriter writer =
        new OutboundWriter(
            new OutboundWriter.Sink() {
              @Override
              public boolean isOpen() {
                return true;
              }

              @Override
              public boolean writable() {
                return writable[0];
              }

              @Override
              public void write(Update u) {
                written.add(u);
              }
            },
            new LongAdder(),
            () -> 1_000L);
    OutboundWriter.Lane lane = new OutboundWriter.Lane(writer);
    BookKey k = new BookKey("BTCUSD", 25);
    for (long seq = 1; seq <= 5; seq++) {
      writer.offer(lane, k.toUpdate(BookCodec.toJson(book(seq))));
    }
    assertThat(written).isEmpty();
    writable[0] = true;
    writer.drain();
    assertThat(written).hasSize(1);
    assertThat(written.get(0).time()).as("the newest book only").isEqualTo(5);
  }
}

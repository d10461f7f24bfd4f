package candlecast.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/**
 * The keep-newest policy of the outbound queue, its memory bound and slow-client detection, without
 * sockets.
 */
class OutboundWriterTest {

  /**
   * A socket whose writability the test sets; {@code takes} bounds how many more writes it accepts
   * (-1: any).
   */
  private static final class FakeSink implements OutboundWriter.Sink {
    final List<Update> written = new ArrayList<>();
    boolean open = true;
    boolean writable = true;
    int takes = -1;
    Runnable onWritableCheck = () -> {};

    @Override
    public boolean isOpen() {
      return open;
    }

    @Override
    public boolean writable() {
      onWritableCheck.run();
      return writable && takes != 0;
    }

    @Override
    public void write(Update u) {
      written.add(u);
      if (takes > 0) {
        takes--;
      }
    }
  }

  private final FakeSink sink = new FakeSink();
  private final LongAdder dropped = new LongAdder();
  private long nowMs = 1_000;
  private final OutboundWriter writer = new OutboundWriter(sink, dropped, () -> nowMs);
  private final OutboundWriter.Lane a = new OutboundWriter.Lane(writer);
  private final OutboundWriter.Lane b = new OutboundWriter.Lane(writer);

  private static Update open(long time, long version) {
    return new Update(Buffer.buffer("o" + time + "/" + version), null, time, version, false);
  }

  private static Update closed(long time) {
    return new Update(Buffer.buffer("c" + time), null, time, 99, true);
  }

  @Test
  void writesAtOnceWhileTheSocketTakesIt() {
    Update u = open(1, 1);
    writer.offer(a, u);
    assertThat(sink.written).containsExactly(u);
    assertThat(writer.congested()).isFalse();
    assertThat(writer.parkedLanes()).isZero();
  }

  @Test
  void whileCongestedEachLaneKeepsItsNewestClosedAndTheNewestOpenAfterIt() {
    sink.writable = false;
    writer.offer(a, open(1, 1));
    writer.offer(a, open(1, 2)); // replaces the older open update
    Update c1 = closed(1);
    writer.offer(a, c1); // closes window 1: its open update is stale
    writer.offer(a, open(2, 1));
    Update o22 = open(2, 2);
    writer.offer(a, o22);
    assertThat(sink.written).isEmpty();
    assertThat(a.parked()).isEqualTo(2);
    assertThat(dropped.sum()).isEqualTo(3);

    sink.writable = true;
    writer.drain();
    assertThat(sink.written).containsExactly(c1, o22);
    assertThat(writer.congested()).isFalse();
    assertThat(a.parked()).isZero();
  }

  @Test
  void aClosedUpdateDropsOnlyAnOpenUpdateThatIsNotNewer() {
    sink.writable = false;
    Update o2 = open(2, 1);
    writer.offer(a, o2);
    writer.offer(a, closed(0));
    Update c1 = closed(1);
    writer.offer(a, c1); // replaces the older closed update
    assertThat(dropped.sum()).isEqualTo(1);
    sink.writable = true;
    writer.drain();
    assertThat(sink.written).containsExactly(c1, o2);
  }

  /**
   * A closed candle re-emitted as partial (older than the parked closed one) does not displace the
   * newer one.
   */
  @Test
  void anOlderClosedUpdateNeverDisplacesANewerParkedOne() {
    sink.writable = false;
    Update c5 = closed(5);
    writer.offer(a, c5);
    writer.offer(a, closed(2));
    Update o6 = open(6, 1);
    writer.offer(a, o6);
    assertThat(dropped.sum()).isEqualTo(1);
    sink.writable = true;
    writer.drain();
    assertThat(sink.written).containsExactly(c5, o6);
  }

  @Test
  void onceCongestedUpdatesQueueBehindTheParkedOnesUntilTheDrain() {
    sink.writable = false;
    Update first = open(1, 1);
    writer.offer(a, first);
    sink.writable = true;
    Update second = open(5, 1);
    writer.offer(b, second);
    assertThat(sink.written).as("nothing overtakes what is parked").isEmpty();
    writer.drain();
    assertThat(sink.written).containsExactly(first, second);
  }

  @Test
  void memoryStaysBoundedWhateverArrivesWhileCongested() {
    sink.writable = false;
    int n = 0;
    for (long t = 0; t < 5_000; t++) {
      for (OutboundWriter.Lane lane : List.of(a, b)) {
        writer.offer(lane, open(t, 1));
        writer.offer(lane, open(t, 2));
        writer.offer(lane, closed(t));
        n += 3;
      }
    }
    assertThat(a.parked()).isEqualTo(1);
    assertThat(b.parked()).isEqualTo(1);
    assertThat(writer.parkedLanes()).isEqualTo(2);
    assertThat(dropped.sum()).isEqualTo(n - 2);
    sink.writable = true;
    writer.drain();
    assertThat(sink.written).extracting(Update::time).containsExactly(4_999L, 4_999L);
  }

  @Test
  void aDrainStopsWhenTheSocketFillsAgainAndTheNextOneGoesOn() {
    sink.writable = false;
    Update ca = closed(1);
    Update oa = open(2, 1);
    Update cb = closed(1);
    Update ob = open(2, 1);
    writer.offer(a, ca);
    writer.offer(a, oa);
    writer.offer(b, cb);
    writer.offer(b, ob);
    sink.writable = true;
    sink.takes = 3;
    writer.drain();
    assertThat(sink.written).containsExactly(ca, oa, cb);
    assertThat(writer.congested()).isTrue();
    assertThat(writer.parkedLanes()).isEqualTo(1);
    sink.takes = -1;
    writer.drain();
    assertThat(sink.written).containsExactly(ca, oa, cb, ob);
    assertThat(writer.congested()).isFalse();
    assertThat(dropped.sum()).isZero();
  }

  @Test
  void aDrainReportedWhileDrainingWritesNothingTwice() {
    sink.writable = false;
    Update ca = closed(1);
    Update oa = open(2, 1);
    Update cb = closed(3);
    writer.offer(a, ca);
    writer.offer(a, oa);
    writer.offer(b, cb);
    sink.writable = true;
    // checking writability may flush, and the flush may report the drain at once
    sink.onWritableCheck = writer::drain;
    writer.drain();
    assertThat(sink.written).containsExactly(ca, oa, cb);
    assertThat(writer.congested()).isFalse();
  }

  @Test
  void aClientCongestedLongerThanTheLimitIsSlowUntilItDrains() {
    assertThat(writer.slowerThan(nowMs, 500)).isFalse();
    sink.writable = false;
    writer.offer(a, open(1, 1));
    long since = nowMs;
    assertThat(writer.congestedMs(since + 500)).isEqualTo(500);
    assertThat(writer.slowerThan(since + 500, 500)).isFalse();
    assertThat(writer.slowerThan(since + 501, 500)).isTrue();
    nowMs += 400;
    writer.offer(a, open(1, 2));
    assertThat(writer.slowerThan(since + 501, 500))
        .as("congested since the first parked update")
        .isTrue();
    sink.writable = true;
    writer.drain();
    assertThat(writer.slowerThan(since + 10_000, 500)).isFalse();
    assertThat(writer.congestedMs(since + 10_000)).isZero();
  }

  @Test
  void aClosedSinkTakesNothingAndParksNothing() {
    sink.open = false;
    writer.offer(a, open(1, 1));
    sink.writable = false;
    writer.offer(a, closed(1));
    assertThat(sink.written).isEmpty();
    assertThat(writer.congested()).isFalse();
    assertThat(a.parked()).isZero();
  }

  @Test
  void aForgottenLaneLosesWhatItParkedWithoutCountingIt() {
    sink.writable = false;
    writer.offer(a, open(1, 1));
    Update kept = open(1, 1);
    writer.offer(b, kept);
    writer.forget(a);
    assertThat(writer.parkedLanes()).isEqualTo(1);
    sink.writable = true;
    writer.drain();
    assertThat(sink.written).containsExactly(kept);
    assertThat(dropped.sum()).isZero();
  }
}

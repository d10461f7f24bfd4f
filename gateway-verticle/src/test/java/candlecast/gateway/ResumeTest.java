package candlecast.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import candlecast.common.Candle;
import candlecast.common.CandleCodec;
import candlecast.common.DecodeException;
import candlecast.common.Timeframe;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResumeTest {
  private static final SeriesKey KEY = new SeriesKey("BTCUSD", Timeframe.M1);

  private static Candle c(long t) {
    return new Candle("BTCUSD", Timeframe.M1, t, 1, 1, 1, 1, 1, 1, true);
  }

  @Test
  void requests() {
    assertThat(Resume.snapshotRequest(KEY, 500))
        .isEqualTo(new JsonObject().put("symbol", "BTCUSD").put("tf", "1m").put("limit", 500));
    assertThat(Resume.sinceRequest(KEY, 60_000, 5000))
        .isEqualTo(
            new JsonObject()
                .put("symbol", "BTCUSD")
                .put("tf", "1m")
                .put("from", 60_000L)
                .put("limit", 5000));
  }

  @Test
  void theFirstCloseDueAfterASnapshotIsTheWindowAfterItsNewestClosedOneOrSince() {
    Candle open = new Candle("BTCUSD", Timeframe.M1, 240_000, 1, 1, 1, 1, 1, 1, false);
    assertThat(Resume.firstCloseAfter(List.of(c(120_000), c(180_000), open), null, Timeframe.M1))
        .isEqualTo(240_000);
    // resuming from later than the snapshot's newest close: the window holding since
    assertThat(Resume.firstCloseAfter(List.of(open), 250_000L, Timeframe.M1)).isEqualTo(240_000);
    assertThat(Resume.firstCloseAfter(List.of(), 300_000L, Timeframe.M1)).isEqualTo(300_000);
    // no closed candle: the open one's close is due first
    assertThat(Resume.firstCloseAfter(List.of(open), null, Timeframe.M1)).isEqualTo(240_000);
    assertThat(Resume.firstCloseAfter(List.of(), null, Timeframe.M1)).isEqualTo(Resume.NO_SEAM);
  }

  @Test
  void recoveredWhenSinceIsWithinTheHistoryHeld() {
    assertThat(
            Resume.recovered(120_000, List.of(c(120_000), c(180_000)), 60_000L, 5000, Timeframe.M1))
        .isTrue();
    assertThat(Resume.recovered(60_000, List.of(c(60_000)), 60_000L, 5000, Timeframe.M1)).isTrue();
    assertThat(Resume.recovered(9_000_000, List.of(), 60_000L, 5000, Timeframe.M1))
        .as("in the future")
        .isTrue();
  }

  @Test
  void notRecoveredWhenSinceIsOlderThanHistoryOrTheReplyIsTruncated() {
    assertThat(Resume.recovered(0, List.of(c(60_000)), 60_000L, 5000, Timeframe.M1)).isFalse();
    assertThat(Resume.recovered(0, List.of(c(60_000), c(120_000)), 0L, 2, Timeframe.M1))
        .as("truncated")
        .isFalse();
    assertThat(Resume.recovered(0, List.of(), null, 5000, Timeframe.M1))
        .as("nothing held")
        .isFalse();
  }

  @Test
  void withoutOldestTheFirstCandleMustBeAtSince() {
    assertThat(Resume.recovered(60_000, List.of(c(60_000)), null, 5000, Timeframe.M1)).isTrue();
    assertThat(Resume.recovered(60_000, List.of(c(180_000)), null, 5000, Timeframe.M1)).isFalse();
  }

  @Test
  void repliesAreDecodedAndChecked() {
    JsonObject ok =
        new JsonObject()
            .put("candles", new JsonArray().add(CandleCodec.toJson(c(60_000))))
            .put("oldest", 0L);
    assertThat(Resume.candles(ok, KEY)).containsExactly(c(60_000));
    assertThat(Resume.oldest(ok)).isEqualTo(0L);
    assertThat(Resume.oldest(new JsonObject())).isNull();
    assertThatThrownBy(() -> Resume.candles(new JsonObject(), KEY))
        .isInstanceOf(DecodeException.class);
    assertThatThrownBy(
            () -> Resume.candles(new JsonObject().put("candles", new JsonArray().add(1)), KEY))
        .isInstanceOf(DecodeException.class);
    JsonObject other =
        new JsonObject()
            .put(
                "candles",
                new JsonArray()
                    .add(
                        CandleCodec.toJson(
                            new Candle("ETHUSD", Timeframe.M1, 0, 1, 1, 1, 1, 1, 1, true))));
    assertThatThrownBy(() -> Resume.candles(other, KEY)).hasMessageContaining("another series");
  }

  private static Candle flat(long t, boolean closed) {
    return new Candle("BTCUSD", Timeframe.M1, t, 1, 1, 1, 1, 0, 0, closed);
  }

  /**
   * Flat windows are implied, not stored (issue 15): a history reply synthesizes them, while its
   * {@code oldest} is the oldest stored candle. A {@code since} inside a quiet stretch is no gap.
   */
  @Test
  void recoveredWhenSinceFallsInAStretchOfSynthesizedFlatWindows() {
    List<Candle> reply =
        List.of(flat(600_000, true), flat(660_000, true), c(720_000), flat(780_000, false));
    assertThat(Resume.recovered(600_000, reply, 60_000L, 5000, Timeframe.M1)).isTrue();
    assertThat(Resume.recovered(590_000, reply, 60_000L, 5000, Timeframe.M1))
        .as("since between two windows")
        .isTrue();
    assertThat(Resume.recovered(600_000, reply, null, 5000, Timeframe.M1))
        .as("a tier without oldest: the first window is the one at since")
        .isTrue();
    assertThat(Resume.recovered(0, reply.subList(0, 2), 0L, 2, Timeframe.M1))
        .as("more flat windows since then than one reply carries: truncated")
        .isFalse();
  }
}

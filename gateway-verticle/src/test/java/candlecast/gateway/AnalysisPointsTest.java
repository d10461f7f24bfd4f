package candlecast.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class AnalysisPointsTest {
  private static JsonObject point(long t, boolean closed, double v) {
    return new JsonObject().put("t", t).put("closed", closed).put("value", v);
  }

  private static JsonObject update(long t, boolean closed, double v) {
    return new JsonObject()
        .put("symbol", "BTCUSD")
        .put("tf", "1m")
        .put("key", "sma:3")
        .mergeIn(point(t, closed, v));
  }

  @Test
  void updatesTheSnapshotAlreadyShowsAreDroppedAndTheOpenWindowIsReplaced() {
    AnalysisPoints p = new AnalysisPoints(false, 3);
    p.load(new JsonArray().add(point(1, true, 1)).add(point(2, true, 2)).add(point(3, false, 3)));
    assertThat(p.apply(update(1, true, 9))).isFalse();
    assertThat(p.apply(update(2, true, 9))).isFalse();
    assertThat(p.apply(update(2, false, 9))).isFalse();
    assertThat(p.apply(update(3, false, 3.5))).isTrue();
    assertThat(p.apply(update(3, true, 4))).isTrue();
    assertThat(p.apply(update(3, false, 9))).as("provisional after final").isFalse();
    assertThat(p.apply(update(4, false, 5))).isTrue();
    assertThat(p.newest(10))
        .isEqualTo(
            new JsonArray().add(point(2, true, 2)).add(point(3, true, 4)).add(point(4, false, 5)));
    assertThat(p.newest(1)).isEqualTo(new JsonArray().add(point(4, false, 5)));
    assertThat(p.newest(0)).isEmpty();
  }

  @Test
  void anOlderOpenWindowClosingBehindANewerOneKeepsTimeOrder() {
    AnalysisPoints p = new AnalysisPoints(false, 10);
    p.load(new JsonArray().add(point(1, true, 1)).add(point(2, false, 2)));
    assertThat(p.apply(update(3, false, 3))).isTrue();
    assertThat(p.apply(update(2, true, 2.5))).isTrue();
    assertThat(p.apply(update(3, false, 3.5))).isTrue();
    assertThat(p.newest(10))
        .isEqualTo(
            new JsonArray()
                .add(point(1, true, 1))
                .add(point(2, true, 2.5))
                .add(point(3, false, 3.5)));
  }

  @Test
  void widenPrependsOlderPointsOnly() {
    AnalysisPoints p = new AnalysisPoints(false, 2);
    p.load(new JsonArray().add(point(3, true, 3)).add(point(4, false, 4)));
    p.widen(
        new JsonArray().add(point(1, true, 1)).add(point(2, true, 2)).add(point(3, true, 30)), 4);
    assertThat(p.capacity()).isEqualTo(4);
    assertThat(p.newest(4))
        .isEqualTo(
            new JsonArray()
                .add(point(1, true, 1))
                .add(point(2, true, 2))
                .add(point(3, true, 3))
                .add(point(4, false, 4)));
  }

  @Test
  void patternUpdatesAppendTheirDetections() {
    AnalysisPoints p = new AnalysisPoints(true, 10);
    JsonObject d1 = new JsonObject().put("t", 5L).put("closed", true).put("pattern", "doji");
    p.load(new JsonArray().add(d1));
    JsonObject d2 = new JsonObject().put("t", 7L).put("closed", true).put("pattern", "hammer");
    JsonObject d3 =
        new JsonObject().put("t", 7L).put("closed", true).put("pattern", "breakout_high");
    assertThat(p.apply(new JsonObject().put("t", 5L).put("patterns", new JsonArray().add(d1))))
        .isFalse();
    assertThat(
            p.apply(
                new JsonObject()
                    .put("t", 7L)
                    .put("closed", true)
                    .put("patterns", new JsonArray().add(d2).add(d3))))
        .isTrue();
    assertThat(p.newest(10)).isEqualTo(new JsonArray().add(d1).add(d2).add(d3));
  }

  @Test
  void aPointWithoutTimeIsRejected() {
    AnalysisPoints p = new AnalysisPoints(false, 2);
    assertThatThrownBy(() -> p.apply(new JsonObject().put("value", 1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

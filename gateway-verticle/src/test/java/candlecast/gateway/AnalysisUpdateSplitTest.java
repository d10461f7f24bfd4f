package candlecast.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link AnalysisUpdate#split}: an owner's batch message into per-point updates. */
class AnalysisUpdateSplitTest {
  private static JsonObject head() {
    return new JsonObject().put("symbol", "BTCUSD").put("tf", "1m").put("key", "macd:12:26:9");
  }

  @Test
  void pointsBecomeOneUpdatePerPointInOrderWithTheHeaderFirst() {
    JsonObject a = new JsonObject().put("t", 60_000L).put("closed", true).put("macd", 1.5);
    JsonObject b = new JsonObject().put("t", 120_000L).put("closed", true).put("macd", 2.5);
    JsonObject c = new JsonObject().put("t", 180_000L).put("closed", false).put("macd", 3.5);
    List<JsonObject> got =
        AnalysisUpdate.split(head().put("points", new JsonArray().add(a).add(b).add(c)));
    assertThat(got).hasSize(3);
    JsonObject[] points = {a, b, c};
    for (int i = 0; i < 3; i++) {
      JsonObject expected = head().mergeIn(points[i]);
      assertThat(got.get(i)).isEqualTo(expected);
      // the /ws frame's field order: symbol, tf, key, then the point's
      assertThat(List.copyOf(got.get(i).fieldNames()))
          .containsExactly("symbol", "tf", "key", "t", "closed", "macd");
    }
  }

  @Test
  void detectionsBecomeOneUpdatePerWindow() {
    JsonObject d1 = new JsonObject().put("t", 60_000L).put("pattern", "doji");
    JsonObject d2 = new JsonObject().put("t", 60_000L).put("pattern", "hammer");
    JsonObject d3 = new JsonObject().put("t", 120_000L).put("pattern", "doji");
    JsonObject noTime = new JsonObject().put("pattern", "doji");
    List<JsonObject> got =
        AnalysisUpdate.split(
            head().put("patterns", new JsonArray().add(d1).add(d2).add(noTime).add(d3)));
    assertThat(got)
        .containsExactly(
            head()
                .put("t", 60_000L)
                .put("closed", true)
                .put("patterns", new JsonArray().add(d1).add(d2)),
            head().put("t", 120_000L).put("closed", true).put("patterns", new JsonArray().add(d3)));
  }

  @Test
  void otherBodiesGiveNothing() {
    assertThat(AnalysisUpdate.split(head().put("t", 60_000L).put("closed", true))).isEmpty();
    assertThat(AnalysisUpdate.split(head().put("points", "many"))).isEmpty();
    assertThat(AnalysisUpdate.split(head().put("points", new JsonArray().add(7)))).isEmpty();
    assertThat(AnalysisUpdate.split(head().put("patterns", new JsonArray()))).isEmpty();
  }
}

package candlecast.bench.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StreamLogsTest {
  private static OracleFold.Bar bar(long t, double c) {
    return new OracleFold.Bar(t, c, c, c, c, 1.0, 1);
  }

  @Test
  void seriesCountsDuplicatesTwoValuesAndHoles() {
    SeriesLog s = new SeriesLog("c", "BTCUSD", "1s", 1_000);
    assertThat(s.since()).isNull();
    s.closedCandle(bar(1_000, 1));
    s.closedCandle(bar(2_000, 2));
    assertThat(s.since()).isEqualTo(3_000);
    s.closedCandle(bar(2_000, 2));
    s.closedCandle(bar(2_000, 3));
    s.closedCandle(bar(5_000, 5));
    assertThat(s.duplicates).hasSize(1);
    assertThat(s.twoValues).singleElement().asString().contains("then");
    assertThat(s.holes).singleElement().asString().contains("[3000,5000)");
    assertThat(s.explainedHoles).isEmpty();
  }

  @Test
  void aHoleAfterAnAnnouncedBreakIsExplainedOnlyOnce() {
    SeriesLog s = new SeriesLog("c", "BTCUSD", "1m", 60_000);
    s.closedCandle(bar(0, 1));
    s.streamBreak("recovered:false");
    s.closedCandle(bar(180_000, 1));
    s.closedCandle(bar(300_000, 1));
    assertThat(s.explainedHoles).singleElement().asString().contains("recovered:false");
    assertThat(s.holes).singleElement().asString().contains("[240000,300000)");
  }

  @Test
  void tradeTapeMustBeContiguous() {
    TradeLog t = new TradeLog("c", "BTCUSD");
    t.trade(10);
    t.trade(11);
    t.trade(11);
    t.trade(13);
    t.streamBreak("gap marker");
    t.trade(20);
    t.trade(21);
    assertThat(t.duplicates).hasSize(1);
    assertThat(t.holes).singleElement().asString().contains("(11,13)");
    assertThat(t.explainedHoles).singleElement().asString().contains("(13,20)");
    assertThat(t.lastId).isEqualTo(21);
    assertThat(t.received).isEqualTo(6);
  }
}

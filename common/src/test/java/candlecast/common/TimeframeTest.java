package candlecast.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TimeframeTest {
  @Test
  void parsesAndPrintsEveryLabel() {
    for (Timeframe tf : Timeframe.values()) {
      assertThat(Timeframe.parse(tf.label())).isSameAs(tf);
      assertThat(tf.toString()).isEqualTo(tf.label());
    }
    assertThat(Timeframe.parse("15m").millis()).isEqualTo(900_000L);
    assertThat(Timeframe.parse("4h").seconds()).isEqualTo(14_400L);
    assertThat(Timeframe.parse("1w")).isSameAs(Timeframe.W1);
    assertThat(Timeframe.parse("1M")).isSameAs(Timeframe.MN1);
    assertThat(Timeframe.parse("1m")).isSameAs(Timeframe.M1); // case matters: minutes, not months
  }

  @Test
  void rejectsUnknownLabels() {
    for (String bad :
        new String[] {"", "5M", "2m", "1w ", "m5", "1", "-1s", "1W", "1mo", "1D", "2M", "1y"}) {
      assertThat(Timeframe.tryParse(bad)).as(bad).isNull();
      assertThatThrownBy(() -> Timeframe.parse(bad))
          .hasMessageContaining("unknown timeframe")
          .hasMessageContaining("1s, 1m, 5m, 15m, 1h, 4h, 1d, 1w, 1M");
    }
    assertThat(Timeframe.tryParse(null)).isNull();
  }

  @Test
  void windowsAreUtcAligned() {
    long t = 1_700_000_123_456L; // 2023-11-14T22:15:23.456Z
    assertThat(Timeframe.S1.windowStart(t)).isEqualTo(1_700_000_123_000L);
    assertThat(Timeframe.M1.windowStart(t)).isEqualTo(1_700_000_100_000L);
    assertThat(Timeframe.M5.windowStart(t)).isEqualTo(1_700_000_100_000L);
    assertThat(Timeframe.M15.windowStart(t)).isEqualTo(1_700_000_100_000L); // 22:15Z
    assertThat(Timeframe.H1.windowStart(t)).isEqualTo(1_699_999_200_000L);
    assertThat(Timeframe.H4.windowStart(t)).isEqualTo(1_699_992_000_000L); // 20:00Z
    assertThat(Timeframe.D1.windowStart(t)).isEqualTo(1_699_920_000_000L); // 00:00Z
    assertThat(Timeframe.S1.windowStart(-1)).isEqualTo(-1000L);
  }

  @Test
  void indexIsThePositionInListAndByIndexItsInverse() {
    for (int i = 0; i < Timeframe.COUNT; i++) {
      assertThat(Timeframe.LIST.get(i).index()).isEqualTo(i);
      assertThat(Timeframe.byIndex(i).index()).isEqualTo(i);
    }
    assertThat(Timeframe.S1.index()).isZero();
    assertThat(Timeframe.MN1.index()).isEqualTo(Timeframe.COUNT - 1);
  }
}

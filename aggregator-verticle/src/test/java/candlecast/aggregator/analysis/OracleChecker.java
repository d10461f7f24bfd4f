package candlecast.aggregator.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import candlecast.common.Timeframe;
import candlecast.common.analysis.AnalysisSpec;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Drives the indicators of one timeframe with the candles a real folder emits, as the series owner
 * does (implied flat windows filled as flat candles at the previous close, an update at or before
 * the last committed window ignored), and compares every point with the {@link SeriesOracle}: the
 * provisional one of each open-candle update (evaluated with {@code commit = false}) and the final
 * one of each closed candle.
 */
final class OracleChecker {
  /** Relative tolerance, against max(|expected|, the field's scale) (see SeriesOracle#scale). */
  static final double TOLERANCE = 1e-9;

  private final Timeframe tf;
  private final List<AnalysisSpec> specs;
  private final Indicator[] indicators;
  private final SeriesOracle oracle;
  private final double[] out = new double[3];
  private final int[] definedFinal;
  private final int[] definedProvisional;
  private final Set<Long> sessions = new HashSet<>();
  private long lastIndex = Long.MIN_VALUE;
  private long provisionalIndex = Long.MIN_VALUE;
  private double lastClose;
  int closed;
  int flats;
  int provisionals;
  double maxError;
  private final long started = System.nanoTime();

  OracleChecker(Timeframe tf, List<AnalysisSpec> specs) {
    this.tf = tf;
    this.specs = specs;
    this.indicators = new Indicator[specs.size()];
    for (int i = 0; i < indicators.length; i++) {
      indicators[i] = Studies.create(specs.get(i), tf);
    }
    this.oracle = new SeriesOracle(tf);
    this.definedFinal = new int[specs.size()];
    this.definedProvisional = new int[specs.size()];
  }

  void candle(long openTime, double o, double h, double l, double c, double v, boolean isClosed) {
    long index = tf.windowIndex(openTime);
    if (lastIndex != Long.MIN_VALUE && index <= lastIndex) {
      return;
    }
    if (provisionalIndex != Long.MIN_VALUE && provisionalIndex != index) {
      throw new AssertionError(
          tf + ": open window " + provisionalIndex + " was followed by window " + index);
    }
    if (lastIndex != Long.MIN_VALUE) {
      for (long j = lastIndex + 1; j < index; j++) {
        flats++;
        evaluate(
            tf.windowStartOfIndex(j),
            new double[] {lastClose, lastClose, lastClose, lastClose, 0},
            true);
        lastIndex = j;
      }
    }
    evaluate(openTime, new double[] {o, h, l, c, v}, isClosed);
    if (isClosed) {
      closed++;
      lastIndex = index;
      lastClose = c;
      provisionalIndex = Long.MIN_VALUE;
    } else {
      provisionals++;
      provisionalIndex = index;
    }
  }

  private void evaluate(long openTime, double[] x, boolean commit) {
    oracle.put(openTime, x, !commit);
    sessions.add(Sessions.intraday(tf) ? Sessions.day(openTime) : Sessions.year(openTime));
    for (int i = 0; i < indicators.length; i++) {
      AnalysisSpec spec = specs.get(i);
      boolean defined = indicators[i].apply(openTime, x[0], x[1], x[2], x[3], x[4], commit, out);
      double[] expected = oracle.expected(spec);
      String where =
          tf + " " + spec.key() + " at " + openTime + (commit ? " final" : " provisional");
      assertThat(defined).as(where + " defined").isEqualTo(expected != null);
      if (!defined) {
        continue;
      }
      (commit ? definedFinal : definedProvisional)[i]++;
      double scale = oracle.scale(spec);
      for (int f = 0; f < expected.length; f++) {
        double err = Math.abs(out[f] - expected[f]) / Math.max(Math.abs(expected[f]), scale);
        maxError = Math.max(maxError, err);
        assertThat(err)
            .as("%s %s: %s vs expected %s", where, spec.fields().get(f), out[f], expected[f])
            .isLessThanOrEqualTo(TOLERANCE);
      }
    }
  }

  /** Every spec was compared on final and provisional points; the data had flats and sessions. */
  void assertCovered(int minClosed, boolean withFlats) {
    assertThat(closed).as(tf + " closed candles").isGreaterThanOrEqualTo(minClosed);
    if (withFlats) {
      assertThat(flats).as(tf + " flat windows").isPositive();
    }
    assertThat(provisionals).as(tf + " open-candle updates").isPositive();
    assertThat(sessions.size()).as(tf + " VWAP/OBV sessions").isGreaterThanOrEqualTo(2);
    for (int i = 0; i < specs.size(); i++) {
      assertThat(definedFinal[i]).as(tf + " " + specs.get(i).key() + " final points").isPositive();
      assertThat(definedProvisional[i])
          .as(tf + " " + specs.get(i).key() + " provisional points")
          .isPositive();
    }
  }

  Timeframe timeframe() {
    return tf;
  }

  String summary() {
    return String.format(
        "%s: %d closed (%d flat), %d open-candle updates, max relative error %.2e, %d ms",
        tf, closed, flats, provisionals, maxError, (System.nanoTime() - started) / 1_000_000);
  }
}

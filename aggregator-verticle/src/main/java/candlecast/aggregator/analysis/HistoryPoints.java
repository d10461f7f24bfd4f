package candlecast.aggregator.analysis;

import candlecast.aggregator.SeriesHistory;
import candlecast.common.Candle;
import candlecast.common.Timeframe;
import candlecast.common.analysis.AnalysisSpec;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Computes a series' points from its history (snapshots and queries), with the same anchoring as
 * the live series ({@link AnchoredSeries}), so both give the same values: each point in range is
 * computed by a fresh {@link AnchoredSeries} fed the history's windows (implied flats included)
 * from the anchor of the range's first window on.
 */
final class HistoryPoints {
  private final BiFunction<AnalysisSpec, Timeframe, Indicator> factory;
  private final Detections detections;

  HistoryPoints(BiFunction<AnalysisSpec, Timeframe, Indicator> factory, Detections detections) {
    this.factory = factory;
    this.detections = detections;
  }

  /**
   * The newest {@code limit} points whose time is in [{@code from}, {@code to}], oldest first; the
   * last is the open window's provisional point when it has one. Starts with the last {@code limit}
   * windows of the range and doubles the stretch while points are missing (undefined points and
   * sparse pattern detections), so the cost is about the points returned plus the warm-up.
   */
  List<JsonObject> query(
      SeriesHistory h, Timeframe tf, AnalysisSpec spec, long from, long to, int limit) {
    if (h.count() == 0 || limit == 0) {
      return new ArrayList<>(0);
    }
    long oldest = h.oldestOpenTime();
    long newest = h.newestOpenTime();
    if (to < oldest || from > newest) {
      return new ArrayList<>(0);
    }
    long e = tf.windowIndex(Math.min(to, newest));
    long lo = tf.windowIndex(Math.max(from, oldest));
    if (tf.windowStartOfIndex(lo) < from) {
      lo++;
    }
    long s = Math.max(lo, e - limit + 1);
    while (true) {
      List<JsonObject> points = compute(h, tf, spec, s, e);
      if (points.size() >= limit || s <= lo) {
        return points.size() > limit
            ? new ArrayList<>(points.subList(points.size() - limit, points.size()))
            : points;
      }
      s = Math.max(lo, e - 2 * (e - s + 1) + 1);
    }
  }

  /** The points of windows s..e. */
  private List<JsonObject> compute(
      SeriesHistory h, Timeframe tf, AnalysisSpec spec, long s, long e) {
    AnchoredSeries series = new AnchoredSeries(spec, tf, factory);
    series.firstWindow(h.oldestOpenTime());
    long a = series.anchorIndex(s);
    long startMs = tf.windowStartOfIndex(s);
    List<Candle> candles =
        h.query(
            tf.windowStartOfIndex(a),
            tf.windowStartOfIndex(e),
            (int) Math.min(Integer.MAX_VALUE, e - a + 1));
    List<JsonObject> points = new ArrayList<>();
    boolean patterns = spec.kind() == AnalysisSpec.Kind.PATTERNS;
    for (Candle c : candles) {
      int got =
          series.update(
              c.openTime(), c.open(), c.high(), c.low(), c.close(), c.volume(), c.closed());
      if ((got & AnchoredSeries.CLOSED) != 0 && series.closedTime() >= startMs) {
        if (patterns) {
          for (JsonObject d : detections.of((int) series.closedOut()[0], series.closedSource())) {
            points.add(PointJson.detection(d));
          }
        } else {
          points.add(PointJson.point(series.closedTime(), true, spec.fields(), series.closedOut()));
        }
      }
      if ((got & AnchoredSeries.OPEN) != 0 && series.openTime() >= startMs && !patterns) {
        points.add(PointJson.point(series.openTime(), false, spec.fields(), series.openOut()));
      }
    }
    return points;
  }
}

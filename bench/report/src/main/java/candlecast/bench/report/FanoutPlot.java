package candlecast.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** One fan-out server's latency against offered load, as the PNG the report links (XChart). */
final class FanoutPlot {
  private FanoutPlot() {}

  /** Writes {@code fanout-<name>.png} into {@code plots}: p50/p99/p99.9 against offered load. */
  static void save(JsonNode s, int connections, Path plots) throws IOException {
    List<Double> x = new ArrayList<>();
    List<Double> p50 = new ArrayList<>();
    List<Double> p99 = new ArrayList<>();
    List<Double> p999 = new ArrayList<>();
    List<JsonNode> pts = new ArrayList<>();
    s.path("points").forEach(pts::add);
    pts.sort(
        (a, b) ->
            Double.compare(
                a.path("offeredDeliveriesPerSec").asDouble(),
                b.path("offeredDeliveriesPerSec").asDouble()));
    for (JsonNode p : pts) {
      if (p.path("offeredDeliveriesPerSec").asDouble() <= 0 || p.path("p50Ms").asDouble() <= 0) {
        continue;
      }
      x.add(p.path("offeredDeliveriesPerSec").asDouble() / 1000);
      p50.add(p.path("p50Ms").asDouble());
      p99.add(p.path("p99Ms").asDouble());
      p999.add(p.path("p999Ms").asDouble());
    }
    if (x.isEmpty()) {
      return;
    }
    XYChart c =
        new XYChartBuilder()
            .width(800)
            .height(500)
            .title(
                String.format(
                    Locale.ROOT,
                    "%s: latency vs offered load (%,d connections)",
                    s.path("label").asText(),
                    connections))
            .xAxisTitle("offered deliveries/s (thousands)")
            .yAxisTitle("latency, ms (log scale)")
            .build();
    c.getStyler().setYAxisLogarithmic(true);
    c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
    c.getStyler().setChartBackgroundColor(Color.WHITE);
    c.getStyler().setPlotGridLinesVisible(true);
    add(c, "p50", x, p50, new Color(0x1f77b4));
    add(c, "p99", x, p99, new Color(0xff7f0e));
    add(c, "p99.9", x, p999, new Color(0xd62728));
    BitmapEncoder.saveBitmap(
        c,
        plots.resolve("fanout-" + s.path("name").asText() + ".png").toString(),
        BitmapEncoder.BitmapFormat.PNG);
  }

  private static void add(XYChart c, String name, List<Double> x, List<Double> y, Color color) {
    XYSeries s = c.addSeries(name, x, y);
    s.setMarker(SeriesMarkers.CIRCLE);
    s.setLineColor(color);
    s.setMarkerColor(color);
    s.setLineStyle(new BasicStroke(2f));
  }
}

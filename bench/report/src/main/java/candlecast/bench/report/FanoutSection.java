package candlecast.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;
import java.util.Locale;

/**
 * Section 3 of the report: one gateway against Node {@code ws} and Socket.IO (fanout.json): the
 * table per server, the saturation ratio, the plots and the fan-out targets.
 */
final class FanoutSection {
  private final Report r;

  FanoutSection(Report r) {
    this.r = r;
  }

  void write() throws IOException {
    JsonNode j = r.read("fanout.json");
    r.line("#### 3. Fan-out: one gateway vs a Node `ws` server and a Socket.IO server");
    r.line("");
    if (j == null) {
      r.line("_not run_");
      r.line("");
      return;
    }
    if (j.has("description")) {
      r.line(j.path("description").asText());
      r.line("");
    }
    r.line(
        "| server | saturation deliveries/s | at 25 % p50 / p99 / p99.9 ms | at 50 % | at 75 % | CPU s per M "
            + "deliveries (at 75 %) | memory per idle connection |");
    r.line("|---|---:|---:|---:|---:|---:|---:|");
    double ours = 0;
    double bestPeer = 0;
    String bestPeerName = "";
    double ourP99 = Double.NaN;
    double ourMem = Double.NaN;
    for (JsonNode s : j.path("servers")) {
      String name = s.path("name").asText();
      double sat = s.path("saturation").path("deliveriesPerSec").asDouble();
      StringBuilder row =
          new StringBuilder("| " + s.path("label").asText(name) + " | " + Report.si(sat));
      String cpu = "n/a";
      for (String level : List.of("25%", "50%", "75%")) {
        JsonNode p = point(s, level);
        if (p == null) {
          row.append(" | n/a");
          continue;
        }
        row.append(
            String.format(
                Locale.ROOT,
                " | %.1f / %.1f / %.1f",
                p.path("p50Ms").asDouble(),
                p.path("p99Ms").asDouble(),
                p.path("p999Ms").asDouble()));
        if (level.equals("75%")) {
          cpu =
              String.format(
                  Locale.ROOT,
                  "%.2f (server %.0f %%, load generator %.0f %% CPU)",
                  p.path("cpuSecondsPerMillion").asDouble(),
                  p.path("serverCpuPercent").asDouble(),
                  p.path("loadgenCpuPercent").asDouble());
        }
      }
      JsonNode idle = s.path("idle");
      String mem =
          idle.isMissingNode()
              ? "n/a"
              : String.format(
                  Locale.ROOT,
                  "%s heap, %s RSS",
                  Report.bytes(idle.path("heapPerConnectionBytes").asDouble()),
                  Report.bytes(idle.path("rssPerConnectionBytes").asDouble()));
      row.append(" | ").append(cpu).append(" | ").append(mem).append(" |");
      r.line(row.toString());
      if (name.equals("candlecast")) {
        ours = sat;
        JsonNode p = point(s, "broadcast");
        ourP99 = p != null ? p.path("p99Ms").asDouble() : Double.NaN;
        ourMem = idle.path("heapPerConnectionBytes").asDouble(Double.NaN);
      } else if (sat > bestPeer) {
        bestPeer = sat;
        bestPeerName = s.path("label").asText(name);
      }
      FanoutPlot.save(s, j.path("connections").asInt(), r.plots);
    }
    r.line("");
    if (bestPeer > 0) {
      r.line(
          String.format(
              Locale.ROOT,
              "Ratio of saturation deliveries/s, Candlecast / best peer (%s): **%.2f×**.",
              bestPeerName,
              ours / bestPeer));
      r.line("");
    }
    for (JsonNode s : j.path("servers")) {
      String file = "fanout-" + s.path("name").asText() + ".png";
      r.line(
          "!["
              + s.path("label").asText()
              + ": latency vs offered load]("
              + r.linkPrefix
              + file
              + ")");
    }
    r.line("");
    if (bestPeer > 0) {
      r.target(
          "Fan-out ≥ 1.5× the best peer's deliveries/s",
          String.format(Locale.ROOT, "%.2f×", ours / bestPeer),
          ours / bestPeer >= 1.5);
    }
    r.target("Fan-out ≥ 250,000 deliveries/s", Report.si(ours) + "/s", ours >= 250_000);
    if (!Double.isNaN(ourP99)) {
      r.target(
          "Broadcast to 10,000 clients with p99 ≤ 40 ms",
          String.format(Locale.ROOT, "p99 %.1f ms", ourP99),
          ourP99 <= 40);
    }
    if (!Double.isNaN(ourMem)) {
      r.target("≤ 10 KiB per idle connection", Report.bytes(ourMem) + " heap", ourMem <= 10 * 1024);
    }
  }

  private static JsonNode point(JsonNode server, String level) {
    for (JsonNode p : server.path("points")) {
      if (level.equals(p.path("level").asText())) {
        return p;
      }
    }
    return null;
  }
}

package candlecast.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Locale;

/**
 * Section 4 of the report: end-to-end latency (e2e.json): the table per offered rate, the p99
 * target, and the path in legs when the run measured them.
 */
final class E2eSection {
  private final Report r;

  E2eSection(Report r) {
    this.r = r;
  }

  void write() throws IOException {
    JsonNode j = r.read("e2e.json");
    r.line(
        "#### 4. End to end: mock feed → Kafka → aggregator → event bus → gateway → WebSocket client");
    r.line("");
    if (j == null) {
      r.line("_not run_");
      r.line("");
      return;
    }
    r.line(
        "Latency = client receipt − Kafka record timestamp of the newest trade folded into the received 1s candle "
            + "update (open updates only), "
            + j.path("seconds").asInt()
            + " s measured after "
            + j.path("warmupSeconds").asInt()
            + " s of warm-up, "
            + j.path("symbols").asInt()
            + " symbols, single-node jar.");
    r.line("");
    r.line(
        "| offered trades/s | achieved | updates measured | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | node CPU |");
    r.line("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (JsonNode run : j.path("runs")) {
      JsonNode l = run.path("latencyMs");
      r.line(
          String.format(
              Locale.ROOT,
              "| %,d | %,d | %,d | %.2f | %.2f | %.2f | %.2f | %.2f | %.0f %% |",
              run.path("offeredTradesPerSec").asLong(),
              run.path("achievedTradesPerSec").asLong(),
              l.path("count").asLong(),
              l.path("p50").asDouble(),
              l.path("p90").asDouble(),
              l.path("p99").asDouble(),
              l.path("p99.9").asDouble(),
              l.path("max").asDouble(),
              run.path("nodeCpuPercent").asDouble()));
      if (run.path("offeredTradesPerSec").asLong() == 10_000) {
        r.target(
            "End to end p99 ≤ 5 ms at 10,000 trades/s",
            String.format(Locale.ROOT, "p99 %.2f ms", l.path("p99").asDouble()),
            l.path("p99").asDouble() <= 5);
      }
    }
    r.line("");
    legs(j);
  }

  /** The path in legs (runs of bench/e2e that measured them), each from the trade's timestamp. */
  private void legs(JsonNode j) {
    boolean any = false;
    for (JsonNode run : j.path("runs")) {
      JsonNode legs = run.path("legsMs");
      if (legs.isMissingNode()) {
        continue;
      }
      if (!any) {
        r.line(
            "Legs, p50 / p99 ms from the trade's record timestamp: appended (a read_uncommitted reader"
                + " sees it), committed (a read_committed reader), candle written (the 1s candle's"
                + " record timestamp in `candles`), and candle → client.");
        r.line("");
        r.line("| offered trades/s | appended | committed | candle written | candle → client |");
        r.line("|---:|---:|---:|---:|---:|");
        any = true;
      }
      StringBuilder row = new StringBuilder();
      row.append(String.format(Locale.ROOT, "| %,d |", run.path("offeredTradesPerSec").asLong()));
      for (String leg : new String[] {"appended", "committed", "candleWritten", "candleToClient"}) {
        JsonNode x = legs.path(leg);
        row.append(
            String.format(
                Locale.ROOT, " %.2f / %.2f |", x.path("p50").asDouble(), x.path("p99").asDouble()));
      }
      r.line(row.toString());
    }
    if (any) {
      r.line("");
    }
  }
}

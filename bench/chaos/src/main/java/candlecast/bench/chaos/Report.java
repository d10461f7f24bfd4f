package candlecast.bench.chaos;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The run's report: {@code report.json}, {@code report.md} and the timeline {@code timeline.svg}.
 */
final class Report {
  private Report() {}

  static JsonObject json(
      JsonObject params,
      List<Fault> faults,
      Checker checker,
      Latency lat,
      Fleet fleet,
      List<String> nemesisViolations,
      long t0) {
    JsonObject j = new JsonObject().put("params", params);
    JsonArray fs = new JsonArray();
    Map<String, List<Long>> byKind = new TreeMap<>();
    for (Fault f : faults) {
      fs.add(
          new JsonObject()
              .put("kind", f.kind.name())
              .put("target", f.target)
              .put("startS", (f.startMs - t0) / 1000.0)
              .put("healedS", (f.healedMs - t0) / 1000.0)
              .put("recoveryMs", f.recoveryMs())
              .put("note", f.note));
      byKind.computeIfAbsent(f.kind.name(), k -> new ArrayList<>()).add(f.recoveryMs());
    }
    JsonObject kinds = new JsonObject();
    byKind.forEach(
        (k, v) ->
            kinds.put(
                k,
                new JsonObject()
                    .put("count", v.size())
                    .put("recoveryP50Ms", Latency.percentile(v, 50))
                    .put("recoveryMaxMs", Latency.percentile(v, 100))));
    List<String> violations = new ArrayList<>(nemesisViolations);
    violations.addAll(checker.violations);
    Map<String, Long> reasons = new TreeMap<>();
    for (String e : checker.explained) {
      reasons.merge(e.substring(e.lastIndexOf('(') + 1, e.length() - 1), 1L, Long::sum);
    }
    return j.put("faults", fs)
        .put("faultsByKind", kinds)
        .put(
            "latencyMs",
            new JsonObject()
                .put("duringFaults", percentiles(lat.during))
                .put("outsideFaults", percentiles(lat.outside)))
        .put("counts", new JsonObject(new TreeMap<>(checker.counts)))
        .put("protocolErrors", new JsonObject(new TreeMap<>(fleet.record.errorCounts())))
        .put("protocolErrorSamples", new JsonObject(new TreeMap<>(fleet.record.errorSamples())))
        .put("recoveredFalse", fleet.record.notRecovered().size())
        .put("recoveredFalseSamples", sample(fleet.record.notRecovered()))
        .put("resubscribes", fleet.record.resubscribes())
        .put("reconnects", fleet.ws.stream().mapToInt(c -> c.reconnects).sum())
        .put("explainedBreaks", new JsonObject(new TreeMap<>(reasons)))
        .put("explainedBreakSamples", sample(checker.explained))
        .put("violationCount", violations.size())
        .put("violations", new JsonArray(violations));
  }

  private static JsonArray sample(List<String> l) {
    return new JsonArray(l.subList(0, Math.min(20, l.size())));
  }

  private static JsonObject percentiles(List<Long> v) {
    return new JsonObject()
        .put("samples", v.size())
        .put("p50", Latency.percentile(v, 50))
        .put("p99", Latency.percentile(v, 99))
        .put("max", Latency.percentile(v, 100));
  }

  static String markdown(JsonObject r) {
    StringBuilder md = new StringBuilder("# Chaos run\n\n");
    JsonObject p = r.getJsonObject("params");
    md.append("Parameters: `").append(p.encode()).append("`\n\n");
    md.append("**Violations: ").append(r.getInteger("violationCount")).append("**\n\n");
    md.append("| fault | count | recovery p50 ms | recovery max ms |\n|---|---|---|---|\n");
    r.getJsonObject("faultsByKind")
        .forEach(
            e -> {
              JsonObject k = (JsonObject) e.getValue();
              md.append("| ")
                  .append(e.getKey())
                  .append(" | ")
                  .append(k.getInteger("count"))
                  .append(" | ")
                  .append(k.getLong("recoveryP50Ms"))
                  .append(" | ")
                  .append(k.getLong("recoveryMaxMs"))
                  .append(" |\n");
            });
    JsonObject lat = r.getJsonObject("latencyMs");
    md.append(
        "\n| client latency (live trades) | samples | p50 ms | p99 ms | max ms |\n|---|---|---|---|---|\n");
    for (String k : List.of("duringFaults", "outsideFaults")) {
      JsonObject l = lat.getJsonObject(k);
      md.append("| ")
          .append(k)
          .append(" | ")
          .append(l.getInteger("samples"))
          .append(" | ")
          .append(l.getLong("p50"))
          .append(" | ")
          .append(l.getLong("p99"))
          .append(" | ")
          .append(l.getLong("max"))
          .append(" |\n");
    }
    md.append(
        "\n## Faults (schedule)\n\n| start s | kind | target | healed s | recovery ms | note |\n|---|---|---|---|---|---|\n");
    for (Object o : r.getJsonArray("faults")) {
      JsonObject f = (JsonObject) o;
      md.append("| ")
          .append(f.getDouble("startS"))
          .append(" | ")
          .append(f.getString("kind"))
          .append(" | ")
          .append(f.getString("target"))
          .append(" | ")
          .append(f.getDouble("healedS"))
          .append(" | ")
          .append(f.getLong("recoveryMs"))
          .append(" | ")
          .append(f.getString("note"))
          .append(" |\n");
    }
    md.append("\n## Counts\n\n```\n")
        .append(r.getJsonObject("counts").encodePrettily())
        .append("\n```\n\nProtocol errors: `")
        .append(r.getJsonObject("protocolErrors").encode())
        .append("`; `recovered:false`: ")
        .append(r.getInteger("recoveredFalse"))
        .append("; explained breaks: `")
        .append(r.getJsonObject("explainedBreaks").encode())
        .append("`; resubscribes: ")
        .append(r.getLong("resubscribes"))
        .append("; reconnects: ")
        .append(r.getInteger("reconnects"))
        .append("\n\n## Violations\n\n");
    for (Object v : r.getJsonArray("violations")) {
      md.append("- ").append(v).append('\n');
    }
    return md.toString();
  }

  /** Members as rows, faults as bars (colour by kind), the p99 latency per 10 s below. */
  static String svg(List<String> members, List<Fault> faults, Latency lat, long t0, long end) {
    int w = 1200;
    int left = 110;
    int row = 18;
    int chartTop = members.size() * row + 30;
    int h = chartTop + 140;
    double span = Math.max(1, end - t0);
    StringBuilder s = new StringBuilder();
    s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"")
        .append(w)
        .append("\" height=\"")
        .append(h)
        .append("\" font-family=\"monospace\" font-size=\"11\">\n");
    s.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
    for (int i = 0; i < members.size(); i++) {
      s.append("<text x=\"4\" y=\"")
          .append(20 + i * row)
          .append("\">")
          .append(members.get(i))
          .append("</text>\n");
    }
    Map<Fault.Kind, String> colour =
        Map.of(
            Fault.Kind.KILL,
            "#d62728",
            Fault.Kind.PAUSE,
            "#ff7f0e",
            Fault.Kind.RESTART,
            "#1f77b4",
            Fault.Kind.CUT,
            "#9467bd");
    for (Fault f : faults) {
      int i = members.indexOf(f.target);
      double x0 = left + (f.startMs - t0) / span * (w - left - 10);
      double x1 = left + ((f.healedMs < 0 ? end : f.healedMs) - t0) / span * (w - left - 10);
      double x2 = left + ((f.recoveredMs < 0 ? end : f.recoveredMs) - t0) / span * (w - left - 10);
      s.append(
          String.format(
              "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"12\" fill=\"%s\"><title>%s</title></rect>%n",
              x0, 10 + i * row, Math.max(2, x1 - x0), colour.get(f.kind), f));
      s.append(
          String.format(
              "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"12\" fill=\"%s\" opacity=\"0.3\"/>%n",
              x1, 10 + i * row, Math.max(0, x2 - x1), colour.get(f.kind)));
    }
    long maxP99 = 1;
    for (List<Long> b : lat.buckets.values()) {
      maxP99 = Math.max(maxP99, Latency.percentile(b, 99));
    }
    s.append("<text x=\"4\" y=\"")
        .append(chartTop + 10)
        .append("\">p99 ms (max ")
        .append(maxP99)
        .append(")</text>\n<polyline fill=\"none\" stroke=\"black\" points=\"");
    for (Map.Entry<Long, List<Long>> e : lat.buckets.entrySet()) {
      double x = left + (e.getKey() * 10_000 + 5_000) / span * (w - left - 10);
      double y = chartTop + 120 - 100.0 * Latency.percentile(e.getValue(), 99) / maxP99;
      s.append(String.format("%.1f,%.1f ", x, y));
    }
    s.append("\"/>\n<text x=\"")
        .append(left)
        .append("\" y=\"")
        .append(h - 4)
        .append("\">0 s</text><text x=\"")
        .append(w - 60)
        .append("\" y=\"")
        .append(h - 4)
        .append("\">")
        .append((end - t0) / 1000)
        .append(" s</text>\n</svg>\n");
    return s.toString();
  }

  static void write(Path dir, JsonObject r, String svg) throws IOException {
    Files.writeString(dir.resolve("report.json"), r.encodePrettily());
    Files.writeString(dir.resolve("report.md"), markdown(r));
    Files.writeString(dir.resolve("timeline.svg"), svg);
  }
}

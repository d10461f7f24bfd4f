package candlecast.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** One run's figures of {@link AnalysisThroughput}, and how they are printed and summarised. */
record AnalysisResult(
    boolean on,
    double producedSecs,
    double committedSecs,
    double doneSecs,
    long updates,
    long points,
    long renewals,
    long renewFailures,
    String loadBefore,
    String loadAfter) {

  /** The load averages (1, 5, 15 min) from /proc/loadavg. */
  static String load() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ", -1);
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException e) {
      return "n/a";
    }
  }

  static AnalysisResult report(int n, AnalysisResult r) {
    System.out.printf(
        "RESULT %-3s %,d trades: done in %.2f s = %,.0f trades/s; committed in %.2f s = %,.0f"
            + " trades/s; produced in %.2f s; analysis messages %,d points %,d (renewals %,d ok, %,d"
            + " failed);"
            + " load %s -> %s%n",
        r.on() ? "on" : "off",
        n,
        r.doneSecs(),
        n / r.doneSecs(),
        r.committedSecs(),
        n / r.committedSecs(),
        r.producedSecs(),
        r.updates(),
        r.points(),
        r.renewals(),
        r.renewFailures(),
        r.loadBefore(),
        r.loadAfter());
    return r;
  }

  static void summary(int n, List<AnalysisResult> offs, List<AnalysisResult> ons) {
    double off = median(offs, AnalysisResult::doneSecs);
    double on = median(ons, AnalysisResult::doneSecs);
    double offC = median(offs, AnalysisResult::committedSecs);
    double onC = median(ons, AnalysisResult::committedSecs);
    double ratio = off / on;
    System.out.printf(
        "RESULT median off %,.0f trades/s, on %,.0f trades/s (done); ratio on/off %.3f: analysis"
            + " costs %.1f %% of throughput (target < 15 %%); committed: off %,.0f, on %,.0f trades/s,"
            + " ratio %.3f (%.1f %%); %d round(s) of %,d trades%n",
        n / off,
        n / on,
        ratio,
        (1 - ratio) * 100,
        n / offC,
        n / onC,
        offC / onC,
        (1 - offC / onC) * 100,
        offs.size(),
        n);
  }

  static double median(List<AnalysisResult> rs, ToDoubleFunction<AnalysisResult> f) {
    double[] v = rs.stream().mapToDouble(f).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }
}

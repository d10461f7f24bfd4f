package candlecast.bench.cluster;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * Checks the harness's own arithmetic and parsing before a run ({@code run.sh} runs it first; exit 1 on a failure):
 * the least-squares slope against points built from a known slope with noise that cancels, the READY-line parser,
 * and the argument parser's refusals.
 */
public final class SelfCheck {
  private SelfCheck() {}

  public static void main(String[] args) {
    int failures = 0;
    failures += slopeRecoversAKnownSlope();
    failures += readyFieldsParse();
    failures += argumentsAreChecked();
    if (failures > 0) {
      System.out.println("SELFCHECK FAILED: " + failures);
      System.exit(1);
    }
    System.out.println("selfcheck ok");
  }

  /** y = a x + b + e with e = (+d, -d, 0, -d, +d): its weighted sum around the mean x is 0, so the fit is a. */
  static int slopeRecoversAKnownSlope() {
    double a = 7953.25;
    double b = 48_546_816;
    long[] noise = {400_000, -400_000, 0, -400_000, 400_000};
    JsonArray pts = new JsonArray();
    for (int i = 0; i < noise.length; i++) {
      long x = i * 2500L;
      pts.add(new JsonObject().put("connections", x).put("v", Math.round(a * x + b) + noise[i]));
    }
    double got = GatewayMemory.slope(pts, "v");
    return check(Math.abs(got - a) < 0.01, "slope " + got + " != " + a);
  }

  static int readyFieldsParse() {
    String line = "READY n2s1 joinMs=2823 registerMs=2864 heapBase=6610152";
    return check(Jvm.field(line, "registerMs") == 2864 && Jvm.field(line, "heapBase") == 6610152,
        "READY fields misread");
  }

  static int argumentsAreChecked() {
    int f = 0;
    f += refuses(new String[] {"--ns", "1,2"}, "--out DIR is required");
    f += refuses(new String[] {"--out"}, "expected --key value, got: --out");
    f += refuses(new String[] {"out", "x"}, "expected --key value, got: out");
    Map<String, String> ok = Args.parse(new String[] {"--out", "/tmp/x", "--ns", "4"});
    f += check("4".equals(ok.get("ns")) && "/tmp/x".equals(ok.get("out")), "arguments misread: " + ok);
    return f;
  }

  private static int refuses(String[] args, String message) {
    try {
      Args.parse(args);
      return check(false, "accepted " + String.join(" ", args));
    } catch (IllegalArgumentException e) {
      return check(message.equals(e.getMessage()), "wrong refusal: " + e.getMessage());
    }
  }

  private static int check(boolean ok, String what) {
    if (!ok) {
      System.out.println("selfcheck: " + what);
    }
    return ok ? 0 : 1;
  }
}

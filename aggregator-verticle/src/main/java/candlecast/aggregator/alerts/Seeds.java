package candlecast.aggregator.alerts;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Reads an alert record's {@code seed}: {@code [[openTime,o,h,l,c,v],…]}, oldest first. */
final class Seeds {
  private Seeds() {}

  /**
   * Visits each well-formed seed window in order (malformed entries are skipped: the seed only
   * warms up history).
   */
  static void forEach(JsonObject record, WindowSource.Visitor v) {
    Object seed = record.getValue("seed");
    if (!(seed instanceof JsonArray arr)) {
      return;
    }
    for (int i = 0; i < arr.size(); i++) {
      if (!(arr.getValue(i) instanceof JsonArray w) || w.size() < 6) {
        continue;
      }
      if (!(w.getValue(0) instanceof Number t)) {
        continue;
      }
      double[] x = new double[5];
      boolean ok = true;
      for (int j = 0; j < 5 && ok; j++) {
        ok = w.getValue(j + 1) instanceof Number n && Double.isFinite(n.doubleValue());
        x[j] = ok ? w.getDouble(j + 1) : 0;
      }
      if (ok) {
        v.window(t.longValue(), x[0], x[1], x[2], x[3], x[4], true);
      }
    }
  }
}

package candlecast.client;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

/** The timeframe labels and the open time of the window after a given one. */
final class Timeframes {
  private static final Map<String, Long> FIXED =
      Map.of(
          "1s", 1_000L,
          "1m", 60_000L,
          "5m", 300_000L,
          "15m", 900_000L,
          "1h", 3_600_000L,
          "4h", 14_400_000L,
          "1d", 86_400_000L,
          "1w", 604_800_000L);

  private Timeframes() {}

  static boolean known(String tf) {
    return FIXED.containsKey(tf) || "1M".equals(tf);
  }

  /** The open time of the window following the one opening at {@code t}. */
  static long next(String tf, long t) {
    Long ms = FIXED.get(tf);
    if (ms != null) {
      return t + ms;
    }
    if ("1M".equals(tf)) {
      return Instant.ofEpochMilli(t)
          .atZone(ZoneOffset.UTC)
          .plusMonths(1)
          .toInstant()
          .toEpochMilli();
    }
    throw new IllegalArgumentException("unknown timeframe '" + tf + "'");
  }
}

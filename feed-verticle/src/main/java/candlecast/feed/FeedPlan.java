package candlecast.feed;

import candlecast.common.config.CandlecastConfig;
import candlecast.common.config.Settings;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The feed's source selection: which source produces which symbols, and the group they form. */
final class FeedPlan {
  private FeedPlan() {}

  /**
   * Which source produces which symbols: {@code feed.source} gets {@code feed.symbols}; the mock
   * gets {@code mock.symbols} if set (alongside bitstamp or replay), else {@code feed.symbols} when
   * it is the source.
   *
   * @throws IllegalArgumentException for a configuration that cannot work, with the reason
   */
  static Map<String, List<String>> of(CandlecastConfig config) {
    String main = config.get(Settings.FEED_SOURCE);
    List<String> symbols = config.get(Settings.FEED_SYMBOLS);
    List<String> mockSymbols = config.get(Settings.MOCK_SYMBOLS);
    Map<String, List<String>> plan = new LinkedHashMap<>();
    if ("mock".equals(main)) {
      plan.put("mock", mockSymbols.isEmpty() ? symbols : mockSymbols);
    } else {
      plan.put(main, symbols);
      if (!mockSymbols.isEmpty()) {
        Set<String> overlap = new LinkedHashSet<>(mockSymbols);
        overlap.retainAll(symbols);
        if (!overlap.isEmpty()) {
          throw new IllegalArgumentException(
              "feed: "
                  + overlap
                  + " in both feed.symbols ("
                  + main
                  + ") and "
                  + "mock.symbols; each symbol must come from one source");
        }
        plan.put("mock", mockSymbols);
      }
    }
    if ("replay".equals(main) && config.get(Settings.REPLAY_FILE).isBlank()) {
      throw new IllegalArgumentException(
          "feed: feed.source is replay but no file is set "
              + "(CANDLECAST_REPLAY_FILE / replay.file)");
    }
    if ("bitstamp".equals(main) && symbols.size() > BitstampProtocol.MAX_CHANNELS) {
      throw new IllegalArgumentException(
          "feed: "
              + symbols.size()
              + " symbols for bitstamp, but one connection "
              + "carries at most "
              + BitstampProtocol.MAX_CHANNELS
              + " channels");
    }
    if (config.get(Settings.BITSTAMP_BACKOFF_MAX_MS)
        < config.get(Settings.BITSTAMP_BACKOFF_MIN_MS)) {
      throw new IllegalArgumentException(
          "feed: bitstamp.backoff-max-ms must be >= bitstamp.backoff-min-ms");
    }
    return plan;
  }

  /**
   * The group name: {@code feed.group}, or one derived from the plan (sources and symbols), so that
   * replicas with the same configuration form one group while feeds of other symbols write side by
   * side.
   */
  static String group(CandlecastConfig config, Map<String, List<String>> plan) {
    String configured = config.get(Settings.FEED_GROUP);
    if (!configured.isEmpty()) {
      return configured;
    }
    StringBuilder b = new StringBuilder();
    plan.forEach(
        (source, symbols) ->
            b.append(b.length() == 0 ? "" : ".")
                .append(source)
                .append('-')
                .append(String.join("-", symbols.stream().sorted().toList())));
    if (b.length() <= 80) {
      return b.toString();
    }
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(b.toString().getBytes(StandardCharsets.UTF_8));
      return String.join("-", plan.keySet()) + "-" + HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

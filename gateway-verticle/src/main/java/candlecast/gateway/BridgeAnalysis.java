package candlecast.gateway;

import candlecast.common.Symbols;
import candlecast.common.Timeframe;
import candlecast.common.analysis.AnalysisSpec;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.handler.sockjs.BridgeEvent;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SockJS bridge's analysis part (issue 16), used by {@link BridgeGuard}: registering {@code
 * analysis.<SYMBOL>.<tf>.<key>} (canonical key) acquires the series through the node's {@link
 * AnalysisFeed} (the registration is refused when that fails), unregistering or closing the socket
 * releases it; a {@code send} to {@code candlecast.analysis} is validated and normalised into a
 * {@code query} (the snapshot comes back as the reply). Event-loop confined.
 */
final class BridgeAnalysis {
  public static final String OUTBOUND_ANALYSIS_REGEX =
      "analysis\\.[A-Z0-9]{2,20}\\.(1s|1m|5m|15m|1h|4h|1d|1w|1M)\\.[a-z]+(:[0-9.]+)*";
  private static final Pattern ADDRESS =
      Pattern.compile("analysis\\.([A-Z0-9]{2,20})\\.(1s|1m|5m|15m|1h|4h|1d|1w|1M)\\.(.+)");

  private final Supplier<AnalysisFeed> feed;

  /** Per socket (any object identifying it): address → lease (null while it is acquired). */
  private final Map<Object, Map<String, AnalysisFeed.Lease>> leases = new HashMap<>();

  BridgeAnalysis(Supplier<AnalysisFeed> feed) {
    this.feed = feed;
  }

  static boolean isAnalysisAddress(String address) {
    return address != null && address.startsWith("analysis.");
  }

  /**
   * A registration of an analysis address: completes the event once the series is acquired (true)
   * or could not be (false: the client gets {@code rejected}). {@code onRefused} undoes the
   * caller's bookkeeping.
   */
  void register(Object socket, String address, BridgeEvent event, Runnable onRefused) {
    Matcher m = ADDRESS.matcher(address);
    AnalysisSpec spec = null;
    if (m.matches() && address.matches(OUTBOUND_ANALYSIS_REGEX)) {
      try {
        spec = AnalysisSpec.fromKey(m.group(3));
      } catch (IllegalArgumentException e) {
        spec = null;
      }
    }
    AnalysisFeed f = feed.get();
    if (spec == null || f == null) {
      onRefused.run();
      event.complete(false);
      return;
    }
    Map<String, AnalysisFeed.Lease> mine = leases.computeIfAbsent(socket, s -> new HashMap<>(4));
    mine.put(address, null);
    f.acquire(m.group(1), Timeframe.parse(m.group(2)), spec, 0, u -> {})
        .onComplete(
            ar -> {
              Map<String, AnalysisFeed.Lease> now = leases.get(socket);
              boolean wanted = now != null && now.containsKey(address) && now.get(address) == null;
              if (ar.failed()) {
                if (wanted) {
                  now.remove(address);
                }
                onRefused.run();
                event.complete(false);
                return;
              }
              if (!wanted) {
                ar.result().close(); // unregistered or closed meanwhile
                event.complete(false);
                return;
              }
              now.put(address, ar.result());
              event.complete(true);
            });
  }

  /** An unregistration (or the bridge's own on close): releases the series. */
  void unregister(Object socket, String address) {
    Map<String, AnalysisFeed.Lease> mine = leases.get(socket);
    if (mine != null) {
      AnalysisFeed.Lease l = mine.remove(address);
      if (l != null) {
        l.close();
      }
      if (mine.isEmpty()) {
        leases.remove(socket);
      }
    }
  }

  /** The socket closed: every series it held is released. */
  void closed(Object socket) {
    Map<String, AnalysisFeed.Lease> mine = leases.remove(socket);
    if (mine != null) {
      for (AnalysisFeed.Lease l : mine.values()) {
        if (l != null) {
          l.close();
        }
      }
    }
  }

  /**
   * The body of a {@code send} to {@code candlecast.analysis} as the owner's {@code query}: {@code
   * {symbol, tf, name, params, limit?}} validated and normalised; null when invalid.
   */
  static JsonObject query(JsonObject body) {
    String symbol = body.getValue("symbol") instanceof String s ? Symbols.normalize(s) : null;
    Timeframe tf = body.getValue("tf") instanceof String s ? Timeframe.tryParse(s) : null;
    Object params = body.getValue("params");
    if (symbol == null
        || tf == null
        || !(body.getValue("name") instanceof String name)
        || (params != null && !(params instanceof JsonObject))) {
      return null;
    }
    AnalysisSpec spec;
    try {
      spec = AnalysisSpec.parse(name, params == null ? null : ((JsonObject) params).getMap());
    } catch (IllegalArgumentException e) {
      return null;
    }
    int limit = AnalysisHub.DEFAULT_LIMIT;
    if (body.getValue("limit") != null) {
      Long v = JsonCommandParser.wholeNumber(body.getValue("limit"));
      if (v == null || v < 1 || v > AnalysisHub.MAX_LIMIT) {
        return null;
      }
      limit = v.intValue();
    }
    return new JsonObject()
        .put("op", "query")
        .put("symbol", symbol)
        .put("tf", tf.label())
        .put("name", spec.kind().wire())
        .put("params", AnalysisHub.paramsJson(spec))
        .put("limit", limit);
  }
}

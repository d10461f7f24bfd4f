import candlecast.client.AlertFire;
import candlecast.client.CandlecastClient;
import candlecast.client.IndicatorPoint;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * A bot skeleton: follows RSI(14) on 1m candles and an alert (a 1 % move up within 5 minutes), and decides.
 * Subscriptions survive reconnects; fires are delivered once.
 *
 * <pre>
 * java -cp 'clients/java/target/candlecast-client.jar:clients/java/target/lib/*' \
 *   clients/java/examples/BotSkeleton.java http://localhost:8080 BTCUSD [JWT]
 * </pre>
 */
public final class BotSkeleton {
  private BotSkeleton() {}

  public static void main(String[] args) throws Exception {
    String url = args.length > 0 ? args[0] : "http://localhost:8080";
    String symbol = args.length > 1 ? args[1] : "BTCUSD";
    CandlecastClient.Builder b = CandlecastClient.builder(url).owner("bot");
    if (args.length > 2) {
      b.token(args[2]);
    }
    try (CandlecastClient client = b.build()) {
      client.indicator(
          symbol,
          "1m",
          "rsi",
          Map.of("period", 14),
          100,
          (IndicatorPoint p) -> {
            if (!p.closed()) {
              return;
            }
            double rsi = p.values().get("value");
            if (rsi < 30) {
              System.out.printf("%tT RSI %.1f: oversold, consider buying%n", p.t(), rsi);
            } else if (rsi > 70) {
              System.out.printf("%tT RSI %.1f: overbought, consider selling%n", p.t(), rsi);
            }
          });
      client.alerts(
          System.currentTimeMillis(),
          (AlertFire f) -> System.out.printf("alert %s fired: %s %s value=%s%n", f.alert(), f.symbol(), f.kind(), f.value()));
      JsonNode alert =
          client
              .createAlert(
                  Map.of(
                      "symbol", symbol,
                      "condition", Map.of("kind", "move_up", "pct", 1, "window", "5m"),
                      "mode", "rearm",
                      "note", "bot skeleton"))
              .get();
      System.out.println("created alert " + alert.get("id").asText());
      Thread.currentThread().join();
    }
  }
}

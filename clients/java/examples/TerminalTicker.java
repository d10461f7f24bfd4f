import candlecast.client.CandlecastClient;
import candlecast.client.Ticker;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A tiny terminal ticker: one line per symbol, redrawn on every change.
 *
 * <pre>
 * java -cp 'clients/java/target/candlecast-client.jar:clients/java/target/lib/*' \
 *   clients/java/examples/TerminalTicker.java http://localhost:8080 BTCUSD,ETHUSD [JWT]
 * </pre>
 */
public final class TerminalTicker {
  private TerminalTicker() {}

  public static void main(String[] args) throws Exception {
    String url = args.length > 0 ? args[0] : "http://localhost:8080";
    String[] symbols = (args.length > 1 ? args[1] : "BTCUSD,ETHUSD").split(",");
    CandlecastClient.Builder b = CandlecastClient.builder(url);
    if (args.length > 2) {
      b.token(args[2]);
    }
    Map<String, Ticker> latest = new ConcurrentHashMap<>();
    try (CandlecastClient client = b.build()) {
      for (String s : symbols) {
        client.ticker(
            s,
            t -> {
              latest.put(t.symbol(), t);
              draw(latest, client.isConnected());
            });
      }
      Thread.currentThread().join();
    }
  }

  private static void draw(Map<String, Ticker> latest, boolean connected) {
    StringBuilder sb = new StringBuilder("\033[H\033[2J");
    sb.append(connected ? "connected" : "reconnecting…").append('\n');
    for (Ticker t : new TreeMap<>(latest).values()) {
      sb.append(
          String.format(
              "%-10s %14.4f %+10.4f (%+6.2f%%)  vol %12.4f%n", t.symbol(), t.last(), t.change(), t.changePct(), t.volume()));
    }
    System.out.print(sb);
    System.out.flush();
  }
}

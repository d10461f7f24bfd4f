import candlecast.client.CandlecastClient;
import candlecast.client.Candle;
import candlecast.client.StreamEvent;
import candlecast.client.StreamListener;

/**
 * Prints live 1m candles of a symbol (closed ones marked), across reconnects, until Ctrl-C.
 *
 * <pre>
 * java -cp 'clients/java/target/candlecast-client.jar:clients/java/target/lib/*' \
 *   clients/java/examples/LiveCandles.java http://localhost:8080 BTCUSD [JWT]
 * </pre>
 */
public final class LiveCandles {
  private LiveCandles() {}

  public static void main(String[] args) throws Exception {
    String url = args.length > 0 ? args[0] : "http://localhost:8080";
    String symbol = args.length > 1 ? args[1] : "BTCUSD";
    CandlecastClient.Builder b = CandlecastClient.builder(url);
    if (args.length > 2) {
      b.token(args[2]);
    }
    try (CandlecastClient client = b.build()) {
      client.onState(s -> System.err.println("state: " + s.state() + (s.error() == null ? "" : " (" + s.error().getMessage() + ")")));
      client.candles(
          symbol,
          "1m",
          new StreamListener<Candle>() {
            @Override
            public void onSnapshot(StreamEvent.Snapshot<Candle> s) {
              System.out.println("snapshot: " + s.items().size() + " candles (recovered=" + s.recovered() + ")");
            }

            @Override
            public void onUpdate(Candle c) {
              System.out.printf(
                  "%s %s %tT o=%.2f h=%.2f l=%.2f c=%.2f v=%.4f n=%d%s%n",
                  c.symbol(), c.tf(), c.t(), c.open(), c.high(), c.low(), c.close(), c.volume(), c.trades(),
                  c.closed() ? " closed" : "");
            }
          });
      Thread.currentThread().join();
    }
  }
}

import candlecast.client.CandlecastClient;
import candlecast.client.Candle;
import candlecast.client.StreamEvent;
import candlecast.client.StreamListener;
import candlecast.client.Subscription;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bench driver of the Java client (issue 18), run in source-file mode:
 *
 * <pre>
 * java -cp 'clients/java/target/candlecast-client.jar:clients/java/target/lib/*' bench/clients/java/Driver.java \
 *   consume --url ws://127.0.0.1:9000/ws --symbol BTCUSD --tf 1s --count 200000 --api listener|publisher
 * java -cp … bench/clients/java/Driver.java follow --url http://127.0.0.1:8080 --symbol BTCUSD --tf 1s --seconds 30
 * </pre>
 *
 * Prints JSON lines on stdout and nothing else; {@code --token JWT} when the node checks tokens.
 */
public final class Driver {
  private Driver() {}

  public static void main(String[] argv) throws Exception {
    if (argv.length == 0 || !(argv[0].equals("consume") || argv[0].equals("follow"))) {
      System.err.println("usage: Driver consume|follow --url URL --symbol S --tf TF [--count N --api listener|publisher] [--seconds D] [--token JWT]");
      System.exit(2);
    }
    Map<String, String> a = new HashMap<>();
    for (int i = 1; i + 1 < argv.length; i += 2) {
      if (!argv[i].startsWith("--")) {
        System.err.println("expected --option value, got " + argv[i]);
        System.exit(2);
      }
      a.put(argv[i].substring(2), argv[i + 1]);
    }
    CandlecastClient.Builder b = CandlecastClient.builder(required(a, "url"));
    if (a.containsKey("token")) {
      b.token(a.get("token"));
    }
    try (CandlecastClient client = b.build()) {
      if (argv[0].equals("consume")) {
        consume(client, a);
      } else {
        follow(client, a);
      }
    }
    System.exit(0);
  }

  private static String required(Map<String, String> a, String k) {
    String v = a.get(k);
    if (v == null) {
      System.err.println("missing --" + k);
      System.exit(2);
    }
    return v;
  }

  private static void consume(CandlecastClient client, Map<String, String> a) throws Exception {
    String symbol = required(a, "symbol");
    String tf = a.getOrDefault("tf", "1s");
    long count = Long.parseLong(required(a, "count"));
    String api = a.getOrDefault("api", "listener");
    CountDownLatch done = new CountDownLatch(1);
    AtomicLong seen = new AtomicLong();
    long[] startNs = {0};
    long[] endNs = {0};
    Runnable onCandle =
        () -> {
          long n = seen.incrementAndGet();
          if (n == 1) {
            startNs[0] = System.nanoTime();
          }
          if (n == count) {
            endNs[0] = System.nanoTime();
            done.countDown();
          }
        };
    if (api.equals("listener")) {
      client.candles(symbol, tf, (StreamListener<Candle>) c -> onCandle.run());
    } else if (api.equals("publisher")) {
      Subscription<Candle> sub = client.candles(symbol, tf);
      sub.subscribe(
          new Flow.Subscriber<StreamEvent<Candle>>() {
            @Override
            public void onSubscribe(Flow.Subscription s) {
              s.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(StreamEvent<Candle> e) {
              if (e instanceof StreamEvent.Update<Candle> u && u.item() != null) {
                onCandle.run();
              }
            }

            @Override
            public void onError(Throwable t) {
              System.err.println("stream failed: " + t);
            }

            @Override
            public void onComplete() {}
          });
    } else {
      System.err.println("--api must be listener or publisher, was " + api);
      System.exit(2);
    }
    done.await();
    double seconds = (endNs[0] - startNs[0]) / 1e9;
    System.out.printf(
        Locale.ROOT,
        "{\"lang\":\"java\",\"api\":\"%s\",\"count\":%d,\"seconds\":%.6f,\"rate\":%.1f}%n",
        api,
        count,
        seconds,
        count / seconds);
    System.out.flush();
  }

  private static void follow(CandlecastClient client, Map<String, String> a) throws Exception {
    String symbol = required(a, "symbol");
    String tf = a.getOrDefault("tf", "1s");
    long seconds = Long.parseLong(required(a, "seconds"));
    client.onState(
        s ->
            line(
                "{\"kind\":\"state\",\"state\":\""
                    + s.state().name().toLowerCase(Locale.ROOT)
                    + "\",\"at\":"
                    + System.currentTimeMillis()
                    + "}"));
    client.candles(
        symbol,
        tf,
        new StreamListener<Candle>() {
          @Override
          public void onUpdate(Candle c) {
            line(
                "{\"kind\":\"candle\",\"t\":"
                    + c.t()
                    + ",\"closed\":"
                    + c.closed()
                    + ",\"trades\":"
                    + c.trades()
                    + ",\"at\":"
                    + System.currentTimeMillis()
                    + "}");
          }

          @Override
          public void onSnapshot(StreamEvent.Snapshot<Candle> s) {
            line(
                "{\"kind\":\"snapshot\",\"recovered\":"
                    + s.recovered()
                    + ",\"count\":"
                    + s.items().size()
                    + ",\"at\":"
                    + System.currentTimeMillis()
                    + "}");
          }
        });
    Thread.sleep(seconds * 1000);
  }

  private static void line(String s) {
    synchronized (System.out) {
      System.out.println(s);
      System.out.flush();
    }
  }
}

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * Raw Java baseline: the socket library the Java client uses (java.net.http WebSocket) reading candle frames with
 * Jackson's readTree only, no client. Same CLI and output as the drivers' {@code consume}:
 * {@code java -cp 'JACKSON_JARS' bench/clients/raw/RawJava.java consume --url http://127.0.0.1:9000 --count N}.
 * Timed from the first candle frame to the N-th (as the drivers do) (the snapshot is not counted).
 */
public class RawJava {
  public static void main(String[] args) throws Exception {
    if (args.length < 1 || !args[0].equals("consume")) {
      System.err.println("usage: RawJava consume --url URL [--symbol S] [--tf 1s] [--count N]");
      System.exit(2);
    }
    String url = null, symbol = "BTCUSD", tf = "1s";
    int count = 200_000;
    for (int i = 1; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--url" -> url = args[i + 1];
        case "--symbol" -> symbol = args[i + 1];
        case "--tf" -> tf = args[i + 1];
        case "--count" -> count = Integer.parseInt(args[i + 1]);
        case "--api" -> { }
        default -> { System.err.println("unknown option " + args[i]); System.exit(2); }
      }
    }
    if (url == null) { System.err.println("--url is required"); System.exit(2); }
    String ws = url.startsWith("ws") ? url : url.replaceFirst("/$", "").replaceFirst("^http", "ws") + "/ws";
    Counter counter = new Counter(count);
    WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(URI.create(ws), counter).join();
    socket.sendText("{\"type\":\"subscribe\",\"symbol\":\"" + symbol + "\",\"tf\":\"" + tf + "\",\"id\":1}", true);
    double seconds = counter.done.get(10, TimeUnit.MINUTES);
    System.out.printf("{\"lang\":\"java\",\"api\":\"raw\",\"count\":%d,\"seconds\":%.4f,\"rate\":%.1f}%n",
        count, seconds, count / seconds);
    System.out.flush();
    System.exit(0);
  }

  static final class Counter implements WebSocket.Listener {
    final ObjectMapper mapper = new ObjectMapper();
    final CompletableFuture<Double> done = new CompletableFuture<>();
    final int count;
    final StringBuilder parts = new StringBuilder();
    volatile long start;
    int n;

    Counter(int count) { this.count = count; }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      ws.request(1);
      if (!last) { parts.append(data); return null; }
      String text = parts.length() == 0 ? data.toString() : parts.append(data).toString();
      parts.setLength(0);
      try {
        JsonNode frame = mapper.readTree(text);
        String type = frame.path("type").asText();
        if (type.equals("candle") && n == 0) start = System.nanoTime();
        if (type.equals("candle") && ++n == count) done.complete((System.nanoTime() - start) / 1e9);
        else if (type.equals("error")) done.completeExceptionally(new IllegalStateException("server error: " + text));
      } catch (Exception e) {
        done.completeExceptionally(e);
      }
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) { done.completeExceptionally(error); }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
      done.completeExceptionally(new IllegalStateException("closed " + status + " " + reason));
      return null;
    }
  }
}

package candlecast.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The server closes every WebSocket (1012, {@code POST /api/connections/close}) in the middle of a
 * stream: the client reconnects, resumes with {@code since}, and the consumer sees every closed 1 s
 * candle and every trade exactly once (oracle: REST history).
 */
@ExtendWith(NodeExtension.class)
class ForcedDisconnectIT {

  @Test
  void candlesAndTradesStayContiguousAcrossAServerSideClose(Node node) throws Exception {
    List<StateChange> states = new CopyOnWriteArrayList<>();
    try (CandlecastClient client =
        CandlecastClient.builder(node.url()).token(Node.jwt("alice", false)).build()) {
      client.onState(states::add);
      Recorder<Candle> candles = new Recorder<>();
      Recorder<Trade> trades = new Recorder<>();
      Subscription<Candle> cs = client.candles("btc-usd", "1s", candles);
      Subscription<Trade> ts = client.trades("BTCUSD", 0, trades);
      cs.ready().get(30, TimeUnit.SECONDS);
      ts.ready().get(30, TimeUnit.SECONDS);
      assertThat(cs.symbol()).isEqualTo("BTCUSD");
      int before = Recorder.closed(candles.items).size();
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> Recorder.closed(candles.items).size() >= before + 3);

      HttpResponse<String> r =
          node.postAsOperator("/api/connections/close?reason=java-client-test", "");
      assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> states.stream().anyMatch(s -> s.state() == ConnectionState.RECONNECTING));
      await().atMost(Duration.ofSeconds(30)).until(client::isConnected);
      int atReconnect = Recorder.closed(candles.items).size();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> Recorder.closed(candles.items).size() >= atReconnect + 3);

      assertThat(cs.stats().resumes()).isGreaterThanOrEqualTo(1);
      assertThat(cs.stats().unrecovered()).isZero();
      assertThat(ts.stats().unrecovered()).isZero();
      assertThat(candles.snapshots).hasSize(1);
      assertThat(candles.errors).isEmpty();
      Oracle.assertContiguousAndEqual(node, "BTCUSD", Recorder.closed(candles.items));
      Oracle.assertTradesEqual(node, "BTCUSD", List.copyOf(trades.items));
    }
  }
}

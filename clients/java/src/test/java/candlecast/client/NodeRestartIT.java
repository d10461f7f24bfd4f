package candlecast.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The strongest outage: the node is killed with -9 while the client streams 1 s candles, and
 * started again on the same data directory and ports. The client keeps reconnecting with back-off,
 * resumes, and the closed candles it delivered stay one contiguous run, each window once, equal to
 * the restarted node's REST history.
 */
class NodeRestartIT {

  private static String describe(List<StreamEvent.Snapshot<Candle>> snaps) {
    StringBuilder sb = new StringBuilder();
    for (StreamEvent.Snapshot<Candle> s : snaps) {
      List<Candle> items = s.items();
      sb.append("[recovered=").append(s.recovered()).append(" n=").append(items.size());
      if (!items.isEmpty()) {
        sb.append(" first=")
            .append(items.get(0).t())
            .append(" last=")
            .append(items.get(items.size() - 1).t());
      }
      sb.append("] ");
    }
    return sb.toString();
  }

  @Test
  void closedCandlesStayContiguousAcrossAKill9AndRestart() throws Exception {
    try (Node node = Node.start()) {
      List<StateChange> states = new CopyOnWriteArrayList<>();
      try (CandlecastClient client =
          CandlecastClient.builder("ws://127.0.0.1:" + node.port + "/ws")
              .token(Node.jwt("bob", false))
              .backoff(250, 2000)
              .build()) {
        client.onState(states::add);
        Recorder<Candle> candles = new Recorder<>();
        Subscription<Candle> cs = client.candles("BTCUSD", "1s", candles);
        cs.ready().get(30, TimeUnit.SECONDS);
        int before = Recorder.closed(candles.items).size();
        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> Recorder.closed(candles.items).size() >= before + 3);
        List<Candle> closedBefore = Recorder.closed(candles.items);
        assertThat(closedBefore.get(closedBefore.size() - 1).t())
            .as(
                "the stream is live before the kill, not the node's first-run history: a resume"
                    + " from there lies more than gateway.max-limit windows back (recovered:false)")
            .isGreaterThanOrEqualTo(System.currentTimeMillis() - Node.LIVE_LAG_MS);

        node.kill9();
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> client.state() == ConnectionState.RECONNECTING);
        int atKill = Recorder.closed(candles.items).size();
        node.launch();
        await().atMost(Duration.ofSeconds(60)).until(client::isConnected);
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> Recorder.closed(candles.items).size() >= atKill + 5);

        assertThat(states.stream().filter(s -> s.state() == ConnectionState.RECONNECTING).count())
            .as("reconnect attempts while the node was down")
            .isGreaterThan(1);
        assertThat(cs.stats().unrecovered())
            .as(
                "resumes the node could not recover; snapshots %s; closed around the kill %s",
                describe(candles.snapshots),
                Recorder.closed(candles.items)
                    .subList(
                        Math.max(0, atKill - 3),
                        Math.min(atKill + 3, Recorder.closed(candles.items).size()))
                    .stream()
                    .map(Candle::t)
                    .toList())
            .isZero();
        assertThat(candles.errors).isEmpty();
        Oracle.assertContiguousAndEqual(node, "BTCUSD", Recorder.closed(candles.items));
      }
    }
  }
}

package candlecast.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An alerts subscription that has delivered no fire yet is cut off (1012) and kept off (its token
 * function answers a refused token) while one of its owner's alerts fires: after the reconnect the
 * fire arrives exactly once and equals the owner's fire log over REST.
 */
@ExtendWith(NodeExtension.class)
class AlertResumeIT {

  @Test
  void aFireRecordedWhileDisconnectedBeforeAnyFireIsDeliveredOnce(Node node) throws Exception {
    String owner = "resume-" + System.nanoTime();
    AtomicBoolean blocked = new AtomicBoolean();
    List<StateChange> states = new CopyOnWriteArrayList<>();
    try (CandlecastClient client =
        CandlecastClient.builder(node.url())
            .token(() -> blocked.get() ? "refused" : Node.jwt(owner, false))
            .backoff(100, 300)
            .build()) {
      client.onState(states::add);
      Recorder<AlertFire> r = new Recorder<>();
      client.alerts(null, r).ready().get(30, TimeUnit.SECONDS);

      blocked.set(true);
      HttpResponse<String> closed = node.postAsOperator("/api/connections/close", "");
      assertThat(closed.statusCode()).as(closed.body()).isEqualTo(202);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> states.stream().anyMatch(s -> s.state() == ConnectionState.RECONNECTING));
      HttpResponse<String> created =
          node.post(
              "/api/alerts",
              "{\"symbol\":\"ETHUSD\",\"mode\":\"once\","
                  + "\"condition\":{\"kind\":\"move_up\",\"pct\":0.0001,\"window\":\"5s\"}}",
              owner);
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
      JsonNode logged = awaitLoggedFire(node, owner);
      assertThat(client.isConnected()).isFalse();
      assertThat(r.items).isEmpty();

      blocked.set(false);
      await().atMost(Duration.ofSeconds(30)).until(() -> !r.items.isEmpty());
      await()
          .during(Duration.ofSeconds(1))
          .atMost(Duration.ofSeconds(5))
          .until(() -> r.items.size() == 1);
      AlertFire f = r.items.get(0);
      assertThat(f).isEqualTo(AlertFire.fromWire(logged));
      assertThat(f.fire()).isEqualTo(logged.get("fire").asText());
      assertThat(f.recordedAt()).isEqualTo(logged.get("recordedAt").asLong());
    }
  }

  private static JsonNode awaitLoggedFire(Node node, String owner) {
    JsonNode[] fire = new JsonNode[1];
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              HttpResponse<String> log = node.get("/api/alerts/fires?since=0", owner);
              JsonNode fires = Node.JSON.readTree(log.body()).path("fires");
              if (fires.size() > 0) {
                assertThat(fires.size()).isEqualTo(1);
                fire[0] = fires.get(0);
              }
              return fire[0] != null;
            });
    return fire[0];
  }
}

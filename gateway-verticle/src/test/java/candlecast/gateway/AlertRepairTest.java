package candlecast.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import candlecast.common.Addresses;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The node's alert hub repairs lost fires (issue 19, found by the chaos soak): a fire the alert
 * service recorded but whose publish never reached this node is delivered from the service's log by
 * the hub's sweep, once; live fires, late live copies of repaired fires and re-publications are not
 * delivered twice. Real event bus; the alert service is {@link FakeAlertService} (its contract).
 */
@ExtendWith(VertxExtension.class)
class AlertRepairTest {
  private static final class Collector implements AlertHub.Listener {
    final Context context;
    final List<JsonObject> fires = new CopyOnWriteArrayList<>();

    Collector(Vertx vertx) {
      this.context = vertx.getOrCreateContext();
    }

    @Override
    public Context context() {
      return context;
    }

    @Override
    public void fire(JsonObject event, Buffer frame) {
      assertThat(new JsonObject(frame)).isEqualTo(event);
      fires.add(event);
    }

    List<String> ids() {
      return fires.stream().map(f -> f.getString("fire")).toList();
    }
  }

  @Test
  void aFireThatNeverCameLiveIsDeliveredFromTheLogOnceAndNothingTwice(Vertx vertx)
      throws Exception {
    FakeAlertService alerts = new FakeAlertService(vertx, 10, "BTCUSD");
    Message<Object> created =
        Await.await(
            vertx
                .eventBus()
                .request(
                    Addresses.ALERTS,
                    new JsonObject()
                        .put("op", "create")
                        .put("owner", "alice")
                        .put("alert", AlertsRestTest.definition("BTCUSD", 1))));
    String id = ((JsonObject) created.body()).getString("id");
    alerts.alerts.get(id).put("mode", "rearm");
    AlertHub hub = new AlertHub(vertx, 100);
    Collector alice = new Collector(vertx);
    Await.await(hub.join("alice", alice));

    JsonObject live = alerts.fire(id, 2);
    await().atMost(Duration.ofSeconds(5)).until(() -> alice.fires.size() == 1);
    JsonObject lost = alerts.record(id, 3); // recorded, never published
    await().atMost(Duration.ofSeconds(5)).until(() -> alice.fires.size() == 2);
    assertThat(alice.fires).containsExactly(live, lost);
    assertThat(hub.firesRepaired()).isEqualTo(1);

    // the lost fire's live copy arrives after all, and the live one is published again
    vertx.eventBus().publish(Addresses.alertsOwner("alice"), lost);
    vertx.eventBus().publish(Addresses.alertsOwner("alice"), live);
    JsonObject next = alerts.fire(id, 4);
    long sweeps = hub.sweepsDone();
    await().atMost(Duration.ofSeconds(5)).until(() -> hub.sweepsDone() >= sweeps + 3);
    assertThat(alice.ids())
        .containsExactly(live.getString("fire"), lost.getString("fire"), next.getString("fire"));
    assertThat(hub.firesRepaired()).isEqualTo(1);
    assertThat(hub.firesReceived()).isEqualTo(4);
    Await.await(hub.release());
    alerts.close();
  }

  @Test
  void theSweepWindowAndTheTwoSightingsRule() {
    FireRepair r = new FireRepair(1_000_000);
    assertThat(r.since(1_050_000)).as("never before the node listened").isEqualTo(1_000_000);
    assertThat(r.since(2_000_000)).isEqualTo(2_000_000 - FireRepair.LOOKBACK_MS);
    JsonObject a = fire("a|t:1", 1_010_000);
    JsonObject b = fire("b|t:2", 1_011_000);
    JsonObject c = fire("c|t:3", 1_012_000);
    assertThat(r.live(a)).isTrue();
    assertThat(r.live(a)).as("a re-publication").isFalse();
    // first sighting of b and c: their live copies may still be on their way
    assertThat(r.sweep(List.of(a, b, c), 1_013_000)).isEmpty();
    assertThat(r.live(c)).as("c came live in between").isTrue();
    assertThat(r.sweep(List.of(a, b, c), 1_023_000)).containsExactly(b);
    assertThat(r.live(b)).as("b's late live copy").isFalse();
    assertThat(r.sweep(List.of(a, b, c), 1_033_000)).isEmpty();
    assertThat(r.repaired()).isEqualTo(1);
    // a fire without an id is delivered as it comes and never repaired
    JsonObject anonymous = new JsonObject().put("recordedAt", 1_040_000);
    assertThat(r.live(anonymous)).isTrue();
    assertThat(r.live(anonymous)).isTrue();
    assertThat(r.sweep(List.of(anonymous), 1_041_000)).isEmpty();
    assertThat(r.sweep(List.of(anonymous), 1_042_000)).isEmpty();
    // ids are forgotten once the window moved RETAIN_MS past them
    assertThat(r.remembered()).isEqualTo(3);
    r.sweep(List.of(), 1_033_000 + FireRepair.LOOKBACK_MS + FireRepair.RETAIN_MS);
    assertThat(r.remembered()).isZero();
  }

  private static JsonObject fire(String id, long recordedAt) {
    return new JsonObject().put("type", "alert").put("fire", id).put("recordedAt", recordedAt);
  }
}

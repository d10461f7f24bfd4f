package candlecast.aggregator.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AlertDirectoryTest {
  private static JsonObject record(String id, String owner, String symbol, long createdAt) {
    return new JsonObject()
        .put("id", id)
        .put("owner", owner)
        .put("symbol", symbol)
        .put("createdAt", createdAt)
        .put("state", "armed");
  }

  private static JsonObject fire(String alert, String owner, long offset, long recordedAt) {
    return new JsonObject()
        .put("type", "alert")
        .put("fire", alert + "|t:" + offset)
        .put("alert", alert)
        .put("owner", owner)
        .put("recordedAt", recordedAt);
  }

  private static List<String> fireIds(List<JsonObject> fires) {
    return fires.stream().map(f -> f.getString("fire")).toList();
  }

  @Test
  void recordsAreListedPerOwnerNewestFirstAndReplacedByLaterVersions() {
    AlertDirectory d = new AlertDirectory(100);
    d.alert("al-a", record("al-a", "alice", "BTCUSD", 1));
    d.alert("al-b", record("al-b", "alice", "ETHUSD", 3));
    d.alert("al-c", record("al-c", "bob", "BTCUSD", 2));
    d.alert("al-a", record("al-a", "alice", "BTCUSD", 1).put("state", "fired"));
    assertThat(d.list("alice")).extracting(r -> r.getString("id")).containsExactly("al-b", "al-a");
    assertThat(d.get("alice", "al-a").getString("state")).isEqualTo("fired");
    assertThat(d.count("alice")).isEqualTo(2);
    assertThat(d.get("bob", "al-a")).as("another owner's alert").isNull();
    assertThat(d.get("alice", "al-c")).isNull();
    assertThat(d.list("carol")).isEmpty();
  }

  @Test
  void aTombstoneRemovesTheAlertItsFiresAndDeliveriesAndLaterFiresOfIt() {
    AlertDirectory d = new AlertDirectory(100);
    d.alert("al-a", record("al-a", "alice", "BTCUSD", 1));
    d.fire(fire("al-a", "alice", 10, 100));
    d.delivery(new JsonObject().put("alert", "al-a").put("attempt", 1));
    d.alert("al-a", null);
    d.fire(fire("al-a", "alice", 11, 101)); // read after the tombstone (another topic)
    assertThat(d.get("alice", "al-a")).isNull();
    assertThat(d.count("alice")).isZero();
    assertThat(d.firesOf("al-a")).isEmpty();
    assertThat(d.deliveriesOf("al-a")).isEmpty();
    assertThat(d.fires("alice", 0, 500).fires()).isEmpty();
  }

  @Test
  void theOutcomeDoesNotDependOnHowTheTopicsInterleave() {
    List<Runnable> alerts = new ArrayList<>();
    List<Runnable> fires = new ArrayList<>();
    AlertDirectory[] target = new AlertDirectory[1];
    alerts.add(() -> target[0].alert("al-a", record("al-a", "alice", "BTCUSD", 1)));
    alerts.add(() -> target[0].alert("al-b", record("al-b", "alice", "BTCUSD", 2)));
    alerts.add(() -> target[0].alert("al-a", null));
    for (int i = 0; i < 5; i++) {
      long o = i;
      fires.add(() -> target[0].fire(fire("al-a", "alice", o, 10 + o)));
      fires.add(() -> target[0].fire(fire("al-b", "alice", o, 20 + o)));
    }
    Random rnd = new Random(17);
    List<String> first = null;
    for (int run = 0; run < 20; run++) {
      target[0] = new AlertDirectory(100);
      int a = 0;
      int f = 0;
      while (a < alerts.size() || f < fires.size()) { // each topic in its order, merged at random
        if (f == fires.size() || (a < alerts.size() && rnd.nextBoolean())) {
          alerts.get(a++).run();
        } else {
          fires.get(f++).run();
        }
      }
      List<String> got = fireIds(target[0].fires("alice", 0, 500).fires());
      if (first == null) {
        first = got;
      }
      assertThat(got).isEqualTo(first);
      assertThat(target[0].list("alice")).hasSize(1);
    }
    assertThat(first).containsExactly("al-b|t:0", "al-b|t:1", "al-b|t:2", "al-b|t:3", "al-b|t:4");
  }

  @Test
  void firesAreKeptPerAlertUpToTheHistoryAndDuplicatesIgnored() {
    AlertDirectory d = new AlertDirectory(3);
    for (int i = 0; i < 5; i++) {
      d.fire(fire("al-a", "alice", i, 100 + i));
    }
    d.fire(fire("al-a", "alice", 4, 999)); // the same fire id again
    assertThat(fireIds(d.firesOf("al-a"))).containsExactly("al-a|t:2", "al-a|t:3", "al-a|t:4");
    assertThat(fireIds(d.fires("alice", 0, 500).fires()))
        .as("the owner's index drops what the alert no longer keeps")
        .containsExactly("al-a|t:2", "al-a|t:3", "al-a|t:4");
  }

  @Test
  void ownerFiresAreOrderedByRecordedTimeWithAnExclusiveSinceAndLosslessPaging() {
    AlertDirectory d = new AlertDirectory(100);
    List<JsonObject> all = new ArrayList<>();
    Random rnd = new Random(5);
    for (int i = 0; i < 40; i++) {
      String alert = "al-" + (i % 4);
      JsonObject f = fire(alert, "alice", i, 1_000 + rnd.nextInt(15)); // many share a millisecond
      all.add(f);
    }
    List<JsonObject> shuffled = new ArrayList<>(all);
    Collections.shuffle(shuffled, rnd);
    shuffled.forEach(d::fire);
    d.fire(fire("al-x", "bob", 1, 1_005));
    // oracle: sorted by (recordedAt, fire id)
    List<JsonObject> expected = new ArrayList<>(all);
    expected.sort(
        (a, b) -> {
          int c = Long.compare(a.getLong("recordedAt"), b.getLong("recordedAt"));
          return c != 0 ? c : a.getString("fire").compareTo(b.getString("fire"));
        });
    assertThat(fireIds(d.fires("alice", 0, 500).fires())).isEqualTo(fireIds(expected));
    assertThat(fireIds(d.fires("alice", 1_007, 500).fires()))
        .isEqualTo(
            fireIds(expected.stream().filter(f -> f.getLong("recordedAt") > 1_007).toList()));
    // paging on the last recordedAt, 3 at a time, returns everything exactly once
    List<JsonObject> paged = new ArrayList<>();
    long since = 0;
    while (true) {
      AlertDirectory.FirePage p = d.fires("alice", since, 3);
      paged.addAll(p.fires());
      if (!p.more()) {
        break;
      }
      since = p.fires().get(p.fires().size() - 1).getLong("recordedAt");
    }
    assertThat(fireIds(paged)).isEqualTo(fireIds(expected));
    assertThat(fireIds(d.fires("bob", 0, 500).fires())).containsExactly("al-x|t:1");
  }

  @Test
  void undeliveredFiresAreThoseOfThePartitionsWebhookAlertsWithoutAFinalAttempt() {
    AlertDirectory d = new AlertDirectory(100);
    d.alert(
        "al-w",
        record("al-w", "alice", "BTCUSD", 1).put("partition", 1).put("webhook", "http://h"));
    d.alert("al-n", record("al-n", "alice", "BTCUSD", 1).put("partition", 1));
    d.alert(
        "al-o",
        record("al-o", "alice", "ETHUSD", 1).put("partition", 0).put("webhook", "http://h"));
    for (long o = 1; o <= 4; o++) {
      d.fire(fire("al-w", "alice", o, 100 + o));
      d.fire(fire("al-n", "alice", o, 100 + o));
      d.fire(fire("al-o", "alice", o, 100 + o));
    }
    d.delivery(
        new JsonObject()
            .put("fire", "al-w|t:1")
            .put("alert", "al-w")
            .put("attempt", 1)
            .put("final", false));
    d.delivery(
        new JsonObject()
            .put("fire", "al-w|t:1")
            .put("alert", "al-w")
            .put("attempt", 2)
            .put("final", false));
    d.delivery(
        new JsonObject()
            .put("fire", "al-w|t:2")
            .put("alert", "al-w")
            .put("attempt", 1)
            .put("final", true));
    List<AlertDirectory.Pending> p = d.undelivered(1, 101, 104); // recorded in [101, 104)
    assertThat(p)
        .extracting(x -> x.fire().getString("fire") + "@" + x.attempts())
        .containsExactly("al-w|t:1@2", "al-w|t:3@0");
    assertThat(p.get(0).alert().getString("webhook")).isEqualTo("http://h");
  }
}

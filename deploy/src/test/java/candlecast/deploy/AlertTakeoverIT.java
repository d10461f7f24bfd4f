package candlecast.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 17, exactly once across a takeover: the local cluster of {@link FailoverIT} (kafka, feed,
 * two aggregators, two gateways in JVMs of their own), a ladder of trade-driven alerts on every
 * symbol created over REST; the aggregator that folds the most symbols is killed with -9 while they
 * fire and the survivor takes its partitions over. Every fire id is in {@code alerts.fires} once,
 * every fire equals the oracle's ({@link TradeAlertOracle}), none the oracle expects is missing,
 * and the killed owner's symbols fire again after the kill. Run with {@code -Pfailover} (or {@code
 * -Dit.test=AlertTakeoverIT}): six JVMs.
 */
class AlertTakeoverIT {
  private static final Logger LOG = LoggerFactory.getLogger(AlertTakeoverIT.class);
  private static final String OWNER = "tk";
  private FailoverCluster fx;

  @AfterEach
  void down() throws Exception {
    if (fx != null) {
      fx.forceDown();
      fx.deleteDirectory();
    }
  }

  @Test
  @Timeout(value = 8, unit = TimeUnit.MINUTES)
  void everyFireOnceAndEqualToTheOracleWhenTheOwnerIsKilledAndTakenOver() throws Exception {
    Path jar =
        Path.of(System.getProperty("failover.jar", "target/candlecast.jar")).toAbsolutePath();
    fx = FailoverCluster.create(jar);
    fx.cluster().up();
    fx.awaitSettled();
    int port = fx.port("gateway#1");
    String bootstrap = fx.bootstrap();
    for (String s : FailoverCluster.SYMBOLS) {
      await().atMost(Duration.ofSeconds(60)).until(() -> AlertChecks.last(port, s) != null);
      AlertChecks.createLadder(port, OWNER, s, AlertChecks.last(port, s));
    }
    await()
        .atMost(Duration.ofSeconds(90))
        .until(() -> AlertChecks.recordedFires(bootstrap).size() >= 8);

    String victim =
        fx.symbolsFoldedBy("aggregator#1") >= fx.symbolsFoldedBy("aggregator#2")
            ? "aggregator#1"
            : "aggregator#2";
    assertThat(fx.symbolsFoldedBy(victim)).as(victim + " folds a symbol").isPositive();
    TradeAlertOracle atKill = AlertChecks.trades(bootstrap);
    Map<String, Long> lastAtKill = new HashMap<>();
    FailoverCluster.SYMBOLS.forEach(s -> lastAtKill.put(s, atKill.lastOffset(s)));
    fx.cluster().kill(fx.node(victim));

    // every symbol fires again on trades after the kill: the killed owner's ones on the survivor
    await()
        .atMost(Duration.ofMinutes(2))
        .until(
            () ->
                FailoverCluster.SYMBOLS.stream()
                    .allMatch(
                        s ->
                            AlertChecks.recordedFires(bootstrap).stream()
                                .anyMatch(
                                    f ->
                                        s.equals(f.getString("symbol"))
                                            && f.getJsonObject("trade").getLong("offset")
                                                > lastAtKill.get(s))));
    TradeAlertOracle snapshot = AlertChecks.trades(bootstrap);
    Map<String, TradeAlertOracle.Fire> expected = AlertChecks.expected(bootstrap, snapshot);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> AlertChecks.fireIds(bootstrap).containsAll(expected.keySet()));
    List<JsonObject> fires = AlertChecks.check(bootstrap, expected);
    LOG.info(
        "takeover of {}: alerts.fires {}, awaited from the oracle {}, on trades before the kill {}",
        victim,
        fires.size(),
        expected.size(),
        fires.stream()
            .filter(
                f ->
                    f.getJsonObject("trade").getLong("offset")
                        <= lastAtKill.get(f.getString("symbol")))
            .count());
  }
}

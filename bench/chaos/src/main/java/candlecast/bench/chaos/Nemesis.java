package candlecast.bench.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Injects faults from a seed until a deadline: after a random pause, one of kill -9, SIGSTOP /
 * SIGCONT, restart (SIGTERM and start) of any member (a broker too), or a network cut: of any
 * member's only link when members run in network namespaces ({@link Netns}), else of a gateway's
 * link to its clients; held for a random time, healed, then the nemesis waits until the cluster has
 * recovered before the next fault. So never more than one member is down at a time: at most one
 * broker (min ISR 2 of 3), one feed, one aggregator, one gateway. The schedule depends only on the
 * seed; every fault is logged.
 */
final class Nemesis {
  private static final Logger LOG = LoggerFactory.getLogger(Nemesis.class);
  private static final List<Fault.Kind> KINDS =
      List.of(Fault.Kind.KILL, Fault.Kind.PAUSE, Fault.Kind.RESTART, Fault.Kind.CUT);
  static final Duration RECOVERY_TIMEOUT = Duration.ofMinutes(2);

  private final ChaosCluster cluster;
  private final Fleet fleet;
  private final Random rnd;
  private final int gapMinS;
  private final int gapMaxS;
  final List<Fault> faults = new ArrayList<>();
  final List<String> violations = new ArrayList<>();

  Nemesis(ChaosCluster cluster, Fleet fleet, long seed, int gapMinS, int gapMaxS) {
    this.cluster = cluster;
    this.fleet = fleet;
    this.rnd = new Random(seed);
    this.gapMinS = gapMinS;
    this.gapMaxS = gapMaxS;
  }

  /** Runs faults until {@code deadlineMs} (a fault started before it is finished and recovered). */
  void run(long deadlineMs) throws InterruptedException {
    while (true) {
      long gap = 1000L * (gapMinS + rnd.nextInt(gapMaxS - gapMinS + 1));
      Fault.Kind kind = KINDS.get(rnd.nextInt(KINDS.size()));
      List<Member> candidates =
          kind == Fault.Kind.CUT && !cluster.membersCuttable() ? cluster.gateways : cluster.all();
      Member target = candidates.get(rnd.nextInt(candidates.size()));
      long holdMs = 3_000L + rnd.nextInt(10_000);
      if (System.currentTimeMillis() + gap > deadlineMs) {
        return;
      }
      Thread.sleep(gap); // the schedule's pause between faults
      inject(kind, target, holdMs);
    }
  }

  private void inject(Fault.Kind kind, Member m, long holdMs) throws InterruptedException {
    Fault f = new Fault(kind, m.name(), System.currentTimeMillis());
    faults.add(f);
    LOG.info("NEMESIS {} {} (hold {} ms)", kind, m, holdMs);
    try {
      switch (kind) {
        case KILL -> {
          m.kill9();
          Thread.sleep(holdMs); // the member stays dead this long
          m.start();
        }
        case PAUSE -> {
          m.pause();
          Thread.sleep(holdMs); // the member stays frozen this long
          m.resume();
        }
        case RESTART -> {
          m.terminate(30);
          m.start();
        }
        case CUT -> {
          if (m.cuttable()) {
            m.cut(); // its namespace's link: brokers, cluster, event bus and clients at once
            Thread.sleep(holdMs); // the link stays cut this long
            m.heal();
          } else {
            FaultProxy p = fleet.proxyOf(m, cluster);
            await(p.cut());
            Thread.sleep(holdMs); // the link stays cut this long
            await(p.heal());
          }
        }
      }
    } catch (RuntimeException e) {
      f.note = "injection failed: " + e;
      LOG.warn("NEMESIS {} {} failed", kind, m, e);
    }
    f.healedMs = System.currentTimeMillis();
    awaitRecovery(f);
  }

  private static void await(io.vertx.core.Future<Void> fut) throws InterruptedException {
    try {
      fut.toCompletionStage().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("fault proxy did not answer", e);
    }
  }

  /** How often a long wait for recovery says what it waits for. */
  private static final long WAIT_REPORT_MS = 20_000;

  /** Every member ready and every client streaming closed candles again after the heal. */
  private void awaitRecovery(Fault f) throws InterruptedException {
    long deadline = f.healedMs + RECOVERY_TIMEOUT.toMillis();
    List<Member> notReady = List.of();
    List<String> stale = List.of();
    long nextReport = f.healedMs + WAIT_REPORT_MS;
    while (System.currentTimeMillis() < deadline) {
      notReady = cluster.all().stream().filter(x -> !x.ready()).toList();
      stale = notReady.isEmpty() ? fleet.stale(f.healedMs) : List.of("(members first)");
      if (notReady.isEmpty() && stale.isEmpty()) {
        f.recoveredMs = System.currentTimeMillis();
        LOG.info("NEMESIS recovered from {} in {} ms", f.kind + " " + f.target, f.recoveryMs());
        return;
      }
      if (System.currentTimeMillis() >= nextReport) {
        nextReport += WAIT_REPORT_MS;
        LOG.info(
            "NEMESIS still waiting after {}: not ready {}, clients not streaming {} ({} in all)",
            f.kind + " " + f.target,
            notReady,
            stale.subList(0, Math.min(5, stale.size())),
            stale.size());
      }
      Thread.sleep(200); // polling other processes and the fleet's receipt times
    }
    String v =
        "no recovery within "
            + RECOVERY_TIMEOUT.toSeconds()
            + " s of healing "
            + f.kind
            + " "
            + f.target
            + ": not ready "
            + notReady
            + ", clients not streaming "
            + stale.subList(0, Math.min(5, stale.size()))
            + (stale.size() > 5 ? " and " + (stale.size() - 5) + " more" : "");
    violations.add(v);
    LOG.warn("NEMESIS {}", v);
  }
}

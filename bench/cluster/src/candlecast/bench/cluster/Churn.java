package candlecast.bench.cluster;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Membership churn while the publisher runs: a node joins, leaves gracefully, and is killed (-9).
 * Per event: when the publisher's Hazelcast member saw it, when the new node got its first update,
 * and the existing nodes' p99 second by second around it.
 */
final class Churn {
  static final int WINDOW_SECONDS = 10;

  private final BusBench b;
  private final List<Sub> steady;

  Churn(BusBench b, List<Sub> steady) {
    this.b = b;
    this.steady = steady;
  }

  JsonObject run() throws Exception {
    int rate = Integer.parseInt(b.opts.getOrDefault("churn-rate", "2000"));
    b.publisher.rate(rate);
    JsonObject r = new JsonObject().put("rate", rate).put("load", Args.uptime());
    r.put("steadyP99usPerSecond", window());
    b.membership.clear();
    Sub joiner = Sub.start(b, "join");
    JsonArray during = window();
    JsonObject ready = joiner.awaitReady();
    long added = firstEvent(1);
    JsonObject first = joiner.report();
    r.put("join", new JsonObject()
        .put("ready", ready)
        .put("spawnToMemberAddedMs", ms(added - joiner.spawnNanos))
        .put("memberAddedToFirstUpdateMs", ms(first.getLong("firstNanos") - added))
        .put("p99usPerSecond", during));
    b.membership.clear();
    long t = System.nanoTime();
    joiner.leave();
    during = window();
    r.put("leave", new JsonObject()
        .put("memberRemovedMs", ms(firstEvent(-1) - t))
        .put("p99usPerSecond", during));
    joiner.close();
    Sub victim = Sub.start(b, "victim");
    victim.awaitReady();
    window();
    b.membership.clear();
    t = System.nanoTime();
    victim.jvm.kill9();
    during = window();
    r.put("kill9", new JsonObject()
        .put("memberRemovedMs", ms(firstEvent(-1) - t))
        .put("p99usPerSecond", during));
    victim.close();
    b.publisher.rate(0);
    return r;
  }

  /** The worst p99 over the steady nodes, per second, for WINDOW_SECONDS. */
  private JsonArray window() throws Exception {
    for (Sub s : steady) {
      s.report();
    }
    JsonArray a = new JsonArray();
    for (int i = 0; i < WINDOW_SECONDS; i++) {
      Thread.sleep(1000);
      long worst = 0;
      for (Sub s : steady) {
        worst = Math.max(worst, s.report().getLong("p99us"));
      }
      a.add(worst);
    }
    return a;
  }

  /** Time of the first membership event of this kind since the last clear (-1 when none came). */
  private long firstEvent(int kind) throws InterruptedException {
    for (int i = 0; i < 300; i++) {
      for (long[] e : b.membership) {
        if (e[0] == kind) {
          return e[1];
        }
      }
      Thread.sleep(50);
    }
    return -1;
  }

  private static long ms(long nanos) {
    return nanos / 1_000_000;
  }
}

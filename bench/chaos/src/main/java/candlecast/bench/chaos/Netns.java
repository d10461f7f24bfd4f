package candlecast.bench.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Network namespaces for the chaos cluster (issue 19: cut any member off, not only a gateway's
 * clients): each member runs in its own namespace with one veth link into a bridge of the root
 * namespace, and binds and advertises its address there ({@code 10.77.<k>.<slot>/24}). A cut sets
 * the member's link down — every connection it has, in and out, to brokers, the Hazelcast cluster,
 * the event bus and clients, goes silent at once, like a pulled cable; the heal sets it up again.
 * The harness (root namespace) reaches the members through the bridge. Everything is created here
 * and deleted at the end; it needs root and {@code ip} (iproute2).
 */
final class Netns {
  private static final Logger LOG = LoggerFactory.getLogger(Netns.class);

  private final int base;
  private final String subnet;

  /** Namespaces made by {@link #setUp} (slots 1..count). */
  private int count;

  Netns(int base) {
    this.base = base;
    this.subnet = "10.77." + (base / 100 % 256) + ".";
  }

  /** Whether namespaces can be made here (root and iproute2). */
  static boolean available() {
    try {
      return "0".equals(uid()) && run(List.of("ip", "netns", "list"), false) == 0;
    } catch (UncheckedIOException e) {
      return false;
    }
  }

  private static String uid() {
    try {
      Process p = new ProcessBuilder("id", "-u").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      p.waitFor(10, TimeUnit.SECONDS);
      return out;
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  private String bridge() {
    return "ccb" + base;
  }

  private String ns(int slot) {
    return "cc" + base + "-" + slot;
  }

  private String hostLink(int slot) {
    return "cch" + base + "s" + slot;
  }

  /** The member's address in slot {@code slot} (1..253). */
  String address(int slot) {
    return subnet + slot;
  }

  /**
   * The bridge with the harness's address, then a namespace per slot; leftovers are removed first.
   */
  void setUp(int count) {
    tearDown(count);
    sh("ip", "link", "add", bridge(), "type", "bridge");
    sh("ip", "addr", "add", subnet + "254/24", "dev", bridge());
    sh("ip", "link", "set", bridge(), "up");
    for (int slot = 1; slot <= count; slot++) {
      String ns = ns(slot);
      sh("ip", "netns", "add", ns);
      sh("ip", "link", "add", hostLink(slot), "type", "veth", "peer", "name", "eth0", "netns", ns);
      sh("ip", "link", "set", hostLink(slot), "master", bridge());
      sh("ip", "link", "set", hostLink(slot), "up");
      sh("ip", "-n", ns, "addr", "add", address(slot) + "/24", "dev", "eth0");
      sh("ip", "-n", ns, "link", "set", "eth0", "up");
      sh("ip", "-n", ns, "link", "set", "lo", "up");
      this.count = slot;
    }
    LOG.info("network namespaces for {} members on {}0/24 (bridge {})", count, subnet, bridge());
  }

  /** The command prefix that runs a program in the slot's namespace (the program keeps the pid). */
  List<String> launcher(int slot) {
    return List.of("ip", "netns", "exec", ns(slot));
  }

  /** Cuts the slot's member off: its only link goes down. */
  void cut(int slot) {
    sh("ip", "link", "set", hostLink(slot), "down");
  }

  /** Heals a cut. */
  void heal(int slot) {
    sh("ip", "link", "set", hostLink(slot), "up");
  }

  /**
   * Deletes the namespaces and the bridge (their links go with them); ignores what is not there.
   */
  void tearDown(int count) {
    for (int slot = 1; slot <= count; slot++) {
      run(List.of("ip", "netns", "del", ns(slot)), false);
      run(List.of("ip", "link", "del", hostLink(slot)), false);
    }
    run(List.of("ip", "link", "del", bridge()), false);
    this.count = 0;
  }

  /** Deletes what {@link #setUp} made. */
  void tearDown() {
    tearDown(count);
  }

  private static void sh(String... cmd) {
    if (run(List.of(cmd), true) != 0) {
      throw new IllegalStateException("failed: " + String.join(" ", cmd));
    }
  }

  private static int run(List<String> cmd, boolean log) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return -1;
      }
      if (p.exitValue() != 0 && log) {
        LOG.warn("{}: {}", String.join(" ", cmd), out);
      }
      return p.exitValue();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }
}

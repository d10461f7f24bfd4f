package candlecast.bench.fanout;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The floor under any broadcast on this machine: no server framework, no WebSocket, no JSON — one
 * thread writes the same 100-byte buffer to N connected loopback TCP sockets (TCP_NODELAY,
 * blocking-free NIO writes), while one reader thread on the other side drains them with a selector,
 * the way a client event loop does. It reports how long the bare write loop takes and when the
 * reader has seen every byte, i.e. the shortest broadcast a server written in any language could
 * achieve here, against which the gateway's broadcast latency and the 40 ms target are read.
 *
 * <p>Usage: {@code java -cp bench-fanout-compare.jar candlecast.bench.fanout.KernelFloor
 * [connections=10000] [rounds=20] [writer threads=1]} (both ends live in this process: keep 2 ×
 * connections under the open-files limit)
 */
public final class KernelFloor {
  private static final int FRAME = 100;

  private KernelFloor() {}

  public static void main(String[] args) throws Exception {
    int n;
    int rounds;
    int writers;
    try {
      n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
      rounds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
      writers = args.length > 2 ? Integer.parseInt(args[2]) : 1;
      if (n < 1 || rounds < 1 || writers < 1 || writers > n) {
        throw new NumberFormatException("each must be at least 1, and writers at most connections");
      }
    } catch (NumberFormatException e) {
      System.err.println(
          "usage: KernelFloor [connections=10000] [rounds=20] [writer threads=1] — "
              + e.getMessage());
      System.exit(2);
      return;
    }
    ServerSocketChannel server = ServerSocketChannel.open();
    InetAddress loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
    server.bind(new InetSocketAddress(loopback, 0), 4096);
    int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
    List<SocketChannel> senders = new ArrayList<>(n);
    List<SocketChannel> receivers = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      SocketChannel c = SocketChannel.open();
      // several source addresses, as the load generator uses (ephemeral ports per address are
      // limited)
      c.bind(new InetSocketAddress("127.0.0." + (2 + i % 8), 0));
      c.connect(new InetSocketAddress(loopback, port));
      SocketChannel s = server.accept();
      s.setOption(StandardSocketOptions.TCP_NODELAY, true);
      s.configureBlocking(false);
      c.configureBlocking(false);
      senders.add(s);
      receivers.add(c);
    }
    Selector selector = Selector.open();
    for (SocketChannel c : receivers) {
      c.register(selector, SelectionKey.OP_READ);
    }
    AtomicLong received = new AtomicLong();
    AtomicLong lastByteNanos = new AtomicLong();
    Thread reader =
        new Thread(
            () -> {
              ByteBuffer buf = ByteBuffer.allocateDirect(64 * 1024);
              try {
                while (!Thread.currentThread().isInterrupted()) {
                  if (selector.select(100) == 0) {
                    continue;
                  }
                  long got = 0;
                  for (SelectionKey k : selector.selectedKeys()) {
                    buf.clear();
                    got += Math.max(0, ((SocketChannel) k.channel()).read(buf));
                  }
                  selector.selectedKeys().clear();
                  lastByteNanos.set(System.nanoTime());
                  received.addAndGet(got);
                }
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            },
            "reader");
    reader.setDaemon(true);
    reader.start();

    ByteBuffer frame = ByteBuffer.allocateDirect(FRAME);
    for (int i = 0; i < FRAME; i++) {
      frame.put((byte) 'x');
    }
    frame.flip();
    double[] writeMs = new double[rounds];
    double[] allMs = new double[rounds];
    long expected = 0;
    for (int r = 0; r < rounds + 3; r++) {
      long t0 = System.nanoTime();
      if (writers == 1) {
        for (SocketChannel s : senders) {
          s.write(frame.duplicate());
        }
      } else {
        Thread[] ts = new Thread[writers];
        for (int w = 0; w < writers; w++) {
          List<SocketChannel> part = senders.subList(w * n / writers, (w + 1) * n / writers);
          ts[w] =
              new Thread(
                  () -> {
                    try {
                      for (SocketChannel s : part) {
                        s.write(frame.duplicate());
                      }
                    } catch (java.io.IOException e) {
                      throw new java.io.UncheckedIOException(e);
                    }
                  });
          ts[w].start();
        }
        for (Thread t : ts) {
          t.join();
        }
      }
      long t1 = System.nanoTime();
      expected += (long) FRAME * n;
      while (received.get() < expected) {
        java.util.concurrent.locks.LockSupport.parkNanos(
            100_000); // no spinning: the reader needs the other core
      }
      long t2 = lastByteNanos.get();
      if (r >= 3) { // the first rounds warm up the JIT and the sockets
        writeMs[r - 3] = (t1 - t0) / 1e6;
        allMs[r - 3] = (t2 - t0) / 1e6;
      }
      Thread.sleep(200);
    }
    Arrays.sort(writeMs);
    Arrays.sort(allMs);
    System.out.printf(
        "RESULT kernel floor, %,d loopback TCP connections, %d-byte writes, %d writer thread(s), %d rounds:"
            + " write loop median %.1f ms (%.1f µs of wall time per write, min %.1f ms); last byte read by the receiving"
            + " thread: median %.1f ms (min %.1f, max %.1f)%n",
        n,
        FRAME,
        writers,
        rounds,
        writeMs[rounds / 2],
        writeMs[rounds / 2] * 1000 / n,
        writeMs[0],
        allMs[rounds / 2],
        allMs[0],
        allMs[rounds - 1]);
    System.exit(0);
  }
}

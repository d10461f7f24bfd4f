package candlecast.common.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Ports on the loopback address the embedded brokers listen on. */
final class LoopbackPorts {
  static final String HOST = "127.0.0.1";

  private LoopbackPorts() {}

  @SuppressWarnings(
      "AddressSelection") // HOST is an IP literal: getByName parses it, no name is resolved
  static boolean isFree(int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(InetAddress.getByName(HOST), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @SuppressWarnings(
      "AddressSelection") // HOST is an IP literal: getByName parses it, no name is resolved
  static int freePort() {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(InetAddress.getByName(HOST), 0));
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free port", e);
    }
  }
}

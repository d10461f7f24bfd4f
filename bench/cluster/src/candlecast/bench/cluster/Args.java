package candlecast.bench.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** {@code --key value} arguments and the load average. */
final class Args {
  private Args() {}

  static Map<String, String> parse(String[] args) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("expected --key value, got: " + args[i]);
      }
      m.put(args[i].substring(2), args[++i]);
    }
    if (!m.containsKey("out")) {
      throw new IllegalArgumentException("--out DIR is required");
    }
    return m;
  }

  /** The 1, 5 and 15 minute load averages (/proc/loadavg). */
  static String uptime() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException e) {
      return "unknown";
    }
  }
}

package candlecast.deploy;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Parsed command line: {@code [role] [--cluster] [--conf FILE] [--help]}. */
record LauncherArgs(Role role, boolean cluster, String confFile, boolean help) {

  static LauncherArgs parse(String[] args) {
    Role role = null;
    String conf = null;
    boolean help = false;
    boolean cluster = false;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--help", "-h" -> help = true;
        case "--cluster" -> cluster = true;
        case "--conf" -> {
          if (i + 1 >= args.length) {
            throw new IllegalArgumentException("--conf needs a file name");
          }
          conf = args[++i];
        }
        default -> {
          if (a.startsWith("--conf=")) {
            conf = a.substring("--conf=".length());
          } else if (a.startsWith("-")) {
            throw new IllegalArgumentException("unknown option " + a);
          } else if (role == null) {
            role = Role.parse(a);
            if (role == null) {
              throw new IllegalArgumentException(
                  "unknown role '" + a + "' (roles: " + roles() + ")");
            }
          } else {
            throw new IllegalArgumentException("unexpected argument '" + a + "'");
          }
        }
      }
    }
    if (role == null) {
      role = Role.ALL;
    }
    if (!help) {
      if (role.clustered() && !cluster) {
        throw new IllegalArgumentException(
            "role " + role.label() + " runs one tier of a cluster: add --cluster");
      }
      if (!role.clustered() && cluster) {
        throw new IllegalArgumentException(
            "--cluster is for the roles feed, aggregator and gateway, not " + role.label());
      }
    }
    return new LauncherArgs(role, cluster, conf, help);
  }

  static String roles() {
    return Arrays.stream(Role.values()).map(Role::label).collect(Collectors.joining(", "));
  }
}

package candlecast.deploy;

/** Parsed command line: {@code [role] [--conf FILE] [--help]}. */
record LauncherArgs(String role, String confFile, boolean help) {

  static LauncherArgs parse(String[] args) {
    String role = null;
    String conf = null;
    boolean help = false;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--help", "-h" -> help = true;
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
            if (!a.equals("all")) {
              throw new IllegalArgumentException("unknown role '" + a + "' (this build runs: all)");
            }
            role = a;
          } else {
            throw new IllegalArgumentException("unexpected argument '" + a + "'");
          }
        }
      }
    }
    return new LauncherArgs(role == null ? "all" : role, conf, help);
  }
}

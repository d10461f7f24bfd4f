package candlecast.bench.chaos;

/**
 * One fault the nemesis injected: what, to whom, when it began, when it was healed (the member
 * started again, resumed or reconnected) and when the cluster had recovered (every member ready and
 * every client streaming again); -1 while not (yet) so.
 */
final class Fault {
  enum Kind {
    KILL,
    PAUSE,
    RESTART,
    CUT
  }

  final Kind kind;
  final String target;
  final long startMs;
  volatile long healedMs = -1;
  volatile long recoveredMs = -1;
  volatile String note = "";

  Fault(Kind kind, String target, long startMs) {
    this.kind = kind;
    this.target = target;
    this.startMs = startMs;
  }

  long recoveryMs() {
    return recoveredMs < 0 ? -1 : recoveredMs - startMs;
  }

  /** Whether {@code t} lies between the fault's start and its recovery (or {@code end}). */
  boolean covers(long t, long end) {
    return t >= startMs && t <= (recoveredMs < 0 ? end : recoveredMs);
  }

  @Override
  public String toString() {
    return kind
        + " "
        + target
        + " at "
        + startMs
        + " healed "
        + healedMs
        + " recovered "
        + recoveredMs
        + (note.isEmpty() ? "" : " (" + note + ")");
  }
}

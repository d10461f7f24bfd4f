package candlecast.aggregator;

import java.util.Set;

/**
 * What the {@link FoldLoop} has done so far: its counters and state, published by the loop thread
 * as one immutable snapshot per poll, so that other threads (health) read a consistent view without
 * the loop paying for it per trade.
 *
 * @param lastPollMs wall-clock time the last poll returned (0 = never)
 * @param lastError the last failure, or null
 * @param partitions the {@code trades} partitions owned
 * @param gaps gap records folded
 * @param gapsIncomplete gap records overlapping closed candles too old to be marked partial
 * @param commits fold transactions committed
 * @param aborts fold transactions aborted (a failed write, or refused: the group moved on)
 */
record FoldStats(
    long tradesIn,
    long watermarks,
    long duplicates,
    long late,
    long malformed,
    long candlesOut,
    long checkpoints,
    long lastPollMs,
    String lastError,
    Set<Integer> partitions,
    long gaps,
    long gapsIncomplete,
    long commits,
    long aborts) {
  static final FoldStats NONE = new FoldStats(0, 0, 0, 0, 0, 0, 0, 0, null, Set.of(), 0, 0, 0, 0);
}

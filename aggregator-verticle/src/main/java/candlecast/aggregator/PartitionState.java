package candlecast.aggregator;

import candlecast.aggregator.alerts.AlertBook;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What the aggregator holds of an owned {@code trades} partition: the next offset to fold and each
 * symbol's folder.
 */
final class PartitionState {
  final int partition;
  long nextOffset;
  final Map<String, CandleFolder> folders = new LinkedHashMap<>();

  /** The partition's alerts (issue 17); created on first use with the fold's grace period. */
  private AlertBook book;

  /**
   * Fire ids already in {@code alerts.fires} after the checkpoint's fires offset (a replay skips
   * them).
   */
  final Set<String> recordedFires = new HashSet<>();

  /** The end of the {@code alerts.fires} partition as far as this instance knows (-1: unknown). */
  long firesEnd = -1;

  /** The {@code alerts.fires} offset {@link #recordedFires} were read from (-1: the beginning). */
  long firesFrom = -1;

  /**
   * The alert section of the checkpoint this state was restored from (null: none), until loaded.
   */
  byte[] checkpointAlerts;

  PartitionState(int partition, long nextOffset) {
    this.partition = partition;
    this.nextOffset = nextOffset;
  }

  AlertBook book(long graceMs) {
    if (book == null) {
      book = new AlertBook(partition, graceMs, new FolderWindows(folders));
    }
    return book;
  }

  /** The alert book, or null before {@link #book(long)}. */
  AlertBook bookOrNull() {
    return book;
  }
}

package candlecast.aggregator;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the aggregator holds of an owned {@code trades} partition: the next offset to fold and each
 * symbol's folder.
 */
final class PartitionState {
  final int partition;
  long nextOffset;
  final Map<String, CandleFolder> folders = new LinkedHashMap<>();

  PartitionState(int partition, long nextOffset) {
    this.partition = partition;
    this.nextOffset = nextOffset;
  }
}

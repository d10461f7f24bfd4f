package candlecast.aggregator;

import candlecast.aggregator.alerts.WindowSource;
import candlecast.common.Timeframe;
import java.util.Map;

/** The folders of a partition as a {@link WindowSource} for seeding candle-kind alerts. */
final class FolderWindows implements WindowSource {
  private final Map<String, CandleFolder> folders;

  FolderWindows(Map<String, CandleFolder> folders) {
    this.folders = folders;
  }

  @Override
  public void windows(String symbol, Timeframe tf, boolean withOpen, Visitor v) {
    CandleFolder f = folders.get(symbol);
    if (f == null) {
      return;
    }
    WindowRing ring = f.committedRings()[tf.index()];
    ClosedWindows kept = ring.kept;
    for (int k = 0; k < kept.count(); k++) {
      int s = kept.slot(k);
      v.window(kept.start[s], kept.o[s], kept.h[s], kept.l[s], kept.c[s], kept.v[s], true);
    }
    if (withOpen) {
      for (int j = 0; j < ring.count; j++) {
        int s = ring.slot(j);
        if (ring.n[s] > 0) {
          v.window(ring.start[s], ring.o[s], ring.h[s], ring.l[s], ring.c[s], ring.v[s], false);
        }
      }
    }
  }

  @Override
  public long watermark(String symbol) {
    CandleFolder f = folders.get(symbol);
    return f == null ? Long.MIN_VALUE : f.watermark();
  }
}

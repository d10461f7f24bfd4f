package candlecast.aggregator.alerts;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * The move alerts of one symbol with one window that were activated at the same offset (they count
 * the same trades): the minimum and maximum price over the window in monotonic deques, the alerts
 * sorted by percentage. A move up of pct holds on a trade when {@code price >= min * (1 + pct /
 * 100)}: true for a prefix of the alerts sorted by pct, so the alerts that turn true on a trade
 * (true now, false on the previous trade: a fire) are one range found by two binary searches.
 *
 * <p>Times: each trade counts at the group's event time (the largest trade time it has seen), so a
 * trade slightly out of order stays in the window as long as the trades before it.
 */
final class MoveGroup {
  private static final Comparator<Alert> BY_PCT = Comparator.comparingDouble(a -> a.cond.pct());

  final long windowMs;
  final long fromOffset;
  private PriceDeque min = new PriceDeque(false);
  private PriceDeque max = new PriceDeque(true);
  private long eventTime = Long.MIN_VALUE;
  private double prevPrice = Double.NaN;
  private double prevMin = Double.NaN;
  private double prevMax = Double.NaN;
  private final List<Alert> up = new ArrayList<>();
  private final List<Alert> down = new ArrayList<>();
  private int live;

  MoveGroup(long windowMs, long fromOffset) {
    this.windowMs = windowMs;
    this.fromOffset = fromOffset;
  }

  void add(Alert a) {
    List<Alert> list = a.cond.kind().upward() ? up : down;
    int i = 0;
    while (i < list.size() && BY_PCT.compare(list.get(i), a) <= 0) {
      i++;
    }
    list.add(i, a);
    live++;
  }

  /** One alert left the group; returns whether none is left. */
  boolean removed() {
    live--;
    return live <= 0;
  }

  static boolean holdsUp(double price, double min, double pct) {
    return price >= min * (1 + pct / 100);
  }

  static boolean holdsDown(double price, double max, double pct) {
    return price <= max * (1 - pct / 100);
  }

  /**
   * A trade: hands each alert whose condition turned true to {@code crossed} with the observed move
   * in percent.
   */
  void onTrade(long time, double price, BiConsumer<Alert, Double> crossed) {
    if (2 * live < up.size() + down.size()) { // drop finished alerts (never while firing)
      up.removeIf(a -> a.done);
      down.removeIf(a -> a.done);
    }
    if (time > eventTime) {
      eventTime = time;
    }
    min.push(eventTime, price);
    max.push(eventTime, price);
    min.evictBefore(eventTime - windowMs);
    max.evictBefore(eventTime - windowMs);
    double lo = min.front();
    double hi = max.front();
    int upTo = prefix(up, true, price, lo);
    int upFrom = Double.isNaN(prevPrice) ? 0 : prefix(up, true, prevPrice, prevMin);
    double upMove = (price / lo - 1) * 100;
    for (int i = upFrom; i < upTo; i++) {
      crossed.accept(up.get(i), upMove);
    }
    int downTo = prefix(down, false, price, hi);
    int downFrom = Double.isNaN(prevPrice) ? 0 : prefix(down, false, prevPrice, prevMax);
    double downMove = (1 - price / hi) * 100;
    for (int i = downFrom; i < downTo; i++) {
      crossed.accept(down.get(i), downMove);
    }
    prevPrice = price;
    prevMin = lo;
    prevMax = hi;
  }

  /** How many of {@code list} (sorted by pct) hold at {@code price} given the window's extreme. */
  private static int prefix(List<Alert> list, boolean isUp, double price, double extreme) {
    int lo = 0;
    int hi = list.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      double pct = list.get(mid).cond.pct();
      boolean holds = isUp ? holdsUp(price, extreme, pct) : holdsDown(price, extreme, pct);
      if (holds) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  void write(DataOutputStream out) throws IOException {
    out.writeLong(windowMs);
    out.writeLong(fromOffset);
    out.writeLong(eventTime);
    out.writeDouble(prevPrice);
    out.writeDouble(prevMin);
    out.writeDouble(prevMax);
    min.write(out);
    max.write(out);
  }

  static MoveGroup read(DataInputStream in) throws IOException {
    MoveGroup g = new MoveGroup(in.readLong(), in.readLong());
    g.eventTime = in.readLong();
    g.prevPrice = in.readDouble();
    g.prevMin = in.readDouble();
    g.prevMax = in.readDouble();
    g.min = PriceDeque.read(in, false);
    g.max = PriceDeque.read(in, true);
    return g;
  }
}

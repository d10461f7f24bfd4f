package candlecast.bench.fanout;

/**
 * A log-linear latency histogram in microseconds (exact below 2,048 µs, then 1,024 sub-buckets per power of two:
 * about 0.1 % precision up to hours). Single-writer; {@link #copy} and {@link #minus} make interval snapshots.
 */
final class Histogram {
  private static final int LINEAR = 2048;
  private static final int SUB = 1024;
  private static final int SIZE = LINEAR + 52 * SUB;
  final long[] counts;

  Histogram() {
    counts = new long[SIZE];
  }

  private Histogram(long[] counts) {
    this.counts = counts;
  }

  void record(long micros) {
    counts[index(Math.max(0, micros))]++;
  }

  static int index(long v) {
    if (v < LINEAR) {
      return (int) v;
    }
    int exp = 63 - Long.numberOfLeadingZeros(v); // >= 11
    int mant = (int) ((v >>> (exp - 10)) & (SUB - 1));
    return Math.min(SIZE - 1, LINEAR + (exp - 11) * SUB + mant);
  }

  /** Lower bound of bucket i, in µs. */
  static long value(int i) {
    if (i < LINEAR) {
      return i;
    }
    int exp = (i - LINEAR) / SUB + 11;
    int mant = (i - LINEAR) % SUB;
    return (1L << exp) + ((long) mant << (exp - 10));
  }

  Histogram copy() {
    return new Histogram(counts.clone());
  }

  void add(Histogram o) {
    for (int i = 0; i < SIZE; i++) {
      counts[i] += o.counts[i];
    }
  }

  Histogram minus(Histogram before) {
    long[] c = new long[SIZE];
    for (int i = 0; i < SIZE; i++) {
      c[i] = counts[i] - before.counts[i];
    }
    return new Histogram(c);
  }

  long count() {
    long n = 0;
    for (long c : counts) {
      n += c;
    }
    return n;
  }

  /** The p-th percentile in ms. */
  double percentileMs(double p) {
    long n = count();
    if (n == 0) {
      return 0;
    }
    long rank = (long) Math.ceil(p / 100.0 * n);
    long seen = 0;
    for (int i = 0; i < SIZE; i++) {
      seen += counts[i];
      if (seen >= rank) {
        return value(i) / 1000.0;
      }
    }
    return value(SIZE - 1) / 1000.0;
  }

  double maxMs() {
    for (int i = SIZE - 1; i >= 0; i--) {
      if (counts[i] > 0) {
        return value(i) / 1000.0;
      }
    }
    return 0;
  }
}

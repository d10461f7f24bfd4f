package candlecast.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The window math of 1w and 1M against java.time (an independent oracle: Timeframe uses integer day
 * arithmetic), and of the fixed timeframes against plain floor division.
 */
class CalendarTimeframeTest {
  private static final long DAY = 86_400_000L;

  private static long ms(String iso) {
    return Instant.parse(iso).toEpochMilli();
  }

  /** java.time: 00:00 UTC on the first of the month containing t. */
  private static long oracleMonthStart(long t) {
    LocalDate d = Instant.ofEpochMilli(t).atZone(ZoneOffset.UTC).toLocalDate();
    return d.withDayOfMonth(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
  }

  /** java.time: 00:00 UTC on the Monday on or before the day containing t. */
  private static long oracleWeekStart(long t) {
    LocalDate d = Instant.ofEpochMilli(t).atZone(ZoneOffset.UTC).toLocalDate();
    return d.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY))
        .atStartOfDay(ZoneOffset.UTC)
        .toInstant()
        .toEpochMilli();
  }

  private static long oracleNextMonth(long monthStart) {
    return Instant.ofEpochMilli(monthStart)
        .atZone(ZoneOffset.UTC)
        .plusMonths(1)
        .toInstant()
        .toEpochMilli();
  }

  @Test
  void monthLengthsFollowTheCalendar() {
    Timeframe m = Timeframe.MN1;
    assertThat(len(m, "2025-01-01T00:00:00Z")).isEqualTo(31 * DAY);
    assertThat(len(m, "2025-02-01T00:00:00Z")).isEqualTo(28 * DAY);
    assertThat(len(m, "2024-02-01T00:00:00Z")).as("2024 is a leap year").isEqualTo(29 * DAY);
    assertThat(len(m, "2000-02-01T00:00:00Z")).as("2000: divisible by 400").isEqualTo(29 * DAY);
    assertThat(len(m, "2100-02-01T00:00:00Z")).as("2100: century, not leap").isEqualTo(28 * DAY);
    assertThat(len(m, "1900-02-01T00:00:00Z")).isEqualTo(28 * DAY);
    assertThat(len(m, "2025-04-01T00:00:00Z")).isEqualTo(30 * DAY);
    assertThat(len(m, "2025-12-01T00:00:00Z")).isEqualTo(31 * DAY);
  }

  private static long len(Timeframe tf, String openIso) {
    long open = ms(openIso);
    assertThat(tf.isAligned(open)).as(openIso + " is a window start").isTrue();
    return tf.windowEnd(open) - open;
  }

  @Test
  void leapDayAndYearBoundaries() {
    Timeframe m = Timeframe.MN1;
    assertThat(m.windowStart(ms("2024-02-29T23:59:59.999Z"))).isEqualTo(ms("2024-02-01T00:00:00Z"));
    assertThat(m.windowStart(ms("2024-03-01T00:00:00Z"))).isEqualTo(ms("2024-03-01T00:00:00Z"));
    assertThat(m.windowEnd(ms("2024-02-01T00:00:00Z"))).isEqualTo(ms("2024-03-01T00:00:00Z"));
    assertThat(m.windowStart(ms("2025-12-31T23:59:59.999Z"))).isEqualTo(ms("2025-12-01T00:00:00Z"));
    assertThat(m.windowEnd(ms("2025-12-01T00:00:00Z"))).isEqualTo(ms("2026-01-01T00:00:00Z"));
    assertThat(m.windowStart(ms("2026-01-01T00:00:00Z"))).isEqualTo(ms("2026-01-01T00:00:00Z"));
    assertThat(
            m.windowIndex(ms("2026-01-01T00:00:00Z")) - m.windowIndex(ms("2025-12-31T23:59:59Z")))
        .isEqualTo(1);
    assertThat(m.isAligned(ms("2024-02-29T00:00:00Z"))).isFalse();
    assertThat(m.windowStart(0)).isZero();
    assertThat(m.windowIndex(0)).isZero();
  }

  @Test
  void weeksStartMondayAcrossNewYear() {
    Timeframe w = Timeframe.W1;
    // ISO week 2026-W01 starts Monday 2025-12-29: the week holds the year boundary
    assertThat(w.windowStart(ms("2026-01-01T12:00:00Z"))).isEqualTo(ms("2025-12-29T00:00:00Z"));
    assertThat(w.windowStart(ms("2025-12-31T23:59:59.999Z"))).isEqualTo(ms("2025-12-29T00:00:00Z"));
    assertThat(w.windowEnd(ms("2025-12-29T00:00:00Z"))).isEqualTo(ms("2026-01-05T00:00:00Z"));
    // 2021-01-03 (Sunday) still belongs to the week starting 2020-12-28 (ISO 2020-W53)
    assertThat(w.windowStart(ms("2021-01-03T23:59:59.999Z"))).isEqualTo(ms("2020-12-28T00:00:00Z"));
    assertThat(w.windowStart(ms("2021-01-04T00:00:00Z"))).isEqualTo(ms("2021-01-04T00:00:00Z"));
    // 1970-01-01 was a Thursday: week 0 starts Monday 1969-12-29, before the epoch
    assertThat(w.windowStart(0)).isEqualTo(-3 * DAY);
    assertThat(w.windowIndex(0)).isZero();
    assertThat(w.windowStart(-1)).isEqualTo(-3 * DAY);
    assertThat(w.windowStart(-3 * DAY - 1)).isEqualTo(-10 * DAY);
    assertThat(w.isAligned(ms("2024-02-26T00:00:00Z"))).isTrue(); // a Monday
    assertThat(w.isAligned(ms("2024-02-29T00:00:00Z"))).isFalse();
  }

  @Test
  void negativeTimesFloor() {
    assertThat(Timeframe.MN1.windowStart(-1)).isEqualTo(ms("1969-12-01T00:00:00Z"));
    assertThat(Timeframe.MN1.windowIndex(-1)).isEqualTo(-1);
    assertThat(Timeframe.MN1.windowStart(ms("1600-02-29T10:00:00Z")))
        .isEqualTo(ms("1600-02-01T00:00:00Z"));
    assertThat(Timeframe.MN1.windowEnd(ms("1600-02-01T00:00:00Z")))
        .isEqualTo(ms("1600-03-01T00:00:00Z"));
  }

  /** Random instants from 1600 to 2400: every timeframe's math agrees with its oracle. */
  @Test
  void agreesWithJavaTimeOnRandomInstants() {
    SplittableRandom rnd = new SplittableRandom(15);
    long lo = ms("1600-01-01T00:00:00Z");
    long hi = ms("2400-01-01T00:00:00Z");
    for (int i = 0; i < 200_000; i++) {
      long t = rnd.nextLong(lo, hi);
      check(t);
    }
    // every day boundary (and the millisecond before it) from 1999 to 2101
    for (ZonedDateTime d = ZonedDateTime.parse("1999-01-01T00:00:00Z");
        d.getYear() < 2102;
        d = d.plusDays(1)) {
      long t = d.toInstant().toEpochMilli();
      check(t);
      check(t - 1);
    }
  }

  private static void check(long t) {
    long m = oracleMonthStart(t);
    assertThat(Timeframe.MN1.windowStart(t)).as("month of %s", t).isEqualTo(m);
    assertThat(Timeframe.MN1.windowEnd(m)).as("month after %s", m).isEqualTo(oracleNextMonth(m));
    long monthsSince1970 =
        ChronoUnit.MONTHS.between(
            LocalDate.of(1970, 1, 1), Instant.ofEpochMilli(m).atZone(ZoneOffset.UTC).toLocalDate());
    assertThat(Timeframe.MN1.windowIndex(t)).isEqualTo(monthsSince1970);
    assertThat(Timeframe.MN1.windowStartOfIndex(monthsSince1970)).isEqualTo(m);
    long w = oracleWeekStart(t);
    assertThat(Timeframe.W1.windowStart(t)).as("week of %s", t).isEqualTo(w);
    assertThat(Timeframe.W1.windowEnd(w)).isEqualTo(w + 7 * DAY);
    assertThat(Timeframe.W1.windowStartOfIndex(Timeframe.W1.windowIndex(t))).isEqualTo(w);
    for (Timeframe tf : Timeframe.values()) {
      long s = tf.windowStart(t);
      assertThat(s).isLessThanOrEqualTo(t);
      assertThat(tf.windowEnd(s)).isGreaterThan(t);
      assertThat(tf.isAligned(s)).isTrue();
      assertThat(tf.windowEnd(s) - s)
          .isBetween(tf.minMillis(), tf.isFixed() ? tf.minMillis() : 31 * DAY);
      if (tf.isFixed() && tf != Timeframe.W1) {
        assertThat(s).isEqualTo(Math.floorDiv(t, tf.millis()) * tf.millis());
      }
      // windows nest: the 1s window containing t lies within one window of every timeframe
      long s1 = Timeframe.S1.windowStart(t);
      assertThat(tf.windowStart(s1)).isEqualTo(s);
      assertThat(tf.windowEnd(s)).isGreaterThanOrEqualTo(Timeframe.S1.windowEnd(s1));
    }
  }
}

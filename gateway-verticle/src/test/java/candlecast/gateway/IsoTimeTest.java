package candlecast.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link IsoTime} against java.time's formatter (the oracle), and Instant.parse reading it back.
 */
class IsoTimeTest {
  private static final DateTimeFormatter ORACLE =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  /** 9999-12-31T23:59:59.999Z, the last instant with a four-digit year. */
  private static final long MAX4 = 253_402_300_799_999L;

  @Test
  void theSeedsExampleAndEdges() {
    assertThat(IsoTime.format(Instant.parse("2025-01-27T10:30:00Z").toEpochMilli()))
        .isEqualTo("2025-01-27T10:30:00.000Z");
    assertThat(IsoTime.format(0)).isEqualTo("1970-01-01T00:00:00.000Z");
    assertThat(IsoTime.format(-1)).isEqualTo("1969-12-31T23:59:59.999Z");
    assertThat(IsoTime.format(951_782_400_000L))
        .as("a leap day of a year divisible by 400")
        .isEqualTo("2000-02-29T00:00:00.000Z");
    assertThat(IsoTime.format(MAX4)).isEqualTo("9999-12-31T23:59:59.999Z");
  }

  @Test
  void agreesWithJavaTimeOnRandomInstants() {
    SplittableRandom r = new SplittableRandom(14);
    long min = Instant.parse("0000-01-01T00:00:00Z").toEpochMilli();
    for (int i = 0; i < 300_000; i++) {
      long ms =
          i % 3 == 0
              ? r.nextLong(min, MAX4 + 1)
              : r.nextLong(1_500_000_000_000L, 2_000_000_000_000L); // around now: where it is used
      String s = IsoTime.format(ms);
      assertThat(s).as("%d", ms).isEqualTo(ORACLE.format(Instant.ofEpochMilli(ms)));
      assertThat(Instant.parse(s).toEpochMilli()).isEqualTo(ms);
    }
  }

  @Test
  void yearsBeyondFourDigitsAreStillWrittenCorrectly() {
    for (long ms :
        new long[] {
          MAX4 + 1,
          Instant.parse("-0001-12-31T23:59:59.999Z").toEpochMilli(),
          Long.MAX_VALUE,
          Long.MIN_VALUE
        }) {
      assertThat(IsoTime.format(ms)).isEqualTo(ORACLE.format(Instant.ofEpochMilli(ms)));
    }
  }

  @Test
  void appendsToWhatIsThere() {
    assertThat(IsoTime.append(new StringBuilder("at "), 1_700_000_000_123L).toString())
        .isEqualTo("at 2023-11-14T22:13:20.123Z");
  }
}

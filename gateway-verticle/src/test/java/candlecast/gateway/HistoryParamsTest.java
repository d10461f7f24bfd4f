package candlecast.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import candlecast.gateway.HistoryParams.Period;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HistoryParamsTest {
  private static final long NOW = Instant.parse("2024-03-31T10:15:00Z").toEpochMilli();

  @Test
  void everyPeriodParsesByLabelAndBySeedNameInAnyCase() {
    String[][] forms = {
      {"1d", "DAY_01"}, {"5d", "DAY_05"}, {"1mo", "MONTH_01"}, {"3mo", "MONTH_03"},
      {"6mo", "MONTH_06"}, {"1y", "YEAR_01"}, {"2y", "YEAR_02"}, {"5y", "YEAR_05"},
      {"max", "YEAR_MAX"}
    };
    assertThat(forms.length).isEqualTo(Period.values().length);
    for (String[] f : forms) {
      Period p = HistoryParams.period(f[0]);
      assertThat(p.label()).isEqualTo(f[0]);
      assertThat(HistoryParams.period(f[1])).isSameAs(p);
      assertThat(HistoryParams.period(f[1].toLowerCase(java.util.Locale.ROOT))).isSameAs(p);
      assertThat(HistoryParams.period(" " + f[0].toUpperCase(java.util.Locale.ROOT) + " "))
          .isSameAs(p);
      assertThat(p.seedName()).isEqualTo(f[1]);
    }
    assertThat(HistoryParams.period(null)).isNull();
  }

  @Test
  void badPeriodsNameTheParameter() {
    for (String bad : new String[] {"", "2d", "1m", "YEAR_03", "1 y", "forever"}) {
      assertThatThrownBy(() -> HistoryParams.period(bad))
          .as(bad)
          .isInstanceOf(HistoryParams.Rejected.class)
          .hasMessageContaining("unknown period")
          .hasMessageContaining("1mo");
    }
  }

  @Test
  void periodsAreUtcCalendarSpansBackFromTo() {
    // independent oracle: LocalDate arithmetic on the UTC date, same time of day
    LocalDate day = LocalDate.of(2024, 3, 31);
    long timeOfDay = NOW - day.toEpochDay() * 86_400_000L;
    Map<String, LocalDate> expected = new HashMap<>();
    expected.put("1d", LocalDate.of(2024, 3, 30));
    expected.put("5d", LocalDate.of(2024, 3, 26));
    expected.put("1mo", LocalDate.of(2024, 2, 29)); // leap February: 31 March minus a month
    expected.put("3mo", LocalDate.of(2023, 12, 31));
    expected.put("6mo", LocalDate.of(2023, 9, 30));
    expected.put("1y", LocalDate.of(2023, 3, 31));
    expected.put("2y", LocalDate.of(2022, 3, 31));
    expected.put("5y", LocalDate.of(2019, 3, 31));
    expected.forEach(
        (label, d) ->
            assertThat(HistoryParams.period(label).startFor(NOW))
                .as(label)
                .isEqualTo(d.toEpochDay() * 86_400_000L + timeOfDay));
    assertThat(Period.MAX.startFor(NOW)).isNull();
    long leapDay = Instant.parse("2024-02-29T00:00:00Z").toEpochMilli();
    assertThat(Period.Y1.startFor(leapDay))
        .isEqualTo(Instant.parse("2023-02-28T00:00:00Z").toEpochMilli());
  }

  @Test
  void timesAreEpochMillisIsoDatesOrIsoDateTimes() {
    long jan31 = LocalDate.of(2024, 1, 31).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    assertThat(HistoryParams.time("from", "1706659200000", false)).isEqualTo(1_706_659_200_000L);
    assertThat(HistoryParams.time("from", "0", false)).isZero();
    assertThat(HistoryParams.time("from", "2024-01-31", false)).isEqualTo(jan31);
    assertThat(HistoryParams.time("to", "2024-01-31", true))
        .as("a date as 'to' includes that whole day")
        .isEqualTo(jan31 + 86_400_000L - 1);
    assertThat(HistoryParams.time("from", "2024-01-31T12:00:00Z", false))
        .isEqualTo(jan31 + 12 * 3_600_000L);
    assertThat(HistoryParams.time("from", "2024-01-31T12:00:00.250Z", false))
        .isEqualTo(jan31 + 12 * 3_600_000L + 250);
    assertThat(HistoryParams.time("from", "2024-01-31T12:00:00+02:00", false))
        .isEqualTo(jan31 + 10 * 3_600_000L);
    assertThat(HistoryParams.time("from", "2024-01-31T12:00:00 02:00", false))
        .as("an unencoded '+' arrives as a space")
        .isEqualTo(jan31 + 10 * 3_600_000L);
    assertThat(HistoryParams.time("from", "2024-01-31T12:00:00-05:30", false))
        .isEqualTo(jan31 + 17 * 3_600_000L + 30 * 60_000L);
    assertThat(HistoryParams.time("to", "2024-01-31T12:00", true))
        .as("no offset: UTC, no end-of-day widening")
        .isEqualTo(jan31 + 12 * 3_600_000L);
    assertThat(HistoryParams.time("to", null, true)).isNull();
  }

  @Test
  void badTimesNameTheParameter() {
    String[] bad = {
      "yesterday",
      "",
      "1.5",
      "2024-13-01",
      "2024-02-30",
      "2023-02-29",
      "2024-01-31T25:00Z",
      "2024-1-31",
      "31/01/2024",
      "2024-01-31T12:00:00+25:00",
      "1e12"
    };
    for (String b : bad) {
      assertThatThrownBy(() -> HistoryParams.time("to", b, true))
          .as(b)
          .isInstanceOf(HistoryParams.Rejected.class)
          .hasMessageStartingWith("to ");
    }
    assertThatThrownBy(() -> HistoryParams.time("from", "-5", false))
        .hasMessage("from must be epoch milliseconds >= 0, was -5");
    assertThatThrownBy(() -> HistoryParams.time("from", "1969-12-31", false))
        .hasMessageContaining("from must be epoch milliseconds >= 0");
    assertThatThrownBy(() -> HistoryParams.time("from", "99999999999999999999", false))
        .hasMessageContaining("from is out of range");
  }

  @Test
  void localOnlyIsTrueFalseOneOrZero() {
    assertThat(HistoryParams.bool("local_only", "true")).isTrue();
    assertThat(HistoryParams.bool("local_only", "TRUE")).isTrue();
    assertThat(HistoryParams.bool("local_only", "1")).isTrue();
    assertThat(HistoryParams.bool("local_only", "false")).isFalse();
    assertThat(HistoryParams.bool("local_only", "0")).isFalse();
    assertThat(HistoryParams.bool("local_only", null)).isNull();
    for (String b : new String[] {"yes", "2", "", "tru"}) {
      assertThatThrownBy(() -> HistoryParams.bool("local_only", b))
          .as(b)
          .hasMessageStartingWith("local_only must be true, false, 1 or 0");
    }
  }

  @Test
  void periodReachesBackFromToOrNowAndALaterFromNarrowsIt() {
    long to = Instant.parse("2024-06-15T00:00:00Z").toEpochMilli();
    long yearBeforeTo = Instant.parse("2023-06-15T00:00:00Z").toEpochMilli();
    long yearBeforeNow = Instant.parse("2023-03-31T10:15:00Z").toEpochMilli();
    assertThat(parse(Map.of("period", "1y")))
        .isEqualTo(new HistoryParams.Range(yearBeforeNow, null, null, Period.Y1));
    assertThat(parse(Map.of("period", "YEAR_01", "to", "2024-06-14")).from())
        .as("a date 'to' ends at the day's last ms; the year reaches back from there")
        .isEqualTo(yearBeforeTo - 1);
    assertThat(parse(Map.of("period", "1y", "to", String.valueOf(to))).from())
        .isEqualTo(yearBeforeTo);
    assertThat(parse(Map.of("period", "1y", "to", String.valueOf(to), "from", "2024-01-01")).from())
        .as("the later start wins")
        .isEqualTo(Instant.parse("2024-01-01T00:00:00Z").toEpochMilli());
    assertThat(parse(Map.of("period", "1y", "to", String.valueOf(to), "from", "2020-01-01")).from())
        .isEqualTo(yearBeforeTo);
    assertThat(parse(Map.of("period", "max", "to", String.valueOf(to))).from()).isNull();
    assertThat(parse(Map.of("period", "max", "from", "2023-01-01", "local_only", "0")))
        .isEqualTo(
            new HistoryParams.Range(
                Instant.parse("2023-01-01T00:00:00Z").toEpochMilli(), null, false, Period.MAX));
    assertThat(parse(Map.of())).isEqualTo(new HistoryParams.Range(null, null, null, null));
    assertThatThrownBy(() -> parse(Map.of("from", "2024-02-01", "to", "2024-01-31")))
        .hasMessageContaining("is after to");
    assertThatThrownBy(
            () -> parse(Map.of("period", "1y", "from", "2030-01-01", "to", "2024-01-01")))
        .hasMessageContaining("is after to");
  }

  private static HistoryParams.Range parse(Map<String, String> q) {
    return HistoryParams.parse(q::get, NOW);
  }
}

package candlecast.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import candlecast.common.Timeframe;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The history provider's request forms and its bar records. */
class SeedHistoryParamsTest {
  private static final long NOW = Instant.parse("2024-03-31T12:34:56.789Z").toEpochMilli();

  private static SeedHistoryParams.Ok parse(JsonObject p) {
    return SeedHistoryParams.parse(p.getValue("ticker"), p, 5000, NOW);
  }

  @ParameterizedTest
  @CsvSource({
    "DAY_01,P1D",
    "1d,P1D",
    "DAY_05,P5D",
    "5d,P5D",
    "MONTH_01,P1M",
    "1mo,P1M",
    "MONTH_03,P3M",
    "3mo,P3M",
    "MONTH_06,P6M",
    "6mo,P6M",
    "YEAR_01,P1Y",
    "1y,P1Y",
    "DataPeriod.YEAR_02,P2Y",
    "2y,P2Y",
    "YEAR_05,P5Y",
    "5y,P5Y"
  })
  void everyPeriodCountsBackInCalendarUnits(String period, String iso) {
    long from =
        parse(new JsonObject().put("ticker", "BTC-USD").put("period", period))
            .request()
            .getLong("from");
    // oracle: java.time's calendar arithmetic (31 March minus a month is 29 February in 2024)
    long expected =
        Instant.ofEpochMilli(NOW)
            .atZone(ZoneOffset.UTC)
            .minus(Period.parse(iso))
            .toInstant()
            .toEpochMilli();
    assertThat(from).isEqualTo(expected);
  }

  @Test
  void maxAndNoPeriodHaveNoLowerBoundAndDefaultsAreTheGuides() {
    for (JsonObject p :
        new JsonObject[] {
          new JsonObject().put("ticker", "BTCUSD").put("period", "YEAR_MAX"),
          new JsonObject().put("ticker", "BTCUSD").put("period", "max"),
          new JsonObject().put("ticker", "BTCUSD")
        }) {
      JsonObject r = parse(p).request();
      assertThat(r.containsKey("from")).isFalse();
      assertThat(r.getString("tf")).isEqualTo("1d");
      assertThat(r.getBoolean("localOnly")).isTrue();
      assertThat(r.getInteger("limit")).isEqualTo(5000);
      assertThat(r.getString("symbol")).isEqualTo("BTCUSD");
    }
  }

  @ParameterizedTest
  @CsvSource({
    "SECOND_01,1s", "MINUTE_01,1m", "MINUTE_05,5m", "MINUTE_15,15m", "HOUR_01,1h", "60m,1h",
    "HOUR_04,4h", "DAY_01,1d", "DataResolution.DAY_01,1d", "day_01,1d", "1m,1m", "4h,4h"
  })
  void resolutionsMapToTimeframes(String resolution, String label) {
    assertThat(SeedHistoryParams.resolution(resolution)).isEqualTo(Timeframe.parse(label));
  }

  @Test
  void weeksAndMonthsAreThe1wAnd1MTimeframesWhereTheyExist() {
    for (Map.Entry<String, String> e :
        Map.of("WEEK_01", "1w", "1wk", "1w", "MONTH_01", "1M", "1mo", "1M").entrySet()) {
      Timeframe tf = Timeframe.tryParse(e.getValue());
      if (tf == null) {
        assertThatThrownBy(() -> SeedHistoryParams.resolution(e.getKey()))
            .hasMessageContaining("unknown resolution");
      } else {
        assertThat(SeedHistoryParams.resolution(e.getKey())).isEqualTo(tf);
      }
    }
  }

  @Test
  void datesAreWholeUtcDaysAndDateTimesAreInstants() {
    JsonObject r =
        parse(
                new JsonObject()
                    .put("ticker", "SPY")
                    .put("period", "YEAR_MAX")
                    .put("time_start", "2023-01-01")
                    .put("time_end", "2023-12-31"))
            .request();
    long start =
        LocalDate.parse("2023-01-01").atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    long end =
        LocalDate.parse("2024-01-01").atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    assertThat(r.getLong("from")).isEqualTo(start);
    assertThat(r.getLong("to")).isEqualTo(end - 1);
    for (String t :
        new String[] {
          "2023-06-01T10:00:00Z",
          "2023-06-01T12:00:00+02:00",
          "2023-06-01 10:00:00",
          "2023-06-01T10:00:00",
          "2023-06-01T05:00:00-05:00"
        }) {
      assertThat(SeedHistoryParams.time("time_start", t, false))
          .as(t)
          .isEqualTo(Instant.parse("2023-06-01T10:00:00Z").toEpochMilli());
    }
    assertThat(SeedHistoryParams.time("time_end", 1_700_000_000_000L, true))
        .isEqualTo(1_700_000_000_000L);
  }

  @Test
  void timeStartOverridesThePeriodAndLocalOnlyFalseIsPassedOn() {
    JsonObject r =
        parse(
                new JsonObject()
                    .put("ticker", "eth-usd")
                    .put("period", "1mo")
                    .put("time_start", "2024-03-30")
                    .put("limit", 10)
                    .put("local_only", false))
            .request();
    assertThat(r.getLong("from")).isEqualTo(Instant.parse("2024-03-30T00:00:00Z").toEpochMilli());
    assertThat(r.getBoolean("localOnly")).isFalse();
    assertThat(r.getInteger("limit")).isEqualTo(10);
    assertThat(r.getString("symbol")).isEqualTo("ETHUSD");
  }

  @Test
  void malformedParametersAreRejectedWithTheReason() {
    Map<Object, String> bad =
        Map.of(
            "2023-02-30",
            "is not an ISO date",
            "yesterday",
            "is not an ISO date",
            -5,
            "must not be negative",
            true,
            "must be an ISO date");
    for (Map.Entry<Object, String> e : bad.entrySet()) {
      assertThatThrownBy(() -> SeedHistoryParams.time("time_start", e.getKey(), false))
          .hasMessageContaining(e.getValue());
    }
    assertThatThrownBy(() -> SeedHistoryParams.limit(2.5, 10)).hasMessageContaining("whole");
    assertThatThrownBy(() -> SeedHistoryParams.limit(11, 10)).hasMessageContaining("1 and 10");
    assertThatThrownBy(() -> SeedHistoryParams.resolution(7)).hasMessageContaining("string");
    assertThatThrownBy(() -> SeedHistoryParams.period("10y", NOW)).hasMessageContaining("10y");
    assertThatThrownBy(() -> SeedHistoryParams.tickerOf(42)).hasMessageContaining("'ticker'");
    assertThatThrownBy(() -> parse(new JsonObject().put("ticker", "B$C")))
        .hasMessageContaining("invalid ticker");
  }

  @Test
  void barsAreDataFrameRecordsWithRowsAndDates() {
    JsonArray candles = new JsonArray();
    for (int i = 0; i < 3; i++) {
      candles.add(
          new JsonObject()
              .put("t", 1_700_000_000_000L + i * 60_000L)
              .put("o", 1.0 + i)
              .put("h", 2.0 + i)
              .put("l", 0.5 + i)
              .put("c", 1.5 + i)
              .put("v", 3.25 * i)
              .put("n", 4));
    }
    JsonObject r = SeedBars.response("BTC-USD", "1m", candles);
    assertThat(r.getInteger("rows")).isEqualTo(3);
    assertThat(r.getString("start_date"))
        .isEqualTo(Instant.ofEpochMilli(1_700_000_000_000L).toString().replace("Z", ".000Z"));
    JsonObject last = r.getJsonArray("data").getJsonObject(2);
    assertThat(last.fieldNames()).containsExactly("Date", "Open", "High", "Low", "Close", "Volume");
    assertThat(last.getString("Date")).isEqualTo(r.getString("end_date"));
    assertThat(Instant.parse(last.getString("Date")).toEpochMilli()).isEqualTo(1_700_000_120_000L);
    assertThat(last.getDouble("Volume")).isEqualTo(6.5);
    JsonObject empty = SeedBars.response("X", "1d", new JsonArray());
    assertThat(empty.getInteger("rows")).isZero();
    assertThat(empty.containsKey("start_date")).isTrue();
    assertThat(empty.getString("start_date")).isNull();
  }
}

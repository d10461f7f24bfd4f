package candlecast.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class BarCsvTest {
  private static final String AAPL =
      """
      Date,Open,High,Low,Close,Adj Close,Volume
      2024-01-02,187.15,188.44,183.89,185.64,184.29,82488700
      2024-01-03,184.22,185.88,183.43,184.25,182.91,58414500\r

      2024-01-04,182.15,183.09,180.88,181.91,180.59,71983600
      """;

  private static long day(String d) {
    return LocalDate.parse(d).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
  }

  @Test
  void readsDailyStockBars() {
    List<Candle> bars = BarCsv.parse("AAPL", Timeframe.D1, AAPL);
    assertThat(bars)
        .containsExactly(
            new Candle(
                "AAPL",
                Timeframe.D1,
                day("2024-01-02"),
                187.15,
                188.44,
                183.89,
                185.64,
                82488700,
                0,
                true,
                false,
                CandleSource.IMPORT),
            new Candle(
                "AAPL",
                Timeframe.D1,
                day("2024-01-03"),
                184.22,
                185.88,
                183.43,
                184.25,
                58414500,
                0,
                true,
                false,
                CandleSource.IMPORT),
            new Candle(
                "AAPL",
                Timeframe.D1,
                day("2024-01-04"),
                182.15,
                183.09,
                180.88,
                181.91,
                71983600,
                0,
                true,
                false,
                CandleSource.IMPORT));
  }

  @Test
  void columnsByNameVolumeOptionalAndIsoDateTimes() {
    String csv =
        """
        close,"low",DATE,High,Open
        2,1,2024-01-02T00:01:00Z,3,1.5
        2,1,2024-01-02T01:02:00+01:00,3,1.5
        2,1,2024-01-02T00:03:00,3,1.5
        """;
    List<Candle> bars = BarCsv.parse("X1", Timeframe.M1, csv);
    assertThat(bars)
        .extracting(Candle::openTime)
        .containsExactly(
            day("2024-01-02") + 60_000, day("2024-01-02") + 120_000, day("2024-01-02") + 180_000);
    assertThat(bars).allMatch(c -> c.volume() == 0 && c.open() == 1.5 && c.high() == 3);
  }

  @Test
  void everyMalformedCaseNamesItsLine() {
    String h = "Date,Open,High,Low,Close,Volume\n";
    String ok = "2024-01-02,1,2,0.5,1.5,10\n";
    String[][] cases = {
      {"", "line 1: empty"},
      {"\n\n", "line 1: empty"},
      {"Date,Open,High,Low\n" + ok, "line 1: header must name Date, Open, High, Low, Close"},
      {"Date,Open,Open,High,Low,Close\n", "line 1: column 'Open' appears twice"},
      {h, "line 2: no bars after the header"},
      {h + ok + "2024-01-03,1,2,0.5\n", "line 3: expected at least 6 fields, found 4"},
      {h + "2024-13-02,1,2,0.5,1.5,10\n", "line 2: '2024-13-02' is not a date"},
      {h + "yesterday,1,2,0.5,1.5,10\n", "line 2: 'yesterday' is not a date"},
      {
        h + "2024-01-02T12:00:00Z,1,2,0.5,1.5,10\n",
        "line 2: '2024-01-02T12:00:00Z' is not the start of a 1d window"
      },
      {h + ok + "2024-01-03,null,2,0.5,1.5,10\n", "line 3: Open must be a number, was 'null'"},
      {h + "2024-01-02,1,NaN,0.5,1.5,10\n", "line 2: High must be a number, was 'NaN'"},
      {h + "2024-01-02,1,2,0,1.5,10\n", "line 2: Low must be positive, was 0"},
      {h + "2024-01-02,1,2,0.5,1.5,-1\n", "line 2: Volume must not be negative"},
      {h + "2024-01-02,1,2,1.2,1.5,10\n", "line 2: prices must satisfy Low <= Open, Close <= High"},
      {
        h + "2024-01-02,1,1.4,0.5,1.5,10\n",
        "line 2: prices must satisfy Low <= Open, Close <= High"
      },
      {h + ok + ok, "line 3: dates must be strictly ascending"},
      {h + "2024-01-03,1,2,0.5,1.5,10\n" + ok, "line 3: dates must be strictly ascending"},
    };
    for (String[] c : cases) {
      assertThatThrownBy(() -> BarCsv.parse("AAPL", Timeframe.D1, c[0]))
          .as(c[0])
          .isInstanceOf(BarCsv.CsvException.class)
          .hasMessageStartingWith(c[1]);
    }
  }
}

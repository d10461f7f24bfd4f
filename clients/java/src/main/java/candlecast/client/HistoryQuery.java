package candlecast.client;

/**
 * Parameters of a history query (all optional), as {@code GET /api/candles} takes them.
 *
 * @param from inclusive start (open time, epoch ms), or null
 * @param to inclusive end (open time, epoch ms), or null
 * @param limit the newest N of the range (paged beyond one page), or null (the server's default:
 *     500; with a {@code from} or {@code period}: the whole range)
 * @param period {@code 1d 5d 1mo 3mo 6mo 1y 2y 5y max} (or the seed's DataPeriod names), or null
 * @param localOnly true: never download from an exchange; null: the server's default
 */
public record HistoryQuery(Long from, Long to, Integer limit, String period, Boolean localOnly) {
  /**
   * The largest page {@code /api/candles} serves by default ({@code CANDLECAST_GATEWAY_MAX_LIMIT}).
   */
  public static final int PAGE = 5000;

  /**
   * No parameter: the newest 500 candles.
   *
   * @return the query
   */
  public static HistoryQuery newest() {
    return new HistoryQuery(null, null, null, null, null);
  }

  /**
   * The newest {@code n} candles.
   *
   * @param n how many
   * @return the query
   */
  public static HistoryQuery last(int n) {
    return new HistoryQuery(null, null, n, null, null);
  }

  /**
   * Every candle with open time in [from, to].
   *
   * @param from inclusive start, epoch ms
   * @param to inclusive end, epoch ms
   * @return the query
   */
  public static HistoryQuery range(long from, long to) {
    return new HistoryQuery(from, to, null, null, null);
  }

  /**
   * This query over a period ending at {@code to} (or now).
   *
   * @param p the period label
   * @return the query
   */
  public HistoryQuery withPeriod(String p) {
    return new HistoryQuery(from, to, limit, p, localOnly);
  }

  /**
   * This query with a limit.
   *
   * @param n the newest N
   * @return the query
   */
  public HistoryQuery withLimit(int n) {
    return new HistoryQuery(from, to, n, period, localOnly);
  }

  /**
   * This query with local_only.
   *
   * @param b true: never download
   * @return the query
   */
  public HistoryQuery withLocalOnly(boolean b) {
    return new HistoryQuery(from, to, limit, period, b);
  }
}

package candlecast.gateway;

import java.util.Map;
import java.util.function.Function;

/**
 * A whole {@code GET /api/candles} request: the history query ({@link CandlesQuery}, or the one a
 * {@code cursor} stands for) and the answer's shape ({@code meta}, {@code format}). Pure.
 *
 * @param query the validated history query; null when {@code error} is set
 * @param meta whether the answer is the metadata object
 * @param csv whether the answer is CSV
 * @param error why the request is rejected (the 400's message), or null
 */
public record CandlesRequest(CandlesQuery.Ok query, boolean meta, boolean csv, String error) {

  /**
   * Validates the request.
   *
   * @param param the first value of a query parameter, or null when absent
   */
  public static CandlesRequest of(Function<String, String> param, int maxLimit) {
    try {
      boolean csv = csv(param.apply("format"));
      Boolean meta = HistoryParams.bool("meta", param.apply("meta"));
      Function<String, String> query = param;
      String cursor = param.apply("cursor");
      if (cursor != null) {
        for (String name : CandlePages.CURSOR_PARAMS) {
          if (param.apply(name) != null) {
            return bad(
                "cursor cannot be combined with '" + name + "': the cursor carries the query");
          }
        }
        Map<String, String> carried = CandlePages.decode(cursor);
        query = carried::get;
      }
      CandlesQuery.Result r = CandlesQuery.parse(query, maxLimit);
      if (r instanceof CandlesQuery.Bad b) {
        return bad(cursor == null ? b.error() : "invalid cursor: " + b.error());
      }
      return new CandlesRequest((CandlesQuery.Ok) r, Boolean.TRUE.equals(meta), csv, null);
    } catch (HistoryParams.Rejected e) {
      return bad(e.getMessage());
    }
  }

  /** The URI of the next page: the cursor, with the same answer shape. */
  public String nextUri(String path, String cursor) {
    StringBuilder sb = new StringBuilder(path).append("?cursor=").append(cursor);
    if (meta) {
      sb.append("&meta=true");
    }
    if (csv) {
      sb.append("&format=csv");
    }
    return sb.toString();
  }

  private static boolean csv(String format) {
    if (format == null || format.equals("json")) {
      return false;
    }
    if (format.equals("csv")) {
      return true;
    }
    throw new HistoryParams.Rejected(
        "format must be json or csv, was '" + CommandParser.echo(format) + "'");
  }

  private static CandlesRequest bad(String error) {
    return new CandlesRequest(null, false, false, error);
  }
}

package candlecast.gateway;

import candlecast.common.Symbols;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A validated history batch, {@code {"type":"history_batch","id":…,"symbols":[…],"tf":"1d",
 * "period":"1y",…}} over {@code /ws} or the bridge: the shared parameters are those of {@code GET
 * /api/candles} ({@link CandlesQuery}, {@link HistoryParams}); each symbol is validated on its own
 * so one bad symbol fails alone. Pure.
 */
public final class BatchRequest {
  /** The addresses a bridge client may choose for its batch's events (and register). */
  public static final String PROGRESS_ADDRESS_REGEX = "candlecast\\.batch\\.[A-Za-z0-9_-]{8,64}";

  private static final Pattern PROGRESS_ADDRESS = Pattern.compile(PROGRESS_ADDRESS_REGEX);

  private BatchRequest() {}

  /**
   * One symbol of the batch, as the client wrote it (canonical when valid), with its query or why
   * it is rejected.
   */
  public record Item(String symbol, CandlesQuery.Ok query, String error) {}

  public sealed interface Result permits Ok, Bad {}

  /**
   * A valid batch.
   *
   * @param id the client's id (echoed), or null
   * @param tf the timeframe label
   * @param progressAddress the bridge client's event address, or null
   */
  public record Ok(Object id, String tf, List<Item> items, String progressAddress)
      implements Result {}

  /** A batch rejected as a whole. */
  public record Bad(Object id, String message) implements Result {}

  /**
   * Validates a batch body.
   *
   * @param maxSymbols most symbols per batch
   * @param maxLimit largest {@code limit} (also a period's default)
   * @param nowMs the clock, for periods
   */
  public static Result parse(JsonObject body, int maxSymbols, int maxLimit, long nowMs) {
    Object id = body.getValue("id");
    if (!(body.getValue("symbols") instanceof JsonArray symbols) || symbols.isEmpty()) {
      return new Bad(id, "'symbols' must be a non-empty array of symbols");
    }
    if (symbols.size() > maxSymbols) {
      return new Bad(id, "at most " + maxSymbols + " symbols per batch, got " + symbols.size());
    }
    Object progress = body.getValue("progressAddress");
    if (progress != null
        && !(progress instanceof String p && PROGRESS_ADDRESS.matcher(p).matches())) {
      return new Bad(
          id, "'progressAddress' must match " + PROGRESS_ADDRESS_REGEX + " (register it first)");
    }
    CandlesQuery.Result shared =
        CandlesQuery.parse(
            name -> name.equals("symbol") ? "AA" : field(body, name), maxLimit, nowMs);
    if (shared instanceof CandlesQuery.Bad bad) {
      return new Bad(id, bad.error());
    }
    List<Item> items = new ArrayList<>(symbols.size());
    for (Object s : symbols) {
      items.add(item(body, s, maxLimit, nowMs));
    }
    String tf = ((CandlesQuery.Ok) shared).request().getString("tf");
    return new Ok(id, tf, items, (String) progress);
  }

  private static Item item(JsonObject body, Object s, int maxLimit, long nowMs) {
    if (!(s instanceof String raw)) {
      return new Item(String.valueOf(s), null, "a symbol must be a string");
    }
    CandlesQuery.Result r =
        CandlesQuery.parse(
            name -> name.equals("symbol") ? raw : field(body, name), maxLimit, nowMs);
    if (r instanceof CandlesQuery.Bad b) {
      return new Item(CommandParser.echo(raw), null, b.error());
    }
    return new Item(Symbols.normalize(raw), (CandlesQuery.Ok) r, null);
  }

  /** {@code local_only} may also be written {@code localOnly}, as on the event bus. */
  private static String field(JsonObject body, String name) {
    if (name.equals("local_only") && body.getValue(name) == null) {
      return CandlesApi.param(body, "localOnly");
    }
    return CandlesApi.param(body, name);
  }
}

package candlecast.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * History over REST ({@code GET /api/candles} paged with cursors, {@code GET /api/trades}) and the
 * JSON batch.
 */
public final class History {
  private final Rest rest;
  private final Connection conn;

  History(Rest rest, Connection conn) {
    this.rest = rest;
    this.conn = conn;
  }

  /**
   * Candles of a series, oldest first, following {@code next} cursors while the query needs more
   * than one page.
   *
   * @param symbol the symbol (any case, dashed or not)
   * @param tf the timeframe
   * @param q the query
   * @return the candles
   */
  public CompletableFuture<List<Candle>> candles(String symbol, String tf, HistoryQuery q) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("symbol", symbol);
    p.put("tf", tf);
    p.put("from", q.from());
    p.put("to", q.to());
    p.put("period", q.period());
    p.put("local_only", q.localOnly());
    p.put("limit", q.limit() == null ? null : Math.min(q.limit(), HistoryQuery.PAGE));
    p.put("meta", true);
    boolean wholeRange = q.limit() == null && (q.from() != null || q.period() != null);
    List<List<Candle>> pages = new ArrayList<>();
    return page("/api/candles" + Rest.query(p), symbol, tf, q.limit(), wholeRange, pages, 0)
        .thenApply(
            x -> {
              List<Candle> all = new ArrayList<>();
              for (int i = pages.size() - 1; i >= 0; i--) {
                all.addAll(pages.get(i));
              }
              if (q.limit() != null && all.size() > q.limit()) {
                return List.copyOf(all.subList(all.size() - q.limit(), all.size()));
              }
              return Collections.unmodifiableList(all);
            });
  }

  private CompletableFuture<Void> page(
      String path,
      String symbol,
      String tf,
      Integer limit,
      boolean wholeRange,
      List<List<Candle>> pages,
      int have) {
    return rest.call("GET", path, null)
        .thenCompose(
            body -> {
              JsonNode arr = Json.req(body, "candles");
              List<Candle> page = new ArrayList<>(arr.size());
              for (JsonNode n : arr) {
                page.add(Candle.fromRest(symbol, tf, n));
              }
              pages.add(page);
              int total = have + page.size();
              String next = body.hasNonNull("next") ? body.get("next").asText() : null;
              boolean more =
                  next != null && !page.isEmpty() && (limit != null ? total < limit : wholeRange);
              if (!more) {
                return CompletableFuture.completedFuture(null);
              }
              Map<String, Object> p = new LinkedHashMap<>();
              p.put("cursor", next);
              p.put("meta", true);
              return page(
                  "/api/candles" + Rest.query(p), symbol, tf, limit, wholeRange, pages, total);
            });
  }

  /**
   * Trades held for a symbol, oldest first ({@code GET /api/trades}).
   *
   * @param symbol the symbol
   * @param limit how many (null: the server's default)
   * @param since the first trades after this trade id (null: the newest)
   * @param from only trades with {@code t >= from} (null: no bound; not with since)
   * @return the trades
   */
  public CompletableFuture<List<Trade>> trades(
      String symbol, Integer limit, Long since, Long from) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("symbol", symbol);
    p.put("limit", limit);
    p.put("since", since);
    p.put("from", from);
    return rest.call("GET", "/api/trades" + Rest.query(p), null)
        .thenApply(
            arr -> {
              if (!arr.isArray()) {
                throw Json.bad("trades answer is not an array", null);
              }
              String canonical = symbol;
              List<Trade> out = new ArrayList<>(arr.size());
              for (JsonNode n : arr) {
                out.add(Trade.fromWire(canonical, n));
              }
              return out;
            });
  }

  /**
   * Several symbols' history with progress, over the socket ({@code history_batch}).
   *
   * @param symbols up to 20 symbols
   * @param tf the timeframe
   * @param q the shared query
   * @param onProgress each {@code batch_progress} and {@code data_status} frame as sent (may be
   *     null)
   * @return each symbol's candles or error
   */
  public CompletableFuture<BatchResult> batch(
      List<String> symbols, String tf, HistoryQuery q, Consumer<JsonNode> onProgress) {
    ObjectNode cmd = Json.object().put("type", "history_batch").put("tf", tf);
    ArrayNode arr = cmd.putArray("symbols");
    symbols.forEach(arr::add);
    if (q.from() != null) {
      cmd.put("from", q.from());
    }
    if (q.to() != null) {
      cmd.put("to", q.to());
    }
    if (q.limit() != null) {
      cmd.put("limit", q.limit());
    }
    if (q.period() != null) {
      cmd.put("period", q.period());
    }
    if (q.localOnly() != null) {
      cmd.put("local_only", q.localOnly());
    }
    Map<String, List<Candle>> candles = new LinkedHashMap<>();
    Map<String, CandlecastException> errors = new LinkedHashMap<>();
    return conn.request(cmd, f -> batchFrame(f, tf, candles, errors, onProgress))
        .thenApply(
            last -> {
              if ("error".equals(last.path("type").asText())) {
                throw Requests.serverError(last);
              }
              return new BatchResult(Map.copyOf(candles), Map.copyOf(errors));
            });
  }

  private boolean batchFrame(
      JsonNode f,
      String tf,
      Map<String, List<Candle>> candles,
      Map<String, CandlecastException> errors,
      Consumer<JsonNode> onProgress) {
    String type = f.path("type").asText();
    String symbol = f.path("symbol").asText(null);
    switch (type) {
      case "history" -> {
        List<Candle> list = new ArrayList<>();
        for (JsonNode n : Json.req(f, "candles")) {
          list.add(Candle.fromFrame(symbol, f.path("tf").asText(tf), n));
        }
        candles.put(symbol, List.copyOf(list));
        return false;
      }
      case "error" -> {
        if (symbol == null) {
          return true;
        }
        errors.put(symbol, Requests.serverError(f));
        return false;
      }
      case "batch_done" -> {
        return true;
      }
      default -> {
        if (onProgress != null) {
          conn.guard(() -> onProgress.accept(f));
        }
        return false;
      }
    }
  }
}

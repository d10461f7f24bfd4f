package candlecast.gateway;

import candlecast.common.Symbols;
import io.vertx.core.json.JsonObject;

/**
 * Parses the portfolio commands of the JSON protocol (issue 17). Pure.
 *
 * <pre>
 *   {"type":"subscribe","channel":"portfolio","owner"?:"alice","id"?:1}   {"type":"unsubscribe","channel":"portfolio"}
 *   {"type":"portfolio_get"}
 *   {"type":"portfolio_set","positions":[{"symbol":"BTCUSD","quantity":0.5,"avgCost":42000}]}
 *   {"type":"portfolio_upsert","position":{"symbol":"ETHUSD","quantity":-2,"avgCost":3000}}
 *   {"type":"portfolio_remove","symbol":"ETHUSD"}
 * </pre>
 *
 * The positions themselves are validated by the aggregator ({@code bad_position}).
 */
final class PortfolioCommands {
  static final String CHANNEL = "portfolio";
  static final String GET = "portfolio_get";
  static final String SET = "portfolio_set";
  static final String UPSERT = "portfolio_upsert";
  static final String REMOVE = "portfolio_remove";

  private PortfolioCommands() {}

  static Command subscribe(JsonObject j, Object id, boolean subscribe) {
    Object owner = j.getValue("owner");
    if (owner != null && !(owner instanceof String)) {
      return JsonCommandParser.invalid(ErrorCodes.BAD_FIELD, "'owner' must be a string", id);
    }
    return subscribe
        ? new Command.SubscribePortfolio((String) owner, id)
        : new Command.UnsubscribePortfolio(id);
  }

  static Command request(String type, JsonObject j, Object id) {
    Object owner = j.getValue("owner");
    if (owner != null && !(owner instanceof String)) {
      return JsonCommandParser.invalid(ErrorCodes.BAD_FIELD, "'owner' must be a string", id);
    }
    JsonObject req = new JsonObject();
    switch (type) {
      case GET -> req.put("op", "get");
      case SET -> {
        if (j.getValue("positions") == null) {
          return JsonCommandParser.invalid(
              ErrorCodes.MISSING_FIELD,
              SET + " needs 'positions': [{\"symbol\",\"quantity\",\"avgCost\"}, ...]",
              id);
        }
        req.put("op", "put").put("positions", j.getValue("positions"));
      }
      case UPSERT -> {
        if (!(j.getValue("position") instanceof JsonObject p)) {
          return JsonCommandParser.invalid(
              j.getValue("position") == null ? ErrorCodes.MISSING_FIELD : ErrorCodes.BAD_FIELD,
              UPSERT + " needs 'position': {\"symbol\",\"quantity\",\"avgCost\"}",
              id);
        }
        req.put("op", "upsert").put("position", p);
      }
      default -> {
        Object sym = j.getValue("symbol");
        if (sym == null) {
          return JsonCommandParser.invalid(
              ErrorCodes.MISSING_FIELD, REMOVE + " needs 'symbol', e.g. \"BTCUSD\"", id);
        }
        String symbol = sym instanceof String s ? Symbols.normalize(s) : null;
        if (symbol == null) {
          return JsonCommandParser.invalid(
              ErrorCodes.BAD_SYMBOL,
              "bad symbol '" + JsonCommandParser.clip(String.valueOf(sym)) + "'",
              id);
        }
        req.put("op", "remove").put("symbol", symbol);
      }
    }
    return new Command.PortfolioRequest(req, (String) owner, id);
  }
}

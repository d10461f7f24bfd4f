package candlecast.client;

import java.util.Map;

/**
 * The answer of a history batch: each symbol's candles or its error (symbols as the server names
 * them).
 *
 * @param candles symbol → candles, oldest first
 * @param errors symbol → the error that symbol got
 */
public record BatchResult(
    Map<String, java.util.List<Candle>> candles, Map<String, CandlecastException> errors) {}

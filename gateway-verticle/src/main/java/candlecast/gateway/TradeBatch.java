package candlecast.gateway;

import candlecast.common.DecodeException;
import candlecast.common.TapeCodec;
import candlecast.common.TapeTrade;
import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One update of a symbol's trade tape as a gateway instance received it on {@code trades.<SYMBOL>}:
 * decoded once, and encoded once per batch size into the frames every subscription with that size
 * shares. Confined to the instance's event loop (the cache is not synchronised).
 *
 * <p>A trades frame is {@code
 * {"type":"trades","symbol":"BTCUSD","trades":[{"id","t","p","q","side"},…]}} with at most {@code
 * batch} trades; the tape position {@code seq} stays inside the gateway.
 */
final class TradeBatch {
  /**
   * The detail of an {@link Update} that carries one trades frame; {@code symbol} and {@code
   * trades} (the frame's trades) let a binary connection's frame be encoded from it ({@link
   * BinaryFrames}), null where the frame has no binary form.
   */
  record Chunk(int count, long lastId, long lastSeq, String symbol, List<TapeTrade> trades) {
    Chunk(int count, long lastId, long lastSeq) {
      this(count, lastId, lastSeq, null, null);
    }
  }

  private static final Buffer EMPTY = Buffer.buffer();
  private static final ByteBuf EMPTY_WIRE = Frames.wire(EMPTY);

  final String symbol;

  /** The tape position of the symbol's trade before the first one here (-1: none). */
  final long prev;

  final List<TapeTrade> trades;
  private int cachedBatch;
  private Update[] cached;
  private Map<Integer, Update[]> more;

  TradeBatch(String symbol, long prev, List<TapeTrade> trades) {
    if (trades.isEmpty()) {
      throw new IllegalArgumentException("a trade batch holds at least one trade");
    }
    this.symbol = symbol;
    this.prev = prev;
    this.trades = trades;
  }

  /**
   * Decodes a {@code trades.<SYMBOL>} message ({@link TapeCodec#update}).
   *
   * @throws DecodeException when it is not an update of {@code symbol}'s tape
   */
  static TradeBatch decode(Object body, String symbol) {
    if (!(body instanceof JsonObject j)) {
      throw new DecodeException("trades body is not a JSON object");
    }
    if (!symbol.equals(j.getValue(TapeCodec.SYMBOL))) {
      throw new DecodeException(
          "trades of " + j.getValue(TapeCodec.SYMBOL) + " on the address of " + symbol);
    }
    long prev = TapeCodec.integral(j, TapeCodec.PREV);
    List<TapeTrade> trades = TapeCodec.trades(j);
    if (trades.isEmpty()) {
      throw new DecodeException("trades update without trades");
    }
    if (trades.get(0).seq() <= prev) {
      throw new DecodeException("trades update whose first trade is not after 'prev'");
    }
    return new TradeBatch(symbol, prev, trades);
  }

  /**
   * The update the hub hands to every subscriber: a carrier of this batch (its own frame is empty).
   */
  Update carrier() {
    TapeTrade last = trades.get(trades.size() - 1);
    return new Update(EMPTY, EMPTY_WIRE, last.time(), last.seq(), false, this);
  }

  long firstSeq() {
    return trades.get(0).seq();
  }

  long lastSeq() {
    return trades.get(trades.size() - 1).seq();
  }

  /**
   * The trades after tape position {@code seq}, as a batch of their own; null when there are none.
   */
  TradeBatch after(long seq) {
    List<TapeTrade> rest = new ArrayList<>();
    for (TapeTrade t : trades) {
      if (t.seq() > seq) {
        rest.add(t);
      }
    }
    return rest.isEmpty() ? null : new TradeBatch(symbol, seq, rest);
  }

  /**
   * The frames of this batch with at most {@code batch} trades each: encoded at the first call per
   * size.
   */
  Update[] frames(int batch) {
    if (cached != null && cachedBatch == batch) {
      return cached;
    }
    if (cached == null) {
      cachedBatch = batch;
      cached = encode(symbol, trades, batch);
      return cached;
    }
    if (more == null) {
      more = new HashMap<>(2);
    }
    return more.computeIfAbsent(batch, b -> encode(symbol, trades, b));
  }

  /**
   * Encodes trades into frames of at most {@code batch} trades (one shared {@link Update} each).
   */
  static Update[] encode(String symbol, List<TapeTrade> trades, int batch) {
    int n = (trades.size() + batch - 1) / batch;
    Update[] out = new Update[n];
    for (int k = 0; k < n; k++) {
      int from = k * batch;
      int to = Math.min(trades.size(), from + batch);
      StringBuilder sb = new StringBuilder(64 + 80 * (to - from));
      sb.append("{\"type\":\"trades\",\"symbol\":\"").append(symbol).append("\",");
      appendTrades(sb, trades, from, to).append('}');
      TapeTrade last = trades.get(to - 1);
      Buffer frame = Buffer.buffer(sb.toString());
      out[k] =
          new Update(
              frame,
              Frames.wire(frame),
              last.time(),
              last.seq(),
              false,
              new Chunk(to - from, last.id(), last.seq(), symbol, trades.subList(from, to)));
    }
    return out;
  }

  /**
   * {@code "trades":[…]} with the trades {@code [from, to)}, in the element shape of every trades
   * frame.
   */
  static StringBuilder appendTrades(StringBuilder sb, List<TapeTrade> trades, int from, int to) {
    sb.append("\"trades\":");
    return appendArray(sb, trades, from, to);
  }

  /**
   * {@code [{"id","t","p","q","side"},…]} with the trades {@code [from, to)}: the element shape of
   * trades frames and of {@code GET /api/trades} (numbers as Jackson writes them, so they read back
   * as the same doubles).
   */
  static StringBuilder appendArray(StringBuilder sb, List<TapeTrade> trades, int from, int to) {
    sb.append('[');
    for (int i = from; i < to; i++) {
      TapeTrade t = trades.get(i);
      if (i > from) {
        sb.append(',');
      }
      sb.append("{\"id\":")
          .append(t.id())
          .append(",\"t\":")
          .append(t.time())
          .append(",\"p\":")
          .append(Double.toString(t.price()))
          .append(",\"q\":")
          .append(Double.toString(t.amount()))
          .append(",\"side\":\"")
          .append(t.side().wire())
          .append("\"}");
    }
    return sb.append(']');
  }
}

package candlecast.gateway;

import candlecast.common.Book;
import candlecast.common.BookCodec;
import candlecast.common.Candle;
import candlecast.common.TapeTrade;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The JSON frames the server sends on {@code /ws}. A candle update is
 *
 * <pre>
 * {"type":"candle","symbol":"BTCUSD","tf":"1m","t":1700000040000,"open":1.0,"high":2.0,"low":0.5,"close":1.5,
 *  "volume":3.25,"trades":7,"unix_timestamp":1700000040,"time_window_seconds":60,"closed":false}
 * </pre>
 *
 * where {@code t} is the open time in epoch milliseconds (what {@code since} takes), {@code
 * unix_timestamp} the same in seconds (what Lightweight Charts wants) and {@code
 * time_window_seconds} the length of the candle's window (for 1M the calendar month's: 28 to 31
 * days; a snapshot's, which describes the timeframe, is a nominal 30 days for 1M). A partial candle
 * (its window overlaps a gap of the trade log: trades may be missing) ends with {@code
 * "partial":true}; the field is absent otherwise, so every other frame is unchanged. A candle not
 * folded from trades (downloaded from the exchange or imported) ends with {@code "src":"exchange"}
 * or {@code "src":"import"} (its {@code trades} is 0); trades candles omit it.
 */
public final class Frames {
  public static final String CHANNEL_TICKER = JsonCommandParser.CHANNEL_TICKER;

  private Frames() {}

  /** The update frame of one candle as UTF-8 JSON, encoded once and shared by every subscriber. */
  public static Buffer candleUpdate(Candle c) {
    return candleUpdateJson(c).toBuffer();
  }

  public static JsonObject candleUpdateJson(Candle c) {
    JsonObject j =
        new JsonObject().put("type", "candle").put("symbol", c.symbol()).put("tf", c.tf().label());
    return putPartial(
        putValues(j, c).put("time_window_seconds", windowSeconds(c)).put("closed", c.closed()), c);
  }

  /**
   * The length of the candle's own window in seconds: the timeframe's for fixed ones, the calendar
   * month's (28 to 31 days) for 1M.
   */
  static long windowSeconds(Candle c) {
    return (c.closeTime() - c.openTime()) / 1000L;
  }

  /** One element of a snapshot's {@code candles}: the update frame without type, symbol and tf. */
  public static JsonObject snapshotElement(Candle c) {
    return putPartial(putValues(new JsonObject(), c).put("closed", c.closed()), c);
  }

  /**
   * {@code "partial":true} for a partial candle, {@code "src"} for one not folded from trades;
   * nothing otherwise.
   */
  private static JsonObject putPartial(JsonObject j, Candle c) {
    if (c.partial()) {
      j.put("partial", true);
    }
    return c.fromTrades() ? j : j.put("src", c.src().wire());
  }

  /**
   * The fields an update and a snapshot element share, in wire order: t, OHLC, volume, trades,
   * unix_timestamp.
   */
  private static JsonObject putValues(JsonObject j, Candle c) {
    return j.put("t", c.openTime())
        .put("open", c.open())
        .put("high", c.high())
        .put("low", c.low())
        .put("close", c.close())
        .put("volume", c.volume())
        .put("trades", c.trades())
        .put("unix_timestamp", Math.floorDiv(c.openTime(), 1000L));
  }

  /**
   * {@code {"type":"snapshot","symbol","tf","id"?,"recovered"?,"candles":[…oldest first]}}; {@code
   * recovered} is present when the subscription asked for {@code since}.
   */
  public static JsonObject snapshot(
      SeriesKey key, Object id, Boolean recovered, List<Candle> candles) {
    JsonArray arr = new JsonArray();
    for (Candle c : candles) {
      arr.add(snapshotElement(c));
    }
    JsonObject j =
        new JsonObject()
            .put("type", "snapshot")
            .put("symbol", key.symbol())
            .put("tf", key.tf().label())
            .put("time_window_seconds", key.tf().seconds());
    putId(j, id);
    if (recovered != null) {
      j.put("recovered", recovered);
    }
    return j.put("candles", arr);
  }

  /** The ticker update frame: the aggregator's ticker JSON with {@code "type":"ticker"} first. */
  public static JsonObject ticker(JsonObject tickerJson) {
    JsonObject j = new JsonObject().put("type", "ticker");
    for (var e : tickerJson) {
      if (!e.getKey().equals("type")) {
        j.put(e.getKey(), e.getValue());
      }
    }
    return j;
  }

  /**
   * The book update frame of one depth view, encoded once per book for every subscriber of that
   * depth: {@code
   * {"type":"book","symbol","depth","seq","time","bids":[[price,amount],...],"asks":[...]}}.
   */
  public static JsonObject bookUpdate(Book b, int depth) {
    return bookFields(
        new JsonObject().put("type", "book").put("symbol", b.symbol()).put("depth", depth),
        b,
        depth);
  }

  /**
   * The snapshot that opens a book subscription: {@code
   * {"type":"snapshot","channel":"book",...,"id"?}}.
   */
  public static JsonObject bookSnapshot(Book b, int depth, Object id) {
    JsonObject j =
        new JsonObject()
            .put("type", "snapshot")
            .put("channel", JsonCommandParser.CHANNEL_BOOK)
            .put("symbol", b.symbol())
            .put("depth", depth);
    putId(j, id);
    return bookFields(j, b, depth);
  }

  private static JsonObject bookFields(JsonObject j, Book b, int depth) {
    Book top = b.top(depth);
    return j.put("seq", b.seq())
        .put("time", b.time())
        .put("bids", BookCodec.side(top.bids()))
        .put("asks", BookCodec.side(top.asks()));
  }

  /**
   * {@code {"type":"subscription","status":..,"channel":"book","symbol","depth"?,"id"?}} (depth 0:
   * left out).
   */
  public static JsonObject bookSubscription(String status, String symbol, int depth, Object id) {
    JsonObject j =
        new JsonObject()
            .put("type", "subscription")
            .put("status", status)
            .put("channel", JsonCommandParser.CHANNEL_BOOK)
            .put("symbol", symbol);
    if (depth > 0) {
      j.put("depth", depth);
    }
    return putId(j, id);
  }

  public static JsonObject connected(long nowMs) {
    return new JsonObject()
        .put("type", "connection")
        .put("status", "connected")
        .put("timestamp", nowMs);
  }

  // ---------------------------------------------------------------- text protocol replies

  public static JsonObject subscribed(SeriesKey key) {
    return new JsonObject()
        .put("type", "subscribed")
        .put("symbol", key.symbol())
        .put("tf", key.tf().label());
  }

  public static JsonObject unsubscribed(int count) {
    return new JsonObject().put("type", "unsubscribed").put("count", count);
  }

  public static JsonObject unsubscribed(SeriesKey key, int count) {
    return new JsonObject()
        .put("type", "unsubscribed")
        .put("symbol", key.symbol())
        .put("tf", key.tf().label())
        .put("count", count);
  }

  public static JsonObject error(String code, String message, String command) {
    return new Command.Invalid(code, message, CommandParser.echo(command)).toJson();
  }

  // ---------------------------------------------------------------- JSON protocol replies

  /** {@code {"type":"subscription","status":"subscribed"|"unsubscribed","symbol","tf","id"?}}. */
  public static JsonObject subscription(String status, SeriesKey key, Object id) {
    JsonObject j =
        new JsonObject()
            .put("type", "subscription")
            .put("status", status)
            .put("symbol", key.symbol())
            .put("tf", key.tf().label());
    return putId(j, id);
  }

  /** {@code {"type":"subscription","status":..,"channel":"ticker","symbol","id"?}}. */
  public static JsonObject tickerSubscription(String status, String symbol, Object id) {
    JsonObject j =
        new JsonObject()
            .put("type", "subscription")
            .put("status", status)
            .put("channel", CHANNEL_TICKER)
            .put("symbol", symbol);
    return putId(j, id);
  }

  /** {@code {"type":"subscription","status":..,"channel":"trades","symbol","batch"?,"id"?}}. */
  public static JsonObject tradesSubscription(
      String status, String symbol, Integer batch, Object id) {
    JsonObject j =
        new JsonObject()
            .put("type", "subscription")
            .put("status", status)
            .put("channel", JsonCommandParser.CHANNEL_TRADES)
            .put("symbol", symbol);
    if (batch != null) {
      j.put("batch", batch);
    }
    return putId(j, id);
  }

  /**
   * The frame that opens a trades subscription: {@code
   * {"type":"snapshot","channel":"trades","symbol","id"?, "recovered"?,"count":n,"trades":[…]}}
   * with the first {@code batch} of its {@code count} trades (oldest first); the others follow in
   * {@code trades} frames.
   */
  public static Buffer tradesSnapshot(
      String symbol, Object id, Boolean recovered, List<TapeTrade> trades, int batch) {
    JsonObject head =
        new JsonObject()
            .put("type", "snapshot")
            .put("channel", JsonCommandParser.CHANNEL_TRADES)
            .put("symbol", symbol);
    putId(head, id);
    if (recovered != null) {
      head.put("recovered", recovered);
    }
    head.put("count", trades.size());
    String h = head.encode();
    StringBuilder sb = new StringBuilder(h.length() + 80 * Math.min(batch, trades.size()) + 16);
    sb.append(h, 0, h.length() - 1).append(',');
    TradeBatch.appendTrades(sb, trades, 0, Math.min(batch, trades.size())).append('}');
    return Buffer.buffer(sb.toString());
  }

  /**
   * A gap in a trades subscription: {@code
   * {"type":"gap","channel":"trades","symbol","since":id|null, "dropped"?:n}}. Trades after {@code
   * since} (the id of the last trade sent before the gap) up to the next trade sent were not sent;
   * {@code dropped} says how many when the gateway knows.
   */
  public static Buffer tradesGap(String symbol, Long since, Long dropped) {
    JsonObject j =
        new JsonObject()
            .put("type", "gap")
            .put("channel", JsonCommandParser.CHANNEL_TRADES)
            .put("symbol", symbol)
            .put("since", since);
    if (dropped != null) {
      j.put("dropped", dropped);
    }
    return j.toBuffer();
  }

  /** {@code {"type":"subscription","status":"unsubscribed","all":true,"count":n,"id"?}}. */
  public static JsonObject unsubscribedAll(int count, Object id) {
    JsonObject j =
        new JsonObject()
            .put("type", "subscription")
            .put("status", "unsubscribed")
            .put("all", true)
            .put("count", count);
    return putId(j, id);
  }

  public static JsonObject jsonError(String code, String message, Object id) {
    return new Command.Invalid(code, message, null, id).toJson();
  }

  public static JsonObject pong(long nowMs, Object id) {
    return putId(new JsonObject().put("type", "pong").put("timestamp", nowMs), id);
  }

  public static JsonObject heartbeatAck(long nowMs, Object id) {
    return putId(
        new JsonObject().put("type", "heartbeat").put("status", "ack").put("timestamp", nowMs), id);
  }

  public static JsonObject subscriptions(JsonArray subs, Object id) {
    return putId(new JsonObject().put("type", "subscriptions").put("subscriptions", subs), id);
  }

  private static JsonObject putId(JsonObject j, Object id) {
    if (id != null) {
      j.put("id", id);
    }
    return j;
  }

  /**
   * The complete wire bytes of a final, unmasked text frame (RFC 6455 header + {@code utf8}), in a
   * direct buffer. Server-to-client frames are not masked, so these bytes are the same for every
   * connection: the gateway writes a {@link ByteBuf#retainedDuplicate()} of them straight to each
   * socket (no per-connection encoding, no copy into a direct buffer). Permessage-deflate is not
   * offered by the gateway, so no frame needs compressing. The buffer wraps a JDK direct {@link
   * ByteBuffer}: the garbage collector frees it, and its reference count never reaches 0 (writers
   * only release the duplicates they retained).
   */
  public static ByteBuf wire(Buffer utf8) {
    ByteBuf p = ((BufferInternal) utf8).getByteBuf();
    int n = p.readableBytes();
    int header = n < 126 ? 2 : n <= 0xFFFF ? 4 : 10;
    ByteBuffer bb = ByteBuffer.allocateDirect(header + n);
    bb.put((byte) 0x81); // FIN + text
    if (n < 126) {
      bb.put((byte) n);
    } else if (n <= 0xFFFF) {
      bb.put((byte) 126);
      bb.putShort((short) n);
    } else {
      bb.put((byte) 127);
      bb.putLong(n);
    }
    p.getBytes(p.readerIndex(), bb);
    bb.flip();
    return Unpooled.wrappedBuffer(bb);
  }
}

package candlecast.feed;

import candlecast.common.Topics;
import candlecast.common.Trade;
import candlecast.common.TradeCodec;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;

/** One record the feed writes to Kafka; encoded on the sender thread, off the event loop. */
sealed interface LogRecord {
  String topic();

  String key();

  byte[] encode();

  /**
   * A valid trade for {@link Topics#TRADES trades}: key = symbol, value = {@link
   * TradeCodec#encode}.
   */
  record TradeRecord(Trade trade) implements LogRecord {
    @Override
    public String topic() {
      return Topics.TRADES;
    }

    @Override
    public String key() {
      return trade.symbol();
    }

    @Override
    public byte[] encode() {
      return TradeCodec.encode(trade);
    }
  }

  /** A watermark for {@code trades}: key = symbol, value = {@link TradeCodec#encodeWatermark}. */
  record WatermarkRecord(String symbol, long time) implements LogRecord {
    @Override
    public String topic() {
      return Topics.TRADES;
    }

    @Override
    public String key() {
      return symbol;
    }

    @Override
    public byte[] encode() {
      return TradeCodec.encodeWatermark(symbol, time);
    }
  }

  /**
   * A span whose trades of {@code symbol} may be missing for good, for {@code trades}: key =
   * symbol, value = {@code {"symbol":"BTCUSD","gap":{"from":ms,"to":ms}}}.
   */
  record GapRecord(String symbol, long from, long to) implements LogRecord {
    @Override
    public String topic() {
      return Topics.TRADES;
    }

    @Override
    public String key() {
      return symbol;
    }

    @Override
    public byte[] encode() {
      return TradeCodec.encodeGap(symbol, from, to);
    }
  }

  /**
   * A rejected trade or message for {@code trades.dlq}: key = symbol or null, value = {@code
   * {"reason",...}}.
   */
  record DlqRecord(String key, JsonObject value) implements LogRecord {
    @Override
    public String topic() {
      return Topics.TRADES_DLQ;
    }

    @Override
    public byte[] encode() {
      return value.encode().getBytes(StandardCharsets.UTF_8);
    }
  }
}

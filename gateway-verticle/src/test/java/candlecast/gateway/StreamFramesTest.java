package candlecast.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import candlecast.common.Candle;
import candlecast.common.CandleCodec;
import candlecast.common.Side;
import candlecast.common.TapeCodec;
import candlecast.common.TapeTrade;
import candlecast.common.Timeframe;
import io.netty.buffer.ByteBufUtil;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The data frames of the stream service dialect read back as JSON and compared with what they were
 * made of, the replies' shapes, and {@link StreamSource}: one encoding per update and spelling.
 */
class StreamFramesTest {
  private static final long NOW = 1_737_973_800_000L; // 2025-01-27T10:30:00.000Z

  static long iso(JsonObject j, String field) {
    String s = j.getString(field);
    assertThat(s).as(field).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    return Instant.parse(s).toEpochMilli();
  }

  static JsonObject ticker(String symbol, double last, double open, long time) {
    return new JsonObject()
        .put("symbol", symbol)
        .put("last", last)
        .put("open24h", open)
        .put("change", last - open)
        .put("changePct", (last - open) / open * 100)
        .put("high", Math.max(last, open))
        .put("low", Math.min(last, open))
        .put("volume", 1234.5678)
        .put("trades", 99L)
        .put("time", time);
  }

  private static JsonObject json(Update u) {
    // the wire bytes are a text frame holding exactly the frame
    byte[] wire = ByteBufUtil.getBytes(u.wire());
    assertThat(wire[0]).isEqualTo((byte) 0x81);
    assertThat(
            new String(
                wire,
                wire.length - u.frame().length(),
                u.frame().length(),
                java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo(u.frame().toString());
    return new JsonObject(u.frame().toString());
  }

  @Test
  void dataCarriesTheTickersPriceVolumeChangeAndPercent() {
    SplittableRandom r = new SplittableRandom(3);
    for (int i = 0; i < 2_000; i++) {
      double open = 1 + r.nextDouble() * 90_000;
      double last = open * (0.5 + r.nextDouble());
      JsonObject t = ticker("BTCUSD", last, open, NOW + i);
      Update u = StreamFrames.data("BTC-USD", NOW, t);
      JsonObject j = json(u);
      assertThat(j.fieldNames()).containsExactly("type", "symbol", "timestamp", "data");
      assertThat(j.getString("type")).isEqualTo("data");
      assertThat(j.getString("symbol")).isEqualTo("BTC-USD");
      assertThat(iso(j, "timestamp")).isEqualTo(NOW);
      JsonObject d = j.getJsonObject("data");
      assertThat(d.fieldNames()).containsExactly("price", "volume", "change", "change_percent");
      assertThat(d.getDouble("price")).isEqualTo(last);
      assertThat(d.getDouble("volume")).isEqualTo(1234.5678);
      assertThat(d.getDouble("change")).isEqualTo(last - open);
      double pct = (last - open) / open * 100;
      assertThat(d.getDouble("change_percent"))
          .as("%s", pct)
          .isEqualTo(Double.parseDouble(String.format(Locale.ROOT, "%.2f", pct)));
      assertThat(u.time()).isEqualTo(NOW + i);
      assertThat(u.closed()).isFalse();
    }
  }

  @Test
  void percentRoundsTheDecimalHalfUp() {
    assertThat(StreamFrames.percent(25.5 / 2475 * 100)).isEqualTo(1.03); // the seed's example
    assertThat(StreamFrames.percent(0.285)).isEqualTo(0.29);
    assertThat(StreamFrames.percent(-0.285)).isEqualTo(-0.29);
    assertThat(StreamFrames.percent(0)).isEqualTo(0.0);
  }

  @Test
  void missingOrNonFiniteNumbersAreNull() {
    JsonObject t =
        new JsonObject()
            .put("symbol", "BTCUSD")
            .put("last", 5)
            .put("time", NOW)
            .put("change", Double.NaN);
    JsonObject d = json(StreamFrames.data("BTCUSD", NOW, t)).getJsonObject("data");
    assertThat(d.getValue("price")).isEqualTo(5);
    assertThat(d.containsKey("volume")).isTrue();
    assertThat(d.getValue("volume")).isNull();
    assertThat(d.getValue("change")).isNull();
    assertThat(d.getValue("change_percent")).isNull();
  }

  @Test
  void candleDataCarriesTheCandle() {
    Candle c =
        new Candle(
            "ETHUSD",
            Timeframe.M5,
            1_737_973_800_000L - 300_000,
            3100.25,
            3120.5,
            3099.75,
            3110.0,
            12.345,
            321,
            true,
            true);
    Update u = StreamFrames.candle("eth-usd", NOW, c);
    JsonObject j = json(u);
    assertThat(j.getString("type")).isEqualTo("candle_data");
    assertThat(j.getString("symbol")).isEqualTo("eth-usd");
    assertThat(iso(j, "timestamp")).isEqualTo(NOW);
    JsonObject d = j.getJsonObject("data");
    assertThat(d.getString("timeframe")).isEqualTo("5m");
    assertThat(iso(d, "open_time")).isEqualTo(c.openTime());
    assertThat(d.getLong("unix_timestamp")).isEqualTo(c.openTime() / 1000);
    Candle back =
        new Candle(
            "ETHUSD",
            Timeframe.M5,
            iso(d, "open_time"),
            d.getDouble("open"),
            d.getDouble("high"),
            d.getDouble("low"),
            d.getDouble("close"),
            d.getDouble("volume"),
            d.getLong("trades"),
            d.getBoolean("closed"),
            d.getBoolean("partial", false));
    assertThat(back).isEqualTo(c);
    assertThat(u.time()).isEqualTo(c.openTime());
    assertThat(u.version()).isEqualTo(321);
    assertThat(u.closed()).isTrue();
    assertThat(
            json(StreamFrames.candle(
                    "ETHUSD", NOW, new Candle("ETHUSD", Timeframe.M1, 0, 1, 1, 1, 1, 0, 0, false)))
                .getJsonObject("data")
                .containsKey("partial"))
        .as("partial only when partial")
        .isFalse();
  }

  @Test
  void tickDataCarriesEveryTradeOnceInFramesOfAtMostTheBatch() {
    List<TapeTrade> trades = trades(23, new SplittableRandom(9));
    Update[] frames = StreamFrames.ticks("BTC-USD", NOW, trades, 10);
    assertThat(frames).hasSize(3);
    List<TapeTrade> back = new ArrayList<>();
    for (Update f : frames) {
      JsonObject j = json(f);
      assertThat(j.getString("type")).isEqualTo("tick_data");
      assertThat(j.getString("symbol")).isEqualTo("BTC-USD");
      assertThat(iso(j, "timestamp")).isEqualTo(NOW);
      JsonArray ticks = j.getJsonObject("data").getJsonArray("ticks");
      assertThat(ticks.size()).isBetween(1, 10);
      for (Object o : ticks) {
        JsonObject t = (JsonObject) o;
        assertThat(t.fieldNames()).containsExactly("id", "price", "quantity", "side", "timestamp");
        TapeTrade orig = trades.get(back.size());
        back.add(
            new TapeTrade(
                orig.seq(),
                t.getLong("id"),
                iso(t, "timestamp"),
                t.getDouble("price"),
                t.getDouble("quantity"),
                Side.tryParse(t.getString("side"))));
      }
      TapeTrade last = back.get(back.size() - 1);
      assertThat(f.time()).isEqualTo(last.time());
      assertThat(f.version()).isEqualTo(last.seq());
    }
    assertThat(back).isEqualTo(trades);
  }

  static List<TapeTrade> trades(int n, SplittableRandom r) {
    List<TapeTrade> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(
          new TapeTrade(
              100 + 3L * i,
              5_000 + i,
              NOW + 17L * i,
              100 * r.nextDouble() + 1,
              r.nextDouble(),
              r.nextBoolean() ? Side.BUY : Side.SELL));
    }
    return out;
  }

  @Test
  void repliesHaveTheSeedsShapes() {
    assertThat(StreamFrames.welcome(NOW))
        .isEqualTo(
            new JsonObject()
                .put("type", "connection")
                .put("status", "connected")
                .put("timestamp", "2025-01-27T10:30:00.000Z")
                .put("message", "WebSocket connection established successfully"));
    assertThat(StreamFrames.subscription("subscribed", "BTC-USD", NOW))
        .isEqualTo(
            new JsonObject()
                .put("type", "subscription")
                .put("status", "subscribed")
                .put("symbol", "BTC-USD")
                .put("timestamp", "2025-01-27T10:30:00.000Z"));
    assertThat(StreamFrames.heartbeatAck(NOW))
        .isEqualTo(
            new JsonObject()
                .put("type", "heartbeat")
                .put("status", "ack")
                .put("timestamp", "2025-01-27T10:30:00.000Z"));
    assertThat(StreamFrames.pong(NOW))
        .isEqualTo(
            new JsonObject().put("type", "pong").put("timestamp", "2025-01-27T10:30:00.000Z"));
    assertThat(StreamFrames.error("invalid_json", "Invalid JSON format", NOW))
        .isEqualTo(
            new JsonObject()
                .put("type", "error")
                .put("code", "invalid_json")
                .put("message", "Invalid JSON format")
                .put("timestamp", "2025-01-27T10:30:00.000Z"));
  }

  @Test
  void anEndpointWithOneDialectGivesItEveryMessageAndItsOwnGreetingAndErrors() {
    StreamDialect stream = new StreamDialect(100, () -> NOW);
    TextDialect text = new TextDialect(new CommandParser("BTCUSD"));
    WsConnection.Env env =
        new WsConnection.Env(null, null, null, null, null, text, null, null, stream);
    assertThat(env.dialectFor("sub-1m")).isSameAs(stream);
    assertThat(env.dialectFor("{\"type\":\"ping\"}")).isSameAs(stream);
    assertThat(env.greeting(NOW)).isEqualTo(StreamFrames.welcome(NOW));
    assertThat(env.binary(3))
        .isEqualTo(
            StreamFrames.error(
                ErrorCodes.BINARY_NOT_SUPPORTED,
                "binary messages are " + "not supported (got 3 bytes); send JSON text",
                NOW));
    assertThat(env.rateLimited("slow down"))
        .isEqualTo(StreamFrames.error(ErrorCodes.RATE_LIMITED, "slow down", NOW));
    assertThat(stream.invalid(new Command.Invalid(ErrorCodes.UNKNOWN_TYPE, "nope", null, null)))
        .isEqualTo(StreamFrames.error(ErrorCodes.UNKNOWN_TYPE, "nope", NOW));
    assertThat(stream.pong(NOW, 7)).isEqualTo(StreamFrames.pong(NOW));
    assertThat(stream.heartbeatAck(NOW, 7)).isEqualTo(StreamFrames.heartbeatAck(NOW));
    // /ws keeps its own
    WsConnection.Env ws =
        new WsConnection.Env(null, null, null, null, null, text, null, null, null);
    assertThat(ws.greeting(NOW)).isEqualTo(Frames.connected(NOW));
    assertThat(ws.binary(3)).isEqualTo(text.binary(3));
    assertThat(ws.rateLimited("slow down"))
        .isEqualTo(Frames.jsonError(ErrorCodes.RATE_LIMITED, "slow down", null));
  }

  // ------------------------------------------------------------------ StreamSource

  @Test
  void aSourceEncodesEachUpdateOncePerSpelling() {
    AtomicLong clock = new AtomicLong(NOW);
    StreamDialect dialect = new StreamDialect(100, clock::get);
    TickerKey key = new TickerKey("BTCUSD");
    StreamSource s = dialect.acquire(key);
    Update u1 = key.toUpdate(ticker("BTCUSD", 101, 100, NOW));
    Update[] a = s.frames(u1, "BTC-USD");
    clock.incrementAndGet();
    assertThat(s.frames(u1, "BTC-USD")).as("the same frames for every subscriber").isSameAs(a);
    Update[] b = s.frames(u1, "BTCUSD");
    assertThat(b).isNotSameAs(a);
    assertThat(json(b[0]).getString("symbol")).isEqualTo("BTCUSD");
    assertThat(s.frames(u1, "BTC-USD")).isSameAs(a);
    assertThat(s.frames(u1, "btc-usd")).isNotSameAs(a);
    Update u2 = key.toUpdate(ticker("BTCUSD", 102, 100, NOW));
    Update[] c = s.frames(u2, "BTC-USD");
    assertThat(json(c[0]).getJsonObject("data").getDouble("price")).isEqualTo(102.0);
    assertThat(s.frames(u2, "BTC-USD")).isSameAs(c);

    // shared by the subscriptions of one instance, forgotten after the last
    assertThat(dialect.acquire(key)).isSameAs(s);
    assertThat(dialect.sources()).isEqualTo(1);
    dialect.release(s);
    dialect.release(s);
    assertThat(dialect.sources()).isZero();
    assertThat(dialect.acquire(key)).isNotSameAs(s);
  }

  @Test
  void aSourceEncodesCandlesAndTradesFromWhatTheirKeysDecoded() {
    StreamDialect dialect = new StreamDialect(2, () -> NOW);
    SeriesKey series = new SeriesKey("BTCUSD", Timeframe.M1);
    Candle c = new Candle("BTCUSD", Timeframe.M1, NOW, 1, 2, 0.5, 1.5, 3, 4, false);
    Update cu = series.toUpdate(CandleCodec.toJson(c));
    assertThat(cu.detail()).isEqualTo(c);
    Update[] cf = dialect.acquire(series).frames(cu, "BTCUSD");
    assertThat(cf).hasSize(1);
    assertThat(cf[0].frame().toString())
        .isEqualTo(StreamFrames.candle("BTCUSD", NOW, c).frame().toString());

    TradesKey tape = new TradesKey("BTCUSD");
    List<TapeTrade> trades = trades(5, new SplittableRandom(1));
    Update tu = tape.toUpdate(TapeCodec.update("BTCUSD", 7, trades));
    Update[] tf = dialect.acquire(tape).frames(tu, "BTC-USD");
    assertThat(tf).hasSize(3); // batch 2
    Update[] expected = StreamFrames.ticks("BTC-USD", NOW, trades, 2);
    for (int i = 0; i < 3; i++) {
      assertThat(tf[i].frame().toString()).isEqualTo(expected[i].frame().toString());
    }
    assertThat(dialect.sources()).isEqualTo(2);
  }
}

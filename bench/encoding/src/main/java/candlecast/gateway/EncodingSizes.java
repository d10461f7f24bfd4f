package candlecast.gateway;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/**
 * Bytes on the wire per update frame (WebSocket header included; TCP/IP headers left out, they are
 * the same for every encoding), JSON vs binary vs Protobuf (issue 20); with an argument, also
 * writes the frames as JSON for the JS decode benchmark ({@code decode.mjs}).
 */
public final class EncodingSizes {
  private EncodingSizes() {}

  public static void main(String[] args) throws IOException {
    System.out.printf(
        "%-9s %6s %7s %9s %13s %15s%n",
        "frame", "json", "binary", "protobuf", "binary/json", "protobuf/json");
    StringBuilder dump = new StringBuilder("{");
    for (String k : Samples.KINDS) {
      int j = Samples.json(k).readableBytes();
      int b = Samples.binary(k).readableBytes();
      int p = Samples.protobuf(k).readableBytes();
      System.out.printf(
          "%-9s %6d %7d %9d %13.3f %15.3f%n", k, j, b, p, (double) b / j, (double) p / j);
      if (dump.length() > 1) {
        dump.append(',');
      }
      dump.append('"')
          .append(k)
          .append("\":{\"json\":")
          .append(io.vertx.core.json.Json.encode(Samples.jsonText(k)))
          .append(",\"binary\":\"")
          .append(Base64.getEncoder().encodeToString(Samples.payload(Samples.binary(k))))
          .append("\"}");
    }
    // the Kafka records (issue 20: whether the topics switch too): today's JSON values vs the
    // binary layout
    candlecast.common.TapeTrade t = Samples.trades(1).get(0);
    int tradeJson =
        candlecast.common.TradeCodec.encode(
                new candlecast.common.Trade(
                    "BTCUSD", t.id(), t.time(), t.price(), t.amount(), t.side()))
            .length;
    int tradeBinary = Samples.payload(Samples.binary("trades1")).length;
    int candleJson = candlecast.common.CandleCodec.toJson(Samples.candle()).toBuffer().length();
    int candleBinary = Samples.payload(Samples.binary("candle")).length;
    System.out.printf(
        "kafka record values: trade %d B JSON vs %d B binary (%.3f); candle %d B JSON vs %d B binary (%.3f)%n",
        tradeJson,
        tradeBinary,
        (double) tradeBinary / tradeJson,
        candleJson,
        candleBinary,
        (double) candleBinary / candleJson);
    if (args.length > 0) {
      Files.writeString(Path.of(args[0]), dump.append('}').toString(), StandardCharsets.UTF_8);
    }
  }
}

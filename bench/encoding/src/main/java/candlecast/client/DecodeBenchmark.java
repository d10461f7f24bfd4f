package candlecast.client;

import candlecast.gateway.Samples;
import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.CodedInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Java client decode time per update frame (issue 20), from the received message to the model the
 * listener gets: JSON (the client's path: Jackson tree, then the model), binary (the client's path:
 * {@link BinaryFrames} into the same tree, then the model) and Protobuf (straight from the bytes to
 * the model with {@link CodedInputStream}: its cheapest decoder).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class DecodeBenchmark {
  @Param({"candle", "trades1", "trades20", "book10", "book100"})
  public String kind;

  private String json;
  private byte[] binary;
  private byte[] protobuf;

  @Setup(Level.Trial)
  public void data() {
    json = Samples.jsonText(kind);
    binary = Samples.payload(Samples.binary(kind));
    protobuf = Samples.payload(Samples.protobuf(kind));
  }

  private static Object model(JsonNode f) {
    return switch (f.get("type").asText()) {
      case "candle" -> Candle.fromFrame(f.get("symbol").asText(), f.get("tf").asText(), f);
      case "trades" -> trades(f);
      default -> Book.fromWire(f);
    };
  }

  private static List<Trade> trades(JsonNode f) {
    List<Trade> out = new ArrayList<>();
    String symbol = f.get("symbol").asText();
    for (JsonNode t : f.get("trades")) {
      out.add(Trade.fromWire(symbol, t));
    }
    return out;
  }

  @Benchmark
  public Object json() {
    return model(Json.parse(json));
  }

  @Benchmark
  public Object binary() {
    return model(BinaryFrames.toFrame(ByteBuffer.wrap(binary)));
  }

  /**
   * The layout alone: straight into the models (what a client without the shared tree would pay).
   */
  @Benchmark
  public Object binaryDirect() {
    return BinaryModels.decode(binary);
  }

  @Benchmark
  public Object protobuf() throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(protobuf);
    int tag = in.readTag();
    int limit = in.pushLimit(in.readRawVarint32());
    Object m =
        switch (tag >>> 3) {
          case 1 -> ProtoModels.candle(in);
          case 2 -> ProtoModels.trades(in);
          default -> ProtoModels.book(in);
        };
    in.popLimit(limit);
    return m;
  }
}

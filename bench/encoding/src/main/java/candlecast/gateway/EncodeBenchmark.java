package candlecast.gateway;

import candlecast.common.Book;
import candlecast.common.Candle;
import candlecast.common.TapeTrade;
import io.netty.buffer.ByteBuf;
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
 * Server CPU per update frame (issue 20): what the gateway does once per update and stream, from
 * the decoded value to the complete WebSocket frame every subscriber writes — JSON (today's path:
 * {@link Frames}, {@link TradeBatch#encode}), the binary layout ({@link BinaryFrames}) and Protobuf
 * ({@link ProtoFrames}). Run with {@code -prof gc} for bytes allocated per frame.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class EncodeBenchmark {
  @Param({"candle", "trades1", "trades20", "book10", "book100"})
  public String kind;

  private Candle candle;
  private List<TapeTrade> trades;
  private Book book;
  private int depth;

  @Setup(Level.Trial)
  public void data() {
    candle = Samples.candle();
    trades = Samples.trades(kind.equals("trades20") ? 20 : 1);
    depth = kind.equals("book100") ? 100 : 10;
    book = Samples.book(depth);
  }

  @Benchmark
  public ByteBuf json() {
    return switch (kind) {
      case "candle" -> Frames.wire(Frames.candleUpdate(candle));
      case "trades1", "trades20" -> TradeBatch.encode("BTCUSD", trades, 100)[0].wire();
      default -> Frames.wire(Frames.bookUpdate(book, depth).toBuffer());
    };
  }

  @Benchmark
  public ByteBuf binary() {
    return switch (kind) {
      case "candle" -> BinaryFrames.candle(candle);
      case "trades1", "trades20" -> BinaryFrames.trades("BTCUSD", trades);
      default -> BinaryFrames.book(book.top(depth), depth);
    };
  }

  @Benchmark
  public ByteBuf protobuf() {
    return switch (kind) {
      case "candle" -> ProtoFrames.candle(candle);
      case "trades1", "trades20" -> ProtoFrames.trades("BTCUSD", trades);
      default -> ProtoFrames.book(book.top(depth), depth);
    };
  }
}

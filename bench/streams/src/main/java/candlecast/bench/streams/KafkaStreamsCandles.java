package candlecast.bench.streams;

import candlecast.common.Candle;
import candlecast.common.CandleCodec;
import candlecast.common.Timeframe;
import candlecast.common.Topics;
import candlecast.common.Trade;
import candlecast.common.TradeCodec;
import candlecast.common.TradeRecord;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.state.WindowStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The peer: what a team would write with the Kafka Streams DSL to get the same candles. One stream
 * over {@code trades} (the same JSON decoder as Candlecast), seven windowed aggregations ({@code
 * TimeWindows.ofSizeAndGrace} with Candlecast's 250 ms grace, one per timeframe, default RocksDB
 * stores with caching and changelogs), each window's latest value written to {@link #OUTPUT} keyed
 * {@code SYMBOL|tf|openTimeMs} with the candle JSON as value — the same key and value shapes as
 * Candlecast's compacted {@code candles} topic.
 *
 * <p>Usage: {@code java -cp bench-streams.jar candlecast.bench.streams.KafkaStreamsCandles
 * BOOTSTRAP [threads] [exactly_once_v2|at_least_once]}; runs until SIGTERM.
 */
public final class KafkaStreamsCandles {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaStreamsCandles.class);
  public static final String APPLICATION_ID = "ks-candles-bench";
  public static final String OUTPUT = "ks-candles";
  static final Duration GRACE = Duration.ofMillis(250);

  private KafkaStreamsCandles() {}

  public static void main(String[] args) throws Exception {
    String bootstrap = args[0];
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
    String guarantee = args.length > 2 ? args[2] : StreamsConfig.EXACTLY_ONCE_V2;
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, APPLICATION_ID);
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
    // Candlecast's fold loop commits a transaction fenced by its group every 100 ms
    // (aggregator.commit-ms): exactly-once v2 here, whose default commit interval is those 100 ms.
    // at_least_once (the runs before 2026-12-07's transactional fold loop) commits every 1,000 ms,
    // as Candlecast checkpointed then.
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
    p.put(
        StreamsConfig.COMMIT_INTERVAL_MS_CONFIG,
        guarantee.equals(StreamsConfig.EXACTLY_ONCE_V2) ? 100 : 1000);
    p.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("ks-state").toString());
    p.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
    p.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
    KafkaStreams streams = new KafkaStreams(topology(), p);
    CountDownLatch done = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  streams.close(Duration.ofSeconds(20));
                  done.countDown();
                }));
    streams.setUncaughtExceptionHandler(
        e -> {
          LOG.error("kafka streams failed", e);
          return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler
              .StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
    streams.start();
    done.await();
  }

  /** Timeframes whose windows Kafka Streams' {@link TimeWindows} can express: 1s to 1d. */
  static boolean epochAligned(Timeframe tf) {
    return tf.isFixed() && tf != Timeframe.W1;
  }

  static Topology topology() {
    StreamsBuilder b = new StreamsBuilder();
    KStream<String, Trade> trades =
        b.stream(Topics.TRADES, Consumed.with(Serdes.String(), Serdes.ByteArray()))
            .mapValues(v -> TradeCodec.decode(v) instanceof TradeRecord r ? r.trade() : null)
            .filter((k, t) -> t != null);
    Serde<Trade> tradeSerde = Serdes.serdeFrom(TRADE_SER, TRADE_DE);
    Serde<Ohlcv> ohlcv = Ohlcv.serde();
    for (Timeframe tf : Timeframe.values()) {
      if (!epochAligned(tf)) {
        continue; // TimeWindows are fixed lengths from the epoch: no Monday weeks, no months
      }
      trades
          .groupByKey(Grouped.with(Serdes.String(), tradeSerde))
          .windowedBy(TimeWindows.ofSizeAndGrace(Duration.ofMillis(tf.millis()), GRACE))
          .aggregate(
              Ohlcv::new,
              (sym, t, agg) -> agg.add(t.price(), t.amount()),
              Materialized.<String, Ohlcv, WindowStore<Bytes, byte[]>>as("ohlcv-" + tf.label())
                  .withKeySerde(Serdes.String())
                  .withValueSerde(ohlcv))
          .toStream()
          .map(
              (w, a) ->
                  KeyValue.pair(
                      Topics.candleKey(w.key(), tf, w.window().start()),
                      CandleCodec.encode(
                          new Candle(
                              w.key(),
                              tf,
                              w.window().start(),
                              a.open,
                              a.high,
                              a.low,
                              a.close,
                              a.volume,
                              a.count,
                              false))))
          .to(OUTPUT, Produced.with(Serdes.String(), Serdes.ByteArray()));
    }
    return b.build();
  }

  /** Only used if Kafka Streams ever needs to repartition (it does not: the key is kept). */
  private static final Serializer<Trade> TRADE_SER = (topic, t) -> TradeCodec.encode(t);

  private static final Deserializer<Trade> TRADE_DE =
      (topic, bytes) -> ((TradeRecord) TradeCodec.decode(bytes)).trade();
}

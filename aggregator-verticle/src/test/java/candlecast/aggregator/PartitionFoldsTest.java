package candlecast.aggregator;

import static org.assertj.core.api.Assertions.assertThat;

import candlecast.common.Candle;
import candlecast.common.Side;
import candlecast.common.TapeTrade;
import candlecast.common.Timeframe;
import candlecast.common.Topics;
import candlecast.common.Trade;
import candlecast.common.TradeCodec;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class PartitionFoldsTest {
  private static final long T0 = 1_700_000_000_000L;
  private final PartitionFolds folds = new PartitionFolds(250, 64);

  /** Records of one trades partition at consecutive offsets from {@code first}. */
  private static Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> part(
      int p, long first, byte[]... values) {
    List<ConsumerRecord<byte[], byte[]>> recs = new ArrayList<>();
    for (int i = 0; i < values.length; i++) {
      recs.add(
          new ConsumerRecord<>(
              Topics.TRADES, p, first + i, "BTCUSD".getBytes(StandardCharsets.UTF_8), values[i]));
    }
    Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> m = new LinkedHashMap<>();
    m.put(new TopicPartition(Topics.TRADES, p), recs);
    return m;
  }

  private static byte[] trade(long id, long time, double price) {
    return TradeCodec.encode(new Trade("BTCUSD", id, time, price, 1.0, Side.BUY));
  }

  private static String text(ProducerRecord<String, byte[]> r) {
    return new String(r.value(), StandardCharsets.UTF_8);
  }

  @Test
  void foldsOwnedPartitionsFromTheirNextOffset() {
    folds.put(new PartitionState(2, 10));
    Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> recs =
        part(2, 9, trade(1, T0, 5.0), trade(2, T0 + 1, 6.0));
    recs.putAll(part(3, 0, trade(3, T0, 7.0))); // not owned
    PartitionFolds.Batch b = folds.fold(new ConsumerRecords<>(recs));
    assertThat(folds.get(2).nextOffset).isEqualTo(11);
    assertThat(folds.tradesIn).as("offset 9 was folded before the checkpoint").isEqualTo(1);
    assertThat(b.candles())
        .hasSize(Timeframe.COUNT)
        .allSatisfy(
            c -> {
              assertThat(c.open()).isEqualTo(6.0);
              assertThat(c.trades()).isEqualTo(1);
              assertThat(c.closed()).isFalse();
            });
    assertThat(b.partitions()).hasSize(Timeframe.COUNT).containsOnly(2);
    assertThat(b.side()).isEmpty();
    assertThat(folds.fold(new ConsumerRecords<>(part(2, 11))).candles())
        .as("nothing changed")
        .isEmpty();
  }

  @Test
  void malformedAndLateRecordsGoAsideWithTheirReason() {
    folds.put(new PartitionState(0, 0));
    byte[] bad = "{\"symbol\":\"BTCUSD\"".getBytes(StandardCharsets.UTF_8);
    PartitionFolds.Batch b =
        folds.fold(
            new ConsumerRecords<>(
                part(
                    0,
                    0,
                    trade(1, T0 + 5_000, 5.0),
                    bad,
                    trade(2, T0, 4.0),
                    trade(1, T0 + 5_000, 5.0))));
    assertThat(folds.malformed).isEqualTo(1);
    assertThat(folds.late).isEqualTo(1);
    assertThat(folds.duplicates).isEqualTo(1);
    assertThat(folds.tradesIn).isEqualTo(3);
    assertThat(b.side()).hasSize(2);
    ProducerRecord<String, byte[]> dlq = b.side().get(0);
    assertThat(dlq.topic()).isEqualTo(Topics.TRADES_DLQ);
    assertThat(dlq.key()).isEqualTo("BTCUSD");
    JsonObject why = new JsonObject(text(dlq));
    assertThat(why.getString("reason"))
        .startsWith("malformed record at trades-0@1: malformed JSON");
    assertThat(why.getString("raw")).isEqualTo("{\"symbol\":\"BTCUSD\"");
    ProducerRecord<String, byte[]> late = b.side().get(1);
    assertThat(late.topic()).isEqualTo(Topics.TRADES_LATE);
    assertThat(new JsonObject(text(late)).getString("reason"))
        .isEqualTo(
            "late: the trade's 1s window closed"
                + " (symbol watermark "
                + (T0 + 5_000)
                + ", grace 250 ms)");
    assertThat(folds.get(0).nextOffset).isEqualTo(4);
  }

  @Test
  void theTapeHasEveryTradeButDuplicatesWithItsOffset() {
    folds.put(new PartitionState(0, 0));
    byte[] bad = "{\"symbol\":\"BTCUSD\"".getBytes(StandardCharsets.UTF_8);
    PartitionFolds.Batch b =
        folds.fold(
            new ConsumerRecords<>(
                part(
                    0,
                    0,
                    trade(1, T0 + 5_000, 5.0),
                    bad,
                    trade(2, T0, 4.0),
                    trade(1, T0 + 5_000, 5.0),
                    TradeCodec.encodeWatermark("BTCUSD", T0 + 6_000),
                    trade(3, T0 + 6_000, 6.0))));
    assertThat(b.tape().keySet()).containsExactly("BTCUSD");
    assertThat(b.tape().get("BTCUSD"))
        .as("the late trade 2 too; not the duplicate, the watermark or garbage")
        .containsExactly(
            new TapeTrade(0, 1, T0 + 5_000, 5.0, 1.0, Side.BUY),
            new TapeTrade(2, 2, T0, 4.0, 1.0, Side.BUY),
            new TapeTrade(5, 3, T0 + 6_000, 6.0, 1.0, Side.BUY));
    assertThat(folds.fold(new ConsumerRecords<>(part(0, 6))).tape())
        .as("each batch has its own")
        .isEmpty();
  }

  @Test
  void watermarksCloseWindowsAndCandlesKeepTheirPartition() {
    folds.put(new PartitionState(1, 0));
    folds.fold(new ConsumerRecords<>(part(1, 0, trade(1, T0, 5.0))));
    PartitionFolds.Batch b =
        folds.fold(
            new ConsumerRecords<>(part(1, 1, TradeCodec.encodeWatermark("BTCUSD", T0 + 1_250))));
    assertThat(folds.watermarks).isEqualTo(1);
    assertThat(b.candles())
        .contains(new Candle("BTCUSD", Timeframe.S1, T0, 5.0, 5.0, 5.0, 5.0, 1.0, 1, true));
    assertThat(b.partitions()).containsOnly(1);
  }

  @Test
  void ownershipFollowsPutAndRemove() {
    PartitionState st = new PartitionState(4, 7);
    st.folders.put("BTCUSD", new CandleFolder("BTCUSD", 250, 64));
    folds.put(st);
    assertThat(folds.owns(4)).isTrue();
    assertThat(folds.partitions()).containsExactly(4);
    PartitionFolds.Batch b = folds.fold(new ConsumerRecords<>(part(4, 7, trade(1, T0, 5.0))));
    assertThat(b.partitions()).hasSize(Timeframe.COUNT).containsOnly(4);
    assertThat(folds.remove(4)).isSameAs(st);
    assertThat(folds.remove(4)).isNull();
    assertThat(folds.owns(4)).isFalse();
    assertThat(folds.fold(new ConsumerRecords<>(part(4, 8, trade(2, T0, 5.0)))).candles())
        .isEmpty();
  }

  /**
   * A gap record is a normal record: its symbol's candles over the span come out partial, closed
   * ones again.
   */
  @Test
  void gapRecordsMarkCandlesPartialAndMalformedOnesGoAside() {
    folds.put(new PartitionState(0, 0));
    folds.fold(new ConsumerRecords<>(part(0, 0, trade(1, T0, 5.0), trade(2, T0 + 1_500, 6.0))));
    byte[] bad =
        "{\"symbol\":\"BTCUSD\",\"gap\":{\"from\":9,\"to\":1}}".getBytes(StandardCharsets.UTF_8);
    PartitionFolds.Batch b =
        folds.fold(
            new ConsumerRecords<>(
                part(0, 2, TradeCodec.encodeGap("BTCUSD", T0 + 500, T0 + 1_700), bad)));
    assertThat(folds.gaps).isEqualTo(1);
    assertThat(folds.gapsIncomplete).isZero();
    assertThat(folds.malformed).isEqualTo(1);
    assertThat(b.candles())
        .first()
        .as("the closed second, again")
        .isEqualTo(new Candle("BTCUSD", Timeframe.S1, T0, 5.0, 5.0, 5.0, 5.0, 1.0, 1, true, true));
    assertThat(b.candles()).hasSize(1 + Timeframe.COUNT).allMatch(Candle::partial);
    assertThat(b.partitions()).containsOnly(0);
    assertThat(new JsonObject(text(b.side().get(0))).getString("reason"))
        .isEqualTo("malformed record at trades-0@3: gap: 'from' (9) is after 'to' (1)");
    assertThat(folds.get(0).nextOffset).isEqualTo(4);
  }
}

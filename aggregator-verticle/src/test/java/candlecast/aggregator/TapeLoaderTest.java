package candlecast.aggregator;

import static org.assertj.core.api.Assertions.assertThat;

import candlecast.common.DecodeException;
import candlecast.common.Side;
import candlecast.common.TapeTrade;
import candlecast.common.Topics;
import candlecast.common.Trade;
import candlecast.common.TradeCodec;
import candlecast.common.TradeLogRecord;
import candlecast.common.TradeRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The read-back of a partition's recent trades, chunk by chunk from the newest: checked against a
 * forward model.
 */
class TapeLoaderTest {

  private static ConsumerRecord<String, byte[]> rec(long offset, byte[] value) {
    return new ConsumerRecord<>(Topics.TRADES, 0, offset, "k", value);
  }

  private static byte[] trade(String symbol, long id) {
    return TradeCodec.encode(new Trade(symbol, id, 1_700_000_000_000L + id, 10 + id, 1, Side.BUY));
  }

  private static TradeLogRecord decode(byte[] v) {
    try {
      return TradeCodec.decode(v);
    } catch (DecodeException e) {
      return null;
    }
  }

  @Test
  void keepsEachSymbolsNewestTradesAndKnowsFromWhereTheyAreComplete() {
    Random rnd = new Random(3);
    List<ConsumerRecord<String, byte[]>> log = new ArrayList<>();
    String[] symbols = {"AAA", "BBB", "CCC"};
    for (long off = 0; off < 500; off++) {
      int k = rnd.nextInt(10);
      byte[] v =
          k == 0
              ? TradeCodec.encodeWatermark("AAA", off)
              : k == 1
                  ? "garbage".getBytes(StandardCharsets.UTF_8)
                  : k < 4
                      ? trade("CCC", off) // CCC is the quiet one
                      : trade(rnd.nextBoolean() ? "AAA" : "BBB", off);
      log.add(rec(off, v));
    }
    log.add(rec(500, trade("AAA", 499))); // a duplicate of AAA's id 499 if it is AAA's
    int ring = 40;
    long start = 200; // the oldest offset read back
    TapeLoader.Collector c = new TapeLoader.Collector(ring, List.of("AAA", "DDD"));
    for (long chunkEnd = log.size(); chunkEnd > start; chunkEnd -= 75) {
      long from = Math.max(start, chunkEnd - 75);
      c.prepend(log.subList((int) from, (int) chunkEnd));
    }
    Map<String, TradeRing> rings = c.rings(start - 1);

    assertThat(rings.keySet()).containsExactlyInAnyOrder("AAA", "BBB", "CCC", "DDD");
    assertThat(rings.get("DDD").size()).as("known, no trade read").isZero();
    assertThat(rings.get("DDD").floorSeq()).isEqualTo(start - 1);
    for (String s : symbols) {
      List<TapeTrade> all = new ArrayList<>();
      java.util.Set<Long> seen = new java.util.HashSet<>();
      for (ConsumerRecord<String, byte[]> r : log.subList((int) start, log.size())) {
        if (decode(r.value()) instanceof TradeRecord t && t.symbol().equals(s)) {
          all.add(TapeTrade.of(r.offset(), t.trade()));
        }
      }
      List<TapeTrade> kept = all.subList(Math.max(0, all.size() - ring), all.size());
      long floor = all.size() > ring ? all.get(all.size() - ring - 1).seq() : start - 1;
      List<TapeTrade> expected = kept.stream().filter(t -> seen.add(t.id())).toList();
      TradeRing r = rings.get(s);
      assertThat(r.last(ring)).as(s).isEqualTo(expected);
      assertThat(r.floorSeq()).as(s).isEqualTo(floor);
    }
    assertThat(c.full()).isFalse();
  }
}

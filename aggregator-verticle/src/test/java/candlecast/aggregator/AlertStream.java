package candlecast.aggregator;

import candlecast.common.Side;
import candlecast.common.Topics;
import candlecast.common.Trade;
import candlecast.common.TradeCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;

/**
 * A generated {@code trades} partition for alert tests: several symbols, prices wandering around
 * 100, trades slightly out of order (within the grace period, so never late), duplicates of recent
 * trades, and watermarks that jump the event time (flat windows).
 */
final class AlertStream {
  static final long T0 = 1_767_225_600_000L; // a UTC midnight
  static final long GRACE = 250;
  static final List<String> SYMBOLS = List.of("BTCUSD", "ETHUSD", "SOLUSD");

  /** One record: a trade ({@code watermark} false) or a watermark (time only). */
  record Rec(String symbol, boolean watermark, long id, long time, double price, double amount) {}

  final List<Rec> recs = new ArrayList<>();

  AlertStream(long seed, int n) {
    Random rnd = new Random(seed);
    Map<String, Long> time = new HashMap<>();
    Map<String, Double> price = new HashMap<>();
    Map<String, List<Rec>> recent = new HashMap<>();
    long id = 1;
    for (String s : SYMBOLS) {
      time.put(s, T0 + rnd.nextInt(1000));
      price.put(s, 100.0);
      recent.put(s, new ArrayList<>());
      Rec r = new Rec(s, false, id++, time.get(s), 100.0, 1.0);
      recs.add(r);
      recent.get(s).add(r);
    }
    while (recs.size() < n) {
      String s = SYMBOLS.get(rnd.nextInt(SYMBOLS.size()));
      double u = rnd.nextDouble();
      List<Rec> rs = recent.get(s);
      if (u < 0.03) {
        time.put(s, time.get(s) + 1000 + rnd.nextInt(15_000));
        recs.add(new Rec(s, true, 0, time.get(s), 0, 0));
      } else if (u < 0.06) {
        recs.add(rs.get(rs.size() - 1 - rnd.nextInt(Math.min(rs.size(), 20))));
      } else {
        long t;
        if (u < 0.10 && time.get(s) - T0 > 5000) {
          t = time.get(s) - 1 - rnd.nextInt((int) GRACE - 50); // out of order, never late
        } else {
          t = time.get(s) + rnd.nextInt(900);
          time.put(s, t);
        }
        double step =
            rnd.nextDouble() < 0.02 ? rnd.nextGaussian() * 1.5 : rnd.nextGaussian() * 0.15;
        double p = Math.max(80, Math.min(120, Math.round((price.get(s) + step) * 100) / 100.0));
        price.put(s, p);
        double amount = (1 + rnd.nextInt(400)) / 100.0 * (rnd.nextDouble() < 0.03 ? 8 : 1);
        Rec r = new Rec(s, false, id++, t, p, amount);
        recs.add(r);
        rs.add(r);
      }
    }
  }

  private static byte[] encode(Rec r) {
    return r.watermark()
        ? TradeCodec.encodeWatermark(r.symbol(), r.time())
        : TradeCodec.encode(
            new Trade(r.symbol(), r.id(), r.time(), r.price(), r.amount(), Side.BUY));
  }

  /** Records [from, to) as one poll of partition {@code p} (offset = index). */
  ConsumerRecords<byte[], byte[]> poll(int p, int from, int to) {
    List<ConsumerRecord<byte[], byte[]>> list = new ArrayList<>();
    for (int i = from; i < to; i++) {
      Rec r = recs.get(i);
      list.add(
          new ConsumerRecord<>(
              Topics.TRADES, p, i, r.symbol().getBytes(StandardCharsets.UTF_8), encode(r)));
    }
    return new ConsumerRecords<>(Map.of(new TopicPartition(Topics.TRADES, p), list));
  }

  /** The raw values (for writing the stream to Kafka). */
  List<byte[]> values() {
    return recs.stream().map(AlertStream::encode).toList();
  }
}

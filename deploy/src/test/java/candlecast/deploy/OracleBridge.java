package candlecast.deploy;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The aggregator module's test oracle ({@code candlecast.aggregator.Oracle}: an independent offline fold of the trade
 * log), loaded from that module's compiled test classes — it is package-private test code of another module and not
 * published as a test-jar. The reactor build compiles it before this module's integration tests run.
 */
final class OracleBridge {
  static final Path AGGREGATOR_TEST_CLASSES = Path.of("..", "aggregator-verticle", "target", "test-classes");

  private OracleBridge() {
  }

  /** Folds every {@code trades} record value, in log order, into the latest candle per {@code candles} key. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> fold(List<ConsumerRecord<String, byte[]>> trades, long graceMs, int dedupSize)
      throws Exception {
    Path classes = AGGREGATOR_TEST_CLASSES.toAbsolutePath().normalize();
    if (!Files.isRegularFile(classes.resolve("candlecast/aggregator/Oracle.class"))) {
      throw new AssertionError("the aggregator's test oracle is not compiled at " + classes
          + ": build aggregator-verticle's tests first (mvn verify builds it before deploy)");
    }
    try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
        OracleBridge.class.getClassLoader())) {
      Class<?> oracleClass = loader.loadClass("candlecast.aggregator.Oracle");
      Constructor<?> ctor = oracleClass.getDeclaredConstructor(long.class, int.class);
      ctor.setAccessible(true);
      Object oracle = ctor.newInstance(graceMs, dedupSize);
      Method accept = oracleClass.getDeclaredMethod("accept", byte[].class);
      accept.setAccessible(true);
      for (ConsumerRecord<String, byte[]> r : trades) {
        accept.invoke(oracle, (Object) r.value());
      }
      Method latest = oracleClass.getDeclaredMethod("latest");
      latest.setAccessible(true);
      return Map.copyOf((Map<String, Object>) latest.invoke(oracle));
    }
  }
}

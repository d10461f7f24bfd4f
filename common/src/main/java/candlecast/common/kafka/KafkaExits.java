package candlecast.common.kafka;

import org.apache.kafka.common.utils.Exit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka's fatal-error handlers, replaced for the whole JVM once an embedded broker starts: they log
 * and throw instead of halting.
 */
final class KafkaExits {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);

  private static volatile boolean installed;

  private KafkaExits() {}

  /**
   * Kafka calls {@link Exit#halt} / {@link Exit#exit} on fatal errors: never let it kill our JVM.
   */
  static synchronized void install() {
    if (installed) {
      return;
    }
    Exit.setHaltProcedure(
        (status, message) -> {
          LOG.error("Embedded Kafka requested JVM halt({}): {} (refused)", status, message);
          throw new IllegalStateException(
              "embedded Kafka requested halt(" + status + "): " + message);
        });
    Exit.setExitProcedure(
        (status, message) -> {
          LOG.error("Embedded Kafka requested JVM exit({}): {} (refused)", status, message);
          throw new IllegalStateException(
              "embedded Kafka requested exit(" + status + "): " + message);
        });
    installed = true;
  }
}

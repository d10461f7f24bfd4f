package candlecast.common.kafka;

import java.lang.reflect.Method;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Kafka logs a lot at INFO. When the SLF4J backend is Logback, this sets Kafka's loggers to WARN
 * unless the application's logging configuration already gave them a level. Logback is reached
 * reflectively, so that common does not depend on a logging backend.
 */
final class KafkaLogging {
  private static final List<String> KAFKA_LOGGERS =
      List.of("kafka", "org.apache.kafka", "state.change.logger", "org.apache.zookeeper");

  /**
   * Loggers that warn on every normal start of a single-node controller ("Performing controller
   * activation").
   */
  private static final List<String> NOISY_LOGGERS =
      List.of("org.apache.kafka.controller.QuorumController");

  private KafkaLogging() {}

  static void quietKafkaLoggers() {
    try {
      Object factory = LoggerFactory.getILoggerFactory();
      if (factory == null
          || !factory.getClass().getName().equals("ch.qos.logback.classic.LoggerContext")) {
        return;
      }
      Class<?> levelClass =
          Class.forName("ch.qos.logback.classic.Level", true, factory.getClass().getClassLoader());
      Method getLogger = factory.getClass().getMethod("getLogger", String.class);
      setIfUnset(
          getLogger, factory, KAFKA_LOGGERS, levelClass, levelClass.getField("WARN").get(null));
      setIfUnset(
          getLogger, factory, NOISY_LOGGERS, levelClass, levelClass.getField("ERROR").get(null));
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      // Not the Logback we know: leave logging as configured.
    }
  }

  private static void setIfUnset(
      Method getLogger, Object factory, List<String> names, Class<?> levelClass, Object level)
      throws ReflectiveOperationException {
    for (String name : names) {
      Object logger = getLogger.invoke(factory, name);
      if (logger.getClass().getMethod("getLevel").invoke(logger) == null) {
        logger.getClass().getMethod("setLevel", levelClass).invoke(logger, level);
      }
    }
  }
}

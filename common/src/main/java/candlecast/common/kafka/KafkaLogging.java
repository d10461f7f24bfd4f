package candlecast.common.kafka;

import java.lang.reflect.Method;
import java.util.List;

/**
 * Kafka logs a lot at INFO. When the logging backend is SLF4J + Logback, this sets Kafka's loggers to WARN unless the
 * application's logging configuration already gave them a level. Reflective, so that common depends on neither.
 */
final class KafkaLogging {
  private static final List<String> KAFKA_LOGGERS =
      List.of("kafka", "org.apache.kafka", "state.change.logger", "org.apache.zookeeper");
  /** Loggers that warn on every normal start of a single-node controller ("Performing controller activation"). */
  private static final List<String> NOISY_LOGGERS = List.of("org.apache.kafka.controller.QuorumController");

  private KafkaLogging() {
  }

  static void quietKafkaLoggers() {
    try {
      Class<?> slf4j = Class.forName("org.slf4j.LoggerFactory");
      Object factory = slf4j.getMethod("getILoggerFactory").invoke(null);
      if (factory == null || !factory.getClass().getName().equals("ch.qos.logback.classic.LoggerContext")) {
        return;
      }
      Class<?> levelClass = Class.forName("ch.qos.logback.classic.Level", true, factory.getClass().getClassLoader());
      Method getLogger = factory.getClass().getMethod("getLogger", String.class);
      setIfUnset(getLogger, factory, KAFKA_LOGGERS, levelClass, levelClass.getField("WARN").get(null));
      setIfUnset(getLogger, factory, NOISY_LOGGERS, levelClass, levelClass.getField("ERROR").get(null));
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      // No SLF4J, or not the Logback we know: leave logging as configured.
    }
  }

  private static void setIfUnset(Method getLogger, Object factory, List<String> names, Class<?> levelClass, Object level)
      throws ReflectiveOperationException {
    for (String name : names) {
      Object logger = getLogger.invoke(factory, name);
      if (logger.getClass().getMethod("getLevel").invoke(logger) == null) {
        logger.getClass().getMethod("setLevel", levelClass).invoke(logger, level);
      }
    }
  }
}

package candlecast.common.config;

/** A configuration value that cannot be used. The message is one line naming the setting. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message, null, false, false);
  }
}

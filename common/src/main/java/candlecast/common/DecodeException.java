package candlecast.common;

/** Thrown for a value that cannot be decoded; the message says why. */
public final class DecodeException extends RuntimeException {
  public DecodeException(String message) {
    super(message);
  }
}

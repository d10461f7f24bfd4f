package candlecast.client;

/**
 * Every failure the client reports: a server error (its {@code code} verbatim, e.g. {@code
 * unknown_symbol}), a REST error (code derived from the HTTP status, {@link #status()} set) or a
 * client-side condition ({@code timeout}, {@code connection_lost}, {@code closed}, {@code
 * unauthorized}, {@code forbidden}, {@code bad_response}).
 */
public final class CandlecastException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** No reply to a request within the request timeout. */
  public static final String TIMEOUT = "timeout";

  /** The socket dropped while a request was pending (requests are not re-sent). */
  public static final String CONNECTION_LOST = "connection_lost";

  /** The client was closed. */
  public static final String CLOSED = "closed";

  /** A handshake or REST call refused with 401. */
  public static final String UNAUTHORIZED = "unauthorized";

  /** A handshake or REST call refused with 403. */
  public static final String FORBIDDEN = "forbidden";

  /** A frame or body that is not what the protocol says. */
  public static final String BAD_RESPONSE = "bad_response";

  private final String code;
  private final int status;

  /**
   * An error without an HTTP status.
   *
   * @param code the error code
   * @param message the human-readable message
   */
  public CandlecastException(String code, String message) {
    this(code, message, 0, null);
  }

  /**
   * An error with everything.
   *
   * @param code the error code
   * @param message the human-readable message
   * @param status the HTTP status (0 when none)
   * @param cause the underlying failure, or null
   */
  public CandlecastException(String code, String message, int status, Throwable cause) {
    super(code + ": " + message, cause);
    this.code = code;
    this.status = status;
  }

  /**
   * The error code.
   *
   * @return the server's code verbatim, or a client-side one
   */
  public String code() {
    return code;
  }

  /**
   * The HTTP status of a REST error or a refused handshake.
   *
   * @return the status, 0 when the error did not come from HTTP
   */
  public int status() {
    return status;
  }

  /**
   * The code a REST error status maps to (docs/CLIENTS.md).
   *
   * @param status the HTTP status
   * @param text the server's {@code error} text
   * @return the code
   */
  public static String codeForStatus(int status, String text) {
    return switch (status) {
      case 400 -> "bad_request";
      case 401 -> UNAUTHORIZED;
      case 403 -> FORBIDDEN;
      case 404 -> text != null && text.contains("unknown symbol") ? "unknown_symbol" : "not_found";
      case 410 -> "gone";
      case 429 -> "rate_limited";
      case 503 -> "unavailable";
      default -> "http_" + status;
    };
  }

  /**
   * Unwraps CompletionException/ExecutionException layers to the CandlecastException inside, or
   * wraps.
   *
   * @param t a failure
   * @return the CandlecastException it is or holds
   */
  public static CandlecastException of(Throwable t) {
    Throwable c = t;
    while (c != null) {
      if (c instanceof CandlecastException) {
        return (CandlecastException) c;
      }
      c = c.getCause();
    }
    return new CandlecastException(CONNECTION_LOST, String.valueOf(t), 0, t);
  }
}

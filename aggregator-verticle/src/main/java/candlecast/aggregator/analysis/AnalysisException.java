package candlecast.aggregator.analysis;

/**
 * A refused analysis request: {@link #code()} is the event-bus failure code (400 bad request, 404
 * unknown symbol, 429 too many series), the message is fit for the client.
 */
public final class AnalysisException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int code;

  public AnalysisException(int code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public int code() {
    return code;
  }
}

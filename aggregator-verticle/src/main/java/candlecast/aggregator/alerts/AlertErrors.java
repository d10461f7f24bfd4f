package candlecast.aggregator.alerts;

import io.vertx.core.Future;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

/**
 * The failures of {@code candlecast.alerts}: a status code and a text {@code "<code>: <message>"}
 * (docs/PROTOCOL.md "Alerts: event bus"), which the gateway maps to its error code and REST status.
 */
public final class AlertErrors {
  public static final String BAD_ALERT = "bad_alert";
  public static final String BAD_OWNER = "bad_owner";
  public static final String UNKNOWN_SYMBOL = "unknown_symbol";
  public static final String NOT_FOUND = "not_found";
  public static final String TOO_MANY = "too_many_alerts";
  public static final String UNAVAILABLE = "alerts_unavailable";

  private AlertErrors() {}

  /** A recipient failure with the status of {@code code} and the text {@code code: message}. */
  public static ReplyException error(String code, String message) {
    return new ReplyException(ReplyFailure.RECIPIENT_FAILURE, status(code), code + ": " + message);
  }

  public static <T> Future<T> fail(String code, String message) {
    return Future.failedFuture(error(code, message));
  }

  /** The status of an error code: 400, 404, 429 or 503. */
  static int status(String code) {
    return switch (code) {
      case UNKNOWN_SYMBOL, NOT_FOUND -> 404;
      case TOO_MANY -> 429;
      case UNAVAILABLE -> 503;
      default -> 400;
    };
  }

  /**
   * A failure as this protocol's: a reply failure whose text already names a code is kept; another
   * reply failure gets the code of its status; anything else (a timeout, no handler, a local
   * exception) becomes {@code alerts_unavailable}.
   */
  public static ReplyException normalize(Throwable e) {
    String text = String.valueOf(e.getMessage());
    if (e instanceof ReplyException re && re.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
      if (hasCode(text)) {
        return new ReplyException(ReplyFailure.RECIPIENT_FAILURE, re.failureCode(), text);
      }
      String code =
          switch (re.failureCode()) {
            case 400 -> BAD_ALERT;
            case 404 -> NOT_FOUND;
            case 429 -> TOO_MANY;
            default -> UNAVAILABLE;
          };
      return error(code, text);
    }
    if (e instanceof IllegalArgumentException && hasCode(text)) {
      int colon = text.indexOf(": ");
      return error(text.substring(0, colon), text.substring(colon + 2));
    }
    return error(UNAVAILABLE, text);
  }

  private static boolean hasCode(String text) {
    int colon = text.indexOf(": ");
    if (colon <= 0) {
      return false;
    }
    String code = text.substring(0, colon);
    return code.equals(BAD_ALERT)
        || code.equals(BAD_OWNER)
        || code.equals(UNKNOWN_SYMBOL)
        || code.equals(NOT_FOUND)
        || code.equals(TOO_MANY)
        || code.equals(UNAVAILABLE);
  }
}

package candlecast.gateway;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

/**
 * Maps the failure of a request to {@code candlecast.alerts} (or of a gateway-side check) to the
 * error {@code code}, its message and the REST status (issue 17): the text before the first {@code
 * ": "} of the responder's {@code fail(..)} is the code ({@code bad_alert}, {@code bad_owner} 400;
 * {@code unknown_symbol}, {@code not_found} 404; {@code too_many_alerts} 429; {@code
 * alerts_unavailable} 503), the rest the message. No responder or no reply in time is {@code
 * alerts_unavailable}. Pure.
 */
final class AlertErrors {
  static final String BAD_ALERT = "bad_alert";
  static final String BAD_OWNER = "bad_owner";
  static final String UNKNOWN_SYMBOL = "unknown_symbol";
  static final String NOT_FOUND = "not_found";
  static final String TOO_MANY_ALERTS = "too_many_alerts";
  static final String UNAVAILABLE = "alerts_unavailable";

  /** One error: {@code {"error":code,"message":message}} on REST, an error frame elsewhere. */
  record AlertError(int status, String code, String message) {
    io.vertx.core.json.JsonObject restBody() {
      return new io.vertx.core.json.JsonObject().put("error", code).put("message", message);
    }
  }

  private AlertErrors() {}

  /** The error of a failed bus request. */
  static AlertError of(Throwable err) {
    if (err instanceof ReplyException re) {
      if (re.failureType() == ReplyFailure.NO_HANDLERS) {
        return new AlertError(503, UNAVAILABLE, "no alert service is reachable");
      }
      if (re.failureType() == ReplyFailure.TIMEOUT) {
        return new AlertError(503, UNAVAILABLE, "the alert service did not answer in time");
      }
      return fromText(re.failureCode(), String.valueOf(re.getMessage()));
    }
    if (err instanceof IllegalArgumentException e) {
      return fromText(400, String.valueOf(e.getMessage()));
    }
    return new AlertError(502, UNAVAILABLE, "alert service failed: " + err);
  }

  /**
   * {@code "code: message"} as an error; a text without a known code keeps {@code status} (502 when
   * it is not an error status) with code {@code alerts_unavailable}.
   */
  static AlertError fromText(int status, String text) {
    int cut = text.indexOf(": ");
    String code = cut < 0 ? text : text.substring(0, cut);
    String message = cut < 0 ? text : text.substring(cut + 2);
    int known = statusOf(code);
    if (known > 0) {
      return new AlertError(known, code, message);
    }
    return new AlertError(status >= 400 && status < 600 ? status : 502, UNAVAILABLE, text);
  }

  /** The REST status of a code; 0 when the code is not one of the alert codes. */
  static int statusOf(String code) {
    return switch (code) {
      case BAD_ALERT, BAD_OWNER -> 400;
      case UNKNOWN_SYMBOL, NOT_FOUND -> 404;
      case TOO_MANY_ALERTS -> 429;
      case UNAVAILABLE -> 503;
      default -> 0;
    };
  }
}

package candlecast.gateway;

import java.util.function.LongSupplier;

/**
 * The alerts stream of the seed's stream service, spoken on {@code /ws/alerts} (issue 17): the
 * messages of {@code /ws/stream} ({@link StreamCommandParser}, {@link StreamFrames}: welcome,
 * subscribe and unsubscribe by symbol, heartbeat, ping, errors), but a subscription streams the
 * connection owner's alerts of the symbol ({@link AlertsStreamFrames}): once when subscribed and
 * again whenever one of them fires ({@link AlertsStreamSubscriptions}).
 *
 * <p>One per gateway instance. Event-loop confined.
 */
final class AlertsStreamDialect extends SeedStreamMessages {
  static final String PATH = "/ws/alerts";

  private final AlertHub hub;
  private final LongSupplier clock;

  AlertsStreamDialect(AlertHub hub, LongSupplier clock) {
    this.hub = hub;
    this.clock = clock;
  }

  AlertHub hub() {
    return hub;
  }

  @Override
  long now() {
    return clock.getAsLong();
  }

  /** The stream service's messages, a subscription being to the symbol's alerts. */
  @Override
  public Command parse(String text) {
    Command c = StreamCommandParser.parse(text);
    if (c instanceof Command.StreamSubscribe s) {
      return new Command.AlertsStreamSubscribe(s.symbol(), s.spelling());
    }
    if (c instanceof Command.StreamUnsubscribe u) {
      return new Command.AlertsStreamUnsubscribe(u.symbol(), u.spelling());
    }
    return c;
  }
}

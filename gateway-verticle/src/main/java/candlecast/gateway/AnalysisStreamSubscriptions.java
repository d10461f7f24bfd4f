package candlecast.gateway;

import io.vertx.core.Context;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The symbols a {@code /ws/analysis} connection subscribed to. Each is one subscription of the
 * connection (counted against {@code gateway.max-subscriptions}) joined to the node's {@link
 * AnalysisComposer} of its (symbol, timeframe): the ack waits until the composer holds every series
 * (so an unknown symbol or an unavailable owner is refused), then the current {@code data} message
 * follows at once when there is one, then every composed one. The connection reads no further
 * message meanwhile ({@link CommandFlow}).
 *
 * <p>Event-loop confined.
 */
final class AnalysisStreamSubscriptions {
  private final Subscriptions subs;
  private final Map<String, Part> parts = new HashMap<>(4);

  /** One symbol's subscription: its lane in the connection's writer (keeps the newest message). */
  static final class Part extends OutboundWriter.Lane implements AnalysisComposer.Subscriber {
    private final String spelling;
    private final SeriesKey key;
    private final AnalysisStreams streams;
    private final Context context;
    private boolean live;
    private boolean cancelled;

    Part(OutboundWriter writer, String spelling, SeriesKey key, AnalysisStreams streams) {
      super(writer);
      this.spelling = spelling;
      this.key = key;
      this.streams = streams;
      // the event loop's own context: a connection runs on a duplicate of it, one per connection,
      // and the composer sends one task per event loop, not per connection
      this.context =
          ((io.vertx.core.internal.ContextInternal) streams.vertx.getOrCreateContext()).unwrap();
    }

    @Override
    public Context context() {
      return context;
    }

    @Override
    public String spelling() {
      return spelling;
    }

    @Override
    public void write(Update u) {
      if (live && !cancelled) {
        writer.offer(this, u);
      }
    }

    void cancel() {
      if (cancelled) {
        return;
      }
      cancelled = true;
      writer.forget(this);
      streams.leave(key, this);
    }
  }

  AnalysisStreamSubscriptions(Subscriptions subs) {
    this.subs = subs;
  }

  void subscribe(AnalysisStreamDialect dialect, Command.AnalysisStreamSubscribe cmd) {
    CommandFlow flow = subs.flow;
    if (parts.containsKey(cmd.symbol())) {
      // as asked; unsubscribe first to change the timeframe
      flow.reply(dialect.subscription("subscribed", cmd.spelling()));
      return;
    }
    int max = subs.env.options().maxSubscriptions();
    if (parts.size() + subs.count() >= max) {
      flow.reply(dialect.tooManySubscriptions(null, null, max));
      return;
    }
    SeriesKey key = new SeriesKey(cmd.symbol(), cmd.tf());
    Part p = new Part(subs.writer, cmd.spelling(), key, dialect.streams());
    parts.put(cmd.symbol(), p);
    flow.begin();
    dialect
        .streams()
        .join(key, p)
        .onComplete(
            ar -> {
              if (p.cancelled) { // unsubscribed by the connection's close meanwhile
                flow.end();
                return;
              }
              if (ar.failed()) {
                drop(cmd.symbol(), p);
                flow.reply(failure(dialect, cmd.spelling(), ar.cause()));
                flow.end();
                return;
              }
              flow.reply(dialect.subscription("subscribed", cmd.spelling()));
              p.live = true;
              Update current = ar.result();
              if (current != null) {
                p.write(current);
              }
              flow.end();
            });
  }

  void unsubscribe(AnalysisStreamDialect dialect, Command.AnalysisStreamUnsubscribe cmd) {
    Part p = parts.remove(cmd.symbol());
    if (p == null) {
      subs.flow.reply(
          dialect.error(
              ErrorCodes.NOT_SUBSCRIBED, "not subscribed to " + cmd.spelling(), null, null));
      return;
    }
    p.cancel();
    subs.flow.reply(dialect.subscription("unsubscribed", cmd.spelling()));
  }

  /** Ends every subscription (the connection closes); returns how many there were. */
  int dropAll() {
    List<Part> all = new ArrayList<>(parts.values());
    parts.clear();
    all.forEach(Part::cancel);
    return all.size();
  }

  int count() {
    return parts.size();
  }

  /** Whether the connection streams the analysis of {@code symbol} (issue 17: notices). */
  boolean holds(String symbol) {
    return parts.containsKey(symbol);
  }

  private void drop(String symbol, Part p) {
    if (parts.get(symbol) == p) {
      parts.remove(symbol);
    }
    p.cancel();
  }

  /**
   * The error of a subscription the composer could not start: 404 unknown symbol, else the analysis
   * is unavailable (the owner's or this node's series cap, 429; no owner, 503 or timeout).
   */
  static io.vertx.core.json.JsonObject failure(
      AnalysisStreamDialect dialect, String spelling, Throwable err) {
    if (err instanceof ReplyException re
        && re.failureType() == ReplyFailure.RECIPIENT_FAILURE
        && re.failureCode() == 404) {
      return dialect.error(
          ErrorCodes.UNKNOWN_SYMBOL,
          "unknown symbol " + spelling + ": " + re.getMessage(),
          null,
          null);
    }
    String why;
    if (err instanceof ReplyException re) {
      why =
          switch (re.failureType()) {
            case NO_HANDLERS -> "no analysis owner is reachable";
            case TIMEOUT -> "the analysis owner did not answer in time";
            default ->
                (re.failureCode() == 429 ? "series cap reached: " : "refused: ") + re.getMessage();
          };
    } else {
      why = String.valueOf(err.getMessage());
    }
    return dialect.error(
        ErrorCodes.ANALYSIS_UNAVAILABLE,
        "analysis of " + spelling + " unavailable: " + why,
        null,
        null);
  }
}

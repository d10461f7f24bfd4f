package candlecast.gateway;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The subscriptions of one {@code /ws} connection and the commands that change them. At most {@code
 * gateway.max-subscriptions}, one per stream; each is registered with the instance's {@link
 * SeriesHub} and holds up the connection's next command ({@link CommandFlow#begin}) until its
 * consumer is registered and its snapshot sent. Replies are in the dialect of the command.
 *
 * <p>Event-loop confined.
 */
final class Subscriptions {
  final WsConnection.Env env;
  final OutboundWriter writer;
  final CommandFlow flow;
  private Map<StreamKey, Subscription> subs;

  /**
   * {@code /ws/stream}: the symbols subscribed in the stream service dialect; created on first use.
   */
  private StreamSubscriptions streams;

  /** {@code /ws/analysis}: the symbols whose analysis is streamed; created on first use. */
  private AnalysisStreamSubscriptions analysisStreams;

  /** Issue 17: the JSON alert requests and the alerts channel; created on first use. */
  private AlertsChannel alerts;

  /** Issue 17: {@code /ws/alerts} symbols; created on first use. */
  private AlertsStreamSubscriptions alertStreams;

  /** Issue 17: the upgrade's authenticated user (null without authentication). */
  private io.vertx.ext.auth.User user;

  /** Issue 17: the upgrade URL's {@code owner} parameter (null when absent). */
  private String ownerParam;

  /** The portfolio channel and {@code /ws/portfolio} symbols (issue 17); created on first use. */
  private PortfolioChannel portfolio;

  Subscriptions(WsConnection.Env env, OutboundWriter writer, CommandFlow flow) {
    this.env = env;
    this.writer = writer;
    this.flow = flow;
  }

  void subscribe(Dialect dialect, Command.Subscribe cmd) {
    SeriesKey key = cmd.key();
    if (get(key) != null) {
      flow.reply(dialect.alreadySubscribed(key, cmd.id()));
      return;
    }
    if (roomFor(dialect, key, cmd.id())) {
      register(new CandleSubscription(this, cmd, dialect), dialect);
    }
  }

  void subscribeTicker(Dialect dialect, Command.SubscribeTicker cmd) {
    TickerKey key = new TickerKey(cmd.symbol());
    if (get(key) != null) {
      flow.reply(
          Frames.jsonError(
              ErrorCodes.ALREADY_SUBSCRIBED,
              "already subscribed to the ticker of " + cmd.symbol(),
              cmd.id()));
      return;
    }
    if (roomFor(dialect, key, cmd.id())) {
      register(new TickerSubscription(this, key, cmd.id()), dialect);
    }
  }

  void subscribeTrades(Dialect dialect, Command.SubscribeTrades cmd) {
    TradesKey key = new TradesKey(cmd.symbol());
    if (get(key) != null) {
      flow.reply(
          Frames.jsonError(
              ErrorCodes.ALREADY_SUBSCRIBED,
              "already subscribed to the trades of "
                  + cmd.symbol()
                  + "; unsubscribe first to start over",
              cmd.id()));
      return;
    }
    if (roomFor(dialect, key, cmd.id())) {
      register(new TradesSubscription(this, key, cmd), dialect);
    }
  }

  void unsubscribeTrades(Command.UnsubscribeTrades cmd) {
    Subscription sub = get(new TradesKey(cmd.symbol()));
    if (sub == null) {
      flow.reply(
          Frames.jsonError(
              ErrorCodes.NOT_SUBSCRIBED,
              "not subscribed to the trades of " + cmd.symbol(),
              cmd.id()));
      return;
    }
    drop(sub);
    flow.reply(Frames.tradesSubscription("unsubscribed", cmd.symbol(), null, cmd.id()));
  }

  /** One book subscription per symbol (at one depth). */
  void subscribeBook(Dialect dialect, Command.SubscribeBook cmd) {
    BookSubscription existing = bookOf(cmd.symbol());
    if (existing != null) {
      flow.reply(
          Frames.jsonError(
              ErrorCodes.ALREADY_SUBSCRIBED,
              "already subscribed to the book of "
                  + cmd.symbol()
                  + " (depth "
                  + existing.book().depth()
                  + "); unsubscribe first to change the depth",
              cmd.id()));
      return;
    }
    BookKey key = new BookKey(cmd.symbol(), cmd.depth());
    if (roomFor(dialect, key, cmd.id())) {
      register(new BookSubscription(this, key, cmd.id()), dialect);
    }
  }

  void unsubscribeBook(Command.UnsubscribeBook cmd) {
    BookSubscription sub = bookOf(cmd.symbol());
    if (sub == null) {
      flow.reply(
          Frames.jsonError(
              ErrorCodes.NOT_SUBSCRIBED,
              "not subscribed to the book of " + cmd.symbol(),
              cmd.id()));
      return;
    }
    drop(sub);
    flow.reply(Frames.bookSubscription("unsubscribed", cmd.symbol(), sub.book().depth(), cmd.id()));
  }

  private BookSubscription bookOf(String symbol) {
    for (int depth : JsonCommandParser.BOOK_DEPTHS) {
      if (get(new BookKey(symbol, depth)) instanceof BookSubscription b) {
        return b;
      }
    }
    return null;
  }

  void unsubscribe(Dialect dialect, Command.Unsubscribe cmd) {
    Subscription sub = get(cmd.key());
    if (sub != null) {
      drop(sub);
    }
    flow.reply(dialect.unsubscribed(cmd.key(), cmd.id(), sub != null));
  }

  void unsubscribeTicker(Command.UnsubscribeTicker cmd) {
    Subscription sub = get(new TickerKey(cmd.symbol()));
    if (sub == null) {
      flow.reply(
          Frames.jsonError(
              ErrorCodes.NOT_SUBSCRIBED,
              "not subscribed to the ticker of " + cmd.symbol(),
              cmd.id()));
      return;
    }
    drop(sub);
    flow.reply(Frames.tickerSubscription("unsubscribed", cmd.symbol(), cmd.id()));
  }

  /**
   * An analysis channel's subscribe: one per series, at most {@code gateway.max-indicators} per
   * connection, each also counted against {@code gateway.max-subscriptions}.
   */
  void subscribeAnalysis(Dialect dialect, Command.SubscribeAnalysis cmd) {
    AnalysisKey key = cmd.key();
    if (get(key) != null) {
      flow.reply(
          Frames.jsonError(
              ErrorCodes.ALREADY_SUBSCRIBED,
              "already subscribed to " + key.key() + " of " + key.symbol() + " " + key.tf().label(),
              cmd.id()));
      return;
    }
    int max = env.options().analysis().maxIndicators();
    if (countAnalysis() >= max) {
      flow.reply(
          Frames.jsonError(
              ErrorCodes.TOO_MANY_INDICATORS,
              "at most " + max + " indicator, patterns and risk subscriptions per connection",
              cmd.id()));
      return;
    }
    if (!roomFor(dialect, key, cmd.id())) {
      return;
    }
    AnalysisSubscription sub = new AnalysisSubscription(this, cmd);
    if (subs == null) {
      subs = new LinkedHashMap<>(4);
    }
    subs.put(key, sub);
    flow.begin();
    sub.start().onComplete(done -> flow.end());
  }

  void unsubscribeAnalysis(Command.UnsubscribeAnalysis cmd) {
    AnalysisKey key = cmd.key();
    Subscription sub = get(key);
    if (sub == null) {
      flow.reply(
          Frames.jsonError(
              ErrorCodes.NOT_SUBSCRIBED,
              "not subscribed to " + key.key() + " of " + key.symbol() + " " + key.tf().label(),
              cmd.id()));
      return;
    }
    drop(sub);
    flow.reply(
        AnalysisChannelFrames.subscription(
            "unsubscribed", cmd.channel(), key, cmd.spec(), cmd.id()));
  }

  private int countAnalysis() {
    int n = 0;
    if (subs != null) {
      for (StreamKey k : subs.keySet()) {
        if (k instanceof AnalysisKey) {
          n++;
        }
      }
    }
    return n;
  }

  /**
   * {@code /ws/stream}: subscribe to a symbol in the stream service dialect ({@link
   * StreamSubscriptions}).
   */
  void subscribeStream(StreamDialect dialect, Command.StreamSubscribe cmd) {
    streams().subscribe(dialect, cmd);
  }

  void unsubscribeStream(StreamDialect dialect, Command.StreamUnsubscribe cmd) {
    streams().unsubscribe(dialect, cmd);
  }

  /**
   * {@code /ws/analysis}: subscribe to a symbol's analysis ({@link AnalysisStreamSubscriptions}).
   */
  void subscribeAnalysisStream(AnalysisStreamDialect dialect, Command.AnalysisStreamSubscribe cmd) {
    analysisStreams().subscribe(dialect, cmd);
  }

  void unsubscribeAnalysisStream(
      AnalysisStreamDialect dialect, Command.AnalysisStreamUnsubscribe cmd) {
    analysisStreams().unsubscribe(dialect, cmd);
  }

  private AnalysisStreamSubscriptions analysisStreams() {
    if (analysisStreams == null) {
      analysisStreams = new AnalysisStreamSubscriptions(this);
    }
    return analysisStreams;
  }

  /** The connection's portfolio subscriptions and commands (issue 17). */
  PortfolioChannel portfolio() {
    if (portfolio == null) {
      portfolio = new PortfolioChannel(this);
    }
    return portfolio;
  }

  private StreamSubscriptions streams() {
    if (streams == null) {
      streams = new StreamSubscriptions(this);
    }
    return streams;
  }

  /** Issue 17: who the connection is ({@link WsConnection#identity}). */
  void identity(io.vertx.ext.auth.User user, String ownerParam) {
    this.user = user;
    this.ownerParam = ownerParam;
  }

  /**
   * The owner of the connection's alert commands ({@link OwnerIdentity}): the token's subject, else
   * the upgrade URL's {@code owner}, else {@code commandOwner}, else {@code default}.
   *
   * @throws IllegalArgumentException {@code bad_owner: …}
   */
  String owner(String commandOwner) {
    return OwnerIdentity.resolve(user, ownerParam != null ? ownerParam : commandOwner);
  }

  private static String symbolOf(StreamKey k) {
    if (k instanceof SeriesKey s) {
      return s.symbol();
    }
    if (k instanceof TickerKey t) {
      return t.symbol();
    }
    if (k instanceof TradesKey t) {
      return t.symbol();
    }
    if (k instanceof BookKey b) {
      return b.symbol();
    }
    return k instanceof AnalysisKey a ? a.symbol() : null;
  }

  AlertsChannel alerts() {
    if (alerts == null) {
      alerts = new AlertsChannel(this, env.alerts());
    }
    return alerts;
  }

  AlertsStreamSubscriptions alertStreams(AlertsStreamDialect dialect) {
    if (alertStreams == null) {
      alertStreams = new AlertsStreamSubscriptions(this, dialect);
    }
    return alertStreams;
  }

  /**
   * Whether the connection is subscribed to anything of {@code symbol} (any channel, any dialect):
   * a notice about the symbol reaches it.
   */
  boolean holdsSymbol(String symbol) {
    if (subs != null) {
      for (StreamKey k : subs.keySet()) {
        if (symbol.equals(symbolOf(k))) {
          return true;
        }
      }
    }
    return (analysisStreams != null && analysisStreams.holds(symbol))
        || (alertStreams != null && alertStreams.holds(symbol));
  }

  /**
   * Adds a subscription that its caller starts ({@link StreamSubscriptions}): registered with the
   * hub; the future completes when its consumer is (on failure the hub has let it go; drop it).
   */
  Future<Void> attach(Subscription sub) {
    if (subs == null) {
      subs = new LinkedHashMap<>(4);
    }
    subs.put(sub.key, sub);
    return env.hub().subscribe(sub.key, sub);
  }

  /** How many subscriptions the connection holds. */
  int count() {
    return subs == null ? 0 : subs.size();
  }

  /** Drops every subscription; returns how many there were. */
  int dropAll() {
    int analysis = analysisStreams == null ? 0 : analysisStreams.dropAll();
    analysis += alerts == null ? 0 : alerts.drop();
    analysis += alertStreams == null ? 0 : alertStreams.dropAll();
    analysis += portfolio == null ? 0 : portfolio.dropAll();
    if (subs == null) {
      return analysis;
    }
    List<Subscription> all = new ArrayList<>(subs.values());
    for (Subscription s : all) {
      drop(s);
    }
    return all.size() + analysis;
  }

  /** The subscriptions, in the order they were made (the answer to {@code list}). */
  JsonArray describe() {
    JsonArray arr = new JsonArray();
    if (subs != null) {
      for (Subscription s : subs.values()) {
        arr.add(s.describe());
      }
    }
    return arr;
  }

  void drop(Subscription sub) {
    sub.cancel();
    if (subs != null) {
      subs.remove(sub.key);
    }
    env.hub().unsubscribe(sub.key, sub);
  }

  private Subscription get(StreamKey key) {
    return subs == null ? null : subs.get(key);
  }

  private boolean roomFor(Dialect dialect, StreamKey key, Object id) {
    int max = env.options().maxSubscriptions();
    if (subs != null && subs.size() >= max) {
      flow.reply(dialect.tooManySubscriptions(key, id, max));
      return false;
    }
    return true;
  }

  /** Adds the subscription to the hub; the next command waits until it has started (or failed). */
  private void register(Subscription sub, Dialect dialect) {
    if (subs == null) {
      subs = new LinkedHashMap<>(4);
    }
    subs.put(sub.key, sub);
    Future<Void> ready = env.hub().subscribe(sub.key, sub);
    flow.begin();
    ready.onComplete(
        ar -> {
          if (sub.cancelled()) {
            flow.end();
            return;
          }
          if (ar.failed()) {
            drop(sub);
            flow.reply(
                dialect.error(
                    ErrorCodes.SUBSCRIBE_FAILED,
                    "cannot subscribe to " + sub.key.address() + ": " + ar.cause().getMessage(),
                    sub.key,
                    sub.id));
            flow.end();
            return;
          }
          sub.start().onComplete(done -> flow.end());
        });
  }
}

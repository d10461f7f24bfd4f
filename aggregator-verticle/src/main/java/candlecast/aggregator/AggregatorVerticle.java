package candlecast.aggregator;

import candlecast.common.Addresses;
import candlecast.common.Candle;
import candlecast.common.CandleCodec;
import candlecast.common.Symbols;
import candlecast.common.TapeTrade;
import candlecast.common.Timeframe;
import candlecast.common.config.CandlecastConfig;
import candlecast.common.config.Parsers;
import candlecast.common.config.Settings;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the {@link FoldLoop} (trades → candles, on its own thread) to the event bus: publishes
 * every candle update on {@code candles.<SYMBOL>.<tf>}, keeps the history and the recent trades
 * ({@link TradeTape}) of the symbols whose partitions this instance owns, publishes each batch's
 * trades of a symbol on {@code trades.<SYMBOL>}, computes 24 h tickers, and answers history,
 * trades, symbol, ticker and health requests. Several instances (in one JVM or many) share the
 * {@code trades} partitions through the consumer group; each answers for the symbols it owns.
 */
public final class AggregatorVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(AggregatorVerticle.class);
  public static final String GROUP_ID = "candlecast-aggregator";
  static final long ASSIGNMENT_WAIT_MS = 30_000;

  private final CandlecastConfig config;
  private final String bootstrap;
  private final HistoryStore history;
  private final TradeTape tape;

  /**
   * Symbols this instance owns (its trades partitions hold them), with their per-symbol owner
   * consumer.
   */
  private final Map<String, MessageConsumer<Object>> owned = new HashMap<>();

  private AsyncMap<String, String> directory;
  private final Set<String> tickerDirty = new HashSet<>();
  private final Map<String, Ticker> tickers = new HashMap<>();
  private final List<MessageConsumer<?>> responders = new ArrayList<>();
  private FoldLoop loop;

  /** Order books of the owned symbols (issue 14). */
  private BookService books;

  private Thread loopThread;
  private long tickerTimer = -1;

  public AggregatorVerticle(CandlecastConfig config, String bootstrapServers) {
    this.config = config;
    this.bootstrap = bootstrapServers;
    this.history =
        new HistoryStore(Parsers.retentionMillis(config.get(Settings.AGGREGATOR_RETENTION)));
    this.tape =
        new TradeTape(
            config.get(Settings.AGGREGATOR_TRADES_RING_SIZE),
            config.get(Settings.GATEWAY_TRADES_SNAPSHOT_SIZE));
  }

  @Override
  public Future<?> start() {
    Promise<Void> firstAssignment = Promise.promise();
    FoldOptions options = FoldOptions.from(config, bootstrap, GROUP_ID);
    loop = new FoldLoop(options, new LoopOutput(context, firstAssignment));
    books =
        new BookService(
            vertx,
            context,
            options.readerConfig(),
            s -> {
              own(s);
              tickerDirty.add(s);
            });
    books.start();
    registerResponders();
    Future<Void> dir =
        vertx
            .sharedData()
            .<String, String>getAsyncMap(DIRECTORY_MAP)
            .map(
                m -> {
                  directory = m;
                  return null;
                });
    tickerTimer =
        vertx.setPeriodic(config.get(Settings.AGGREGATOR_TICKER_MS), id -> publishTickers());
    loopThread = new Thread(loop, "candlecast-fold-loop");
    loopThread.setDaemon(true);
    loopThread.start();
    List<Future<?>> ready =
        new ArrayList<>(responders.stream().map(MessageConsumer::completion).toList());
    ready.add(dir);
    // Serve history from the first moment: wait (bounded) until the group has assigned and restored
    // partitions.
    long timer =
        vertx.setTimer(
            ASSIGNMENT_WAIT_MS,
            id -> {
              if (firstAssignment.tryComplete()) {
                LOG.warn(
                    "no trades partitions assigned within {} ms; starting anyway",
                    ASSIGNMENT_WAIT_MS);
              }
            });
    ready.add(firstAssignment.future().onComplete(x -> vertx.cancelTimer(timer)));
    return Future.all(ready);
  }

  /** Hands the fold loop's output (on its thread) to this verticle's context. */
  private final class LoopOutput implements FoldLoop.Output {
    private final Context ctx;
    private final Promise<Void> firstAssignment;

    LoopOutput(Context ctx, Promise<Void> firstAssignment) {
      this.ctx = ctx;
      this.firstAssignment = firstAssignment;
    }

    @Override
    public void candles(List<Candle> batch) {
      ctx.runOnContext(v -> onCandles(batch));
    }

    @Override
    public void tape(Map<String, List<TapeTrade>> runs) {
      ctx.runOnContext(v -> onTape(runs));
    }

    @Override
    public void partitionLoaded(
        int partition, HistoryStore h, Map<String, TradeRing> rings, Set<String> symbols) {
      ctx.runOnContext(
          v -> {
            history.merge(h);
            tape.adopt(rings);
            for (String s : symbols) {
              own(s);
              tickerDirty.add(s);
            }
          });
    }

    @Override
    public void assigned(Set<Integer> partitions) {
      ctx.runOnContext(
          v -> {
            books.follow(partitions).forEach(AggregatorVerticle.this::disown);
            firstAssignment.tryComplete();
          });
    }

    @Override
    public void partitionDropped(int partition, Set<String> symbols) {
      ctx.runOnContext(
          v -> {
            for (String s : symbols) {
              disown(s);
              history.removeSymbol(s);
              tape.remove(s);
              tickers.remove(s);
              tickerDirty.remove(s);
            }
            books.drop(partition).forEach(AggregatorVerticle.this::disown);
          });
    }
  }

  /** Cluster-wide map symbol → owning aggregator instance (its deployment id). */
  public static final String DIRECTORY_MAP = "candlecast.symbol-owners";

  private void own(String symbol) {
    if (owned.containsKey(symbol)) {
      return;
    }
    MessageConsumer<Object> c =
        vertx.eventBus().consumer(Addresses.owner(symbol), this::onOwnerRequest);
    owned.put(symbol, c);
    if (directory != null) {
      directory
          .put(symbol, deploymentID())
          .onFailure(e -> LOG.warn("symbol directory: {}", e.toString()));
    }
  }

  private void disown(String symbol) {
    MessageConsumer<Object> c = owned.remove(symbol);
    if (c != null) {
      c.unregister();
    }
    if (directory != null) {
      directory.removeIfPresent(symbol, deploymentID());
    }
  }

  @Override
  public Future<?> stop() {
    if (tickerTimer >= 0) {
      vertx.cancelTimer(tickerTimer);
    }
    loop.stop();
    // Joining the loop thread blocks: do it on a worker. The loop writes its final checkpoint
    // before it ends.
    return vertx.executeBlocking(
        () -> {
          books.stopBlocking();
          loopThread.join(30_000);
          if (loopThread.isAlive()) {
            LOG.warn("fold loop did not stop within 30 s");
          }
          return null;
        },
        false);
  }

  private void onCandles(List<Candle> batch) {
    for (Candle c : batch) {
      history.put(c);
      own(c.symbol());
      vertx.eventBus().publish(Addresses.candles(c.symbol(), c.tf()), CandleCodec.toJson(c));
      if (c.tf() == Timeframe.M1) {
        tickerDirty.add(c.symbol());
      }
    }
  }

  /**
   * Appends each symbol's trades of a batch to its ring and publishes the new ones as one message.
   */
  private void onTape(Map<String, List<TapeTrade>> runs) {
    for (Map.Entry<String, List<TapeTrade>> e : runs.entrySet()) {
      String symbol = e.getKey();
      own(symbol);
      JsonObject update = tape.append(symbol, e.getValue());
      if (update != null) {
        vertx.eventBus().publish(Addresses.trades(symbol), update);
      }
    }
  }

  private void publishTickers() {
    if (tickerDirty.isEmpty()) {
      return;
    }
    for (String s : tickerDirty) {
      Ticker t = Ticker.compute(s, history);
      t = t == null ? null : t.withBook(books.book(s));
      if (t != null && !t.equals(tickers.get(s))) {
        tickers.put(s, t);
        vertx.eventBus().publish(Addresses.ticker(s), t.toJson());
      }
    }
    tickerDirty.clear();
  }

  // ------------------------------------------------------------------ event-bus responders

  private void registerResponders() {
    responders.add(vertx.eventBus().<Object>consumer(Addresses.HISTORY, m -> route(m, "history")));
    responders.add(vertx.eventBus().<Object>consumer(Addresses.TRADES, m -> route(m, "trades")));
    responders.add(
        vertx
            .eventBus()
            .<Object>consumer(
                Addresses.SYMBOLS,
                m ->
                    allSymbols()
                        .onSuccess(
                            all ->
                                m.reply(
                                    new JsonObject()
                                        .put("symbols", new JsonArray(new ArrayList<>(all)))))
                        .onFailure(
                            e -> m.fail(503, "symbol directory unavailable: " + e.getMessage()))));
    responders.add(vertx.eventBus().<Object>consumer(Addresses.TICKERS, this::onTickers));
    responders.add(vertx.eventBus().<Object>consumer(Addresses.BOOK, m -> route(m, "book")));
    responders.add(
        vertx.eventBus().<Object>consumer(Addresses.health("aggregator"), m -> m.reply(health())));
  }

  private Future<Set<String>> allSymbols() {
    Set<String> all = new TreeSet<>(owned.keySet());
    if (directory == null) {
      return Future.succeededFuture(all);
    }
    return directory
        .keys()
        .map(
            keys -> {
              all.addAll(keys);
              return all;
            });
  }

  /**
   * A request any instance may receive: answered here for an owned symbol, otherwise forwarded to
   * the owner's per-symbol address. No owner: 404 for a symbol nobody has seen, 503 while a known
   * symbol is being taken over.
   */
  private void route(Message<Object> m, String op) {
    JsonObject body = m.body() instanceof JsonObject j ? j.copy() : null;
    if (body == null) {
      m.fail(400, "request body must be a JSON object");
      return;
    }
    forward(body, op).onSuccess(m::reply).onFailure(e -> failWith(m, e));
  }

  private Future<JsonObject> forward(JsonObject body, String op) {
    Object sym = body.getValue("symbol");
    String symbol = sym instanceof String str ? Symbols.normalize(str) : null;
    if (symbol == null) {
      return fail(400, "symbol must be 2-20 letters or digits, was " + sym);
    }
    body.put("symbol", symbol).put("op", op);
    if (owned.containsKey(symbol)) {
      return answer(body);
    }
    return vertx
        .eventBus()
        .<JsonObject>request(Addresses.owner(symbol), body)
        .map(Message::body)
        .recover(
            e -> {
              if (e instanceof ReplyException re
                  && re.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
                return Future.failedFuture(e);
              }
              Future<Boolean> known =
                  directory == null
                      ? Future.succeededFuture(false)
                      : directory.get(symbol).map(v -> v != null);
              return known
                  .recover(x -> Future.succeededFuture(false))
                  .compose(
                      k ->
                          k
                              ? fail(
                                  503,
                                  "symbol "
                                      + symbol
                                      + " is being taken over by another aggregator; retry shortly")
                              : fail(404, "unknown symbol " + symbol));
            });
  }

  private static <T> Future<T> fail(int code, String message) {
    return Future.failedFuture(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, code, message));
  }

  private static void failWith(Message<?> m, Throwable e) {
    if (e instanceof ReplyException re) {
      m.fail(re.failureCode(), re.getMessage());
    } else {
      m.fail(500, String.valueOf(e.getMessage()));
    }
  }

  private void onOwnerRequest(Message<Object> m) {
    JsonObject body = m.body() instanceof JsonObject j ? j : new JsonObject();
    answer(body).onSuccess(m::reply).onFailure(e -> failWith(m, e));
  }

  /**
   * Answers a request for an owned symbol: {"op":"history",...}, {"op":"trades",...} or
   * {"op":"ticker","symbol"}.
   */
  private Future<JsonObject> answer(JsonObject body) {
    String op = body.getString("op", "history");
    if (op.equals("trades")) {
      return tape.answer(body);
    }
    if (op.equals("book")) {
      return books.answer(body);
    }
    if (op.equals("ticker")) {
      Ticker t = ticker(body.getString("symbol"));
      return t == null
          ? fail(404, "no ticker yet for " + body.getString("symbol"))
          : Future.succeededFuture(t.toJson());
    }
    HistoryQuery q;
    try {
      q = HistoryQuery.parse(body, config.get(Settings.GATEWAY_SNAPSHOT_SIZE));
    } catch (IllegalArgumentException e) {
      return fail(400, e.getMessage());
    }
    SeriesHistory s = history.series(q.symbol(), q.tf());
    if (s == null) {
      return fail(404, "unknown symbol " + q.symbol());
    }
    List<Candle> candles = s.query(q.from(), q.to(), q.limit());
    return Future.succeededFuture(
        new JsonObject()
            .put("symbol", q.symbol())
            .put("tf", q.tf().label())
            .put("oldest", s.count() == 0 ? null : s.oldestOpenTime())
            .put("candles", CandleCodec.toJsonArray(candles)));
  }

  private Ticker ticker(String symbol) {
    Ticker t = tickers.get(symbol);
    if (t != null) {
      return t;
    }
    Ticker computed = Ticker.compute(symbol, history);
    return computed == null ? null : computed.withBook(books.book(symbol));
  }

  private void onTickers(Message<Object> m) {
    JsonObject body = m.body() instanceof JsonObject j ? j : new JsonObject();
    if (body.getValue("symbol") != null) {
      forward(body.copy(), "ticker")
          .onSuccess(t -> m.reply(new JsonObject().put("tickers", new JsonArray().add(t))))
          .onFailure(e -> failWith(m, e));
      return;
    }
    allSymbols()
        .compose(
            all -> {
              List<Future<JsonObject>> each = new ArrayList<>();
              for (String s : all) {
                JsonObject req = new JsonObject().put("op", "ticker").put("symbol", s);
                Future<JsonObject> f =
                    owned.containsKey(s)
                        ? answer(req)
                        : vertx
                            .eventBus()
                            .<JsonObject>request(Addresses.owner(s), req)
                            .map(Message::body);
                each.add(f.recover(e -> Future.succeededFuture(null)));
              }
              return Future.all(each)
                  .map(
                      cf -> {
                        JsonArray out = new JsonArray();
                        for (Future<JsonObject> f : each) {
                          if (f.result() != null) {
                            out.add(f.result());
                          }
                        }
                        return out;
                      });
            })
        .onSuccess(arr -> m.reply(new JsonObject().put("tickers", arr)))
        .onFailure(e -> m.fail(503, "tickers unavailable: " + e.getMessage()));
  }

  JsonObject health() {
    FoldStats st = loop.stats();
    boolean alive = loopThread != null && loopThread.isAlive();
    long sincePoll = System.currentTimeMillis() - st.lastPollMs();
    boolean up = alive && st.lastPollMs() > 0 && sincePoll < 15_000;
    return new JsonObject()
        .put("status", up ? "UP" : "DOWN")
        .put("partitions", new JsonArray(new ArrayList<>(new TreeSet<>(st.partitions()))))
        .put("symbols", owned.size())
        .put("tradesIn", st.tradesIn())
        .put("watermarks", st.watermarks())
        .put("duplicates", st.duplicates())
        .put("late", st.late())
        .put("malformed", st.malformed())
        .put("candlesOut", st.candlesOut())
        .put("checkpoints", st.checkpoints())
        .put("gaps", st.gaps())
        .put("gapsIncomplete", st.gapsIncomplete())
        .put("books", books.stats())
        .put("lastError", st.lastError());
  }

  public HistoryStore history() {
    return history;
  }
}

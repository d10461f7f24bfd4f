package candlecast.aggregator;

import candlecast.aggregator.alerts.AlertIntake;
import candlecast.aggregator.alerts.AlertService;
import candlecast.aggregator.alerts.WebhookSender;
import candlecast.aggregator.analysis.Indicator;
import candlecast.aggregator.analysis.Studies;
import candlecast.aggregator.portfolio.PortfolioService;
import candlecast.aggregator.portfolio.PortfolioStore;
import candlecast.common.Addresses;
import candlecast.common.Candle;
import candlecast.common.CandleCodec;
import candlecast.common.GapRecord;
import candlecast.common.TapeTrade;
import candlecast.common.Timeframe;
import candlecast.common.analysis.AnalysisSpec;
import candlecast.common.config.CandlecastConfig;
import candlecast.common.config.Parsers;
import candlecast.common.config.Settings;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the {@link FoldLoop} (trades → candles, on its own thread) to the event bus: publishes
 * every candle update on {@code candles.<SYMBOL>.<tf>}, keeps the history and the recent trades
 * ({@link TradeTape}) of the symbols whose partitions this instance owns ({@link SymbolOwnership}),
 * publishes each batch's trades of a symbol on {@code trades.<SYMBOL>}, computes 24 h tickers
 * ({@link TickerBoard}), and answers history, trades, book, symbol, ticker and health requests
 * ({@link OwnerRequests}). Several instances (in one JVM or many) share the {@code trades}
 * partitions through the consumer group; each answers for the symbols it owns.
 */
public final class AggregatorVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(AggregatorVerticle.class);
  public static final String GROUP_ID = "candlecast-aggregator";
  static final long ASSIGNMENT_WAIT_MS = 30_000;

  /** Cluster-wide map symbol → owning aggregator instance (its deployment id). */
  public static final String DIRECTORY_MAP = Addresses.SYMBOL_DIRECTORY;

  private final CandlecastConfig config;
  private final String bootstrap;
  private final HistoryStore history;
  private final TradeTape tape;

  private SymbolOwnership ownership;
  private TickerBoard tickers;
  private OwnerRequests requests;
  private FoldLoop loop;

  /** Order books of the owned symbols (issue 14). */
  private BookService books;

  /** Bars not folded from trades: downloads (deep history) and imports (issue 15). */
  private DeepStore deepStore;

  /** Owner addresses per held partition (imports of symbols nobody owns yet). */
  private PartitionOwners partitionOwners;

  /** Analysis series of the owned symbols (issue 16); tests may replace the indicators. */
  private AnalysisService analysis;

  BiFunction<AnalysisSpec, Timeframe, Indicator> analysisFactory = Studies::create;

  /** Alert creates/deletes into the fold loop, and durable fires out of it (issue 17). */
  private LoopAlertIntake alertIntake;

  /** Alerts (issue 17): candlecast.alerts, the alert directory, webhook delivery of fires. */
  private AlertService alerts;

  private WebhookSender webhooks;

  /** Every owner's portfolio, and the portfolio requests (issue 17). */
  private PortfolioStore portfolios;

  private PortfolioService portfolioService;

  private Thread loopThread;

  /** Clustered with fast takeover: evicts departed aggregators from the group (issue 19). */
  private GroupEviction eviction;

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
    return GroupEviction.localNodeId(vertx).compose(this::startOn);
  }

  /** Starts with the group instance id that follows from this node's cluster node id (or null). */
  private Future<?> startOn(String nodeId) {
    Promise<Void> firstAssignment = Promise.promise();
    boolean fast = config.get(Settings.AGGREGATOR_FAST_TAKEOVER);
    FoldOptions options =
        FoldOptions.from(config, bootstrap, GROUP_ID)
            .withInstanceId(
                GroupEviction.instanceId(
                    config.get(Settings.AGGREGATOR_INSTANCE_ID), nodeId, fast));
    loop = new FoldLoop(options, new LoopOutput(context, firstAssignment));
    alertIntake = new LoopAlertIntake(context, loop.alerts());
    ownership = new SymbolOwnership(vertx, deploymentID(), m -> requests.onOwnerRequest(m));
    books = new BookService(vertx, context, options.readerConfig(), this::own);
    tickers = new TickerBoard(vertx.eventBus(), history, books);
    requests =
        new OwnerRequests(
            vertx.eventBus(),
            config.get(Settings.GATEWAY_SNAPSHOT_SIZE),
            history,
            tape,
            books,
            tickers,
            ownership);
    deepStore = new DeepStore(vertx, history, options.producerConfig(), options.readerConfig());
    requests.deepHistory(new DeepHistory(vertx, history, deepStore));
    requests.imports(
        new ImportService(deepStore),
        sym -> deepStore.partitionCount().map(n -> DeepStore.partitionOf(sym, n)));
    partitionOwners = new PartitionOwners(vertx, m -> requests.onOwnerRequest(m));
    int maxSeries = config.get(Settings.AGGREGATOR_ANALYSIS_MAX_SERIES);
    analysis = new AnalysisService(vertx, history, maxSeries, analysisFactory);
    requests.analysis(analysis);
    analysis.start();
    books.start();
    List<MessageConsumer<?>> responders = requests.register(this::health);
    responders.add(startAlerts(options));
    useAlertIntake(alertIntake);
    Future<Void> dir = ownership.openDirectory();
    tickerTimer =
        vertx.setPeriodic(config.get(Settings.AGGREGATOR_TICKER_MS), id -> tickers.publish());
    loopThread = new Thread(loop, "candlecast-fold-loop");
    loopThread.setDaemon(true);
    loopThread.start();
    List<Future<?>> ready =
        new ArrayList<>(responders.stream().map(MessageConsumer::completion).toList());
    ready.add(dir);
    ready.add(startPortfolios());
    ready.add(awaitFirstAssignment(firstAssignment));
    if (fast && nodeId != null) {
      eviction =
          new GroupEviction(
              vertx, context, options, nodeId, GroupEviction.adminConfig(options), loop::rejoin);
      ready.add(eviction.start());
    }
    return Future.all(ready).onSuccess(v -> preload());
  }

  /** The alert service and webhook sender; the owner's side comes with {@link #useAlertIntake}. */
  private MessageConsumer<?> startAlerts(FoldOptions options) {
    AlertService.SymbolOwners owners =
        new AlertService.SymbolOwners() {
          @Override
          public boolean owns(String symbol) {
            return ownership.owns(symbol);
          }

          @Override
          public Future<Boolean> known(String symbol) {
            // a directory that cannot be read cannot say the symbol is unknown (issue 19)
            return ownership.known(symbol).recover(e -> Future.succeededFuture(true));
          }
        };
    alerts =
        new AlertService(
            vertx,
            context,
            history,
            owners,
            options.readerConfig(),
            config.get(Settings.AGGREGATOR_ALERTS_MAX_PER_OWNER),
            config.get(Settings.AGGREGATOR_ALERTS_FIRE_HISTORY));
    webhooks =
        new WebhookSender(
            vertx,
            new WebhookSender.Options(
                config.get(Settings.AGGREGATOR_WEBHOOK_TIMEOUT_MS),
                config.get(Settings.AGGREGATOR_WEBHOOK_MAX_ATTEMPTS),
                config.get(Settings.AGGREGATOR_WEBHOOK_BACKOFF_MS)),
            options.producerConfig());
    requests.alerts(alerts);
    return alerts.start();
  }

  /**
   * The owner's side of alerts (the fold loop's evaluation): creates and deletes for owned symbols
   * go to it, and its durable fires to the webhook sender.
   */
  void useAlertIntake(AlertIntake intake) {
    alerts.intake(intake);
    intake.onFire(webhooks);
  }

  AlertService alerts() {
    return alerts;
  }

  WebhookSender webhooks() {
    return webhooks;
  }

  /** The context the alert service (and everything else here) runs on. */
  Context verticleContext() {
    return context;
  }

  /** Reads the portfolios and answers {@code candlecast.portfolio} (issue 17). */
  private Future<Void> startPortfolios() {
    portfolios = new PortfolioStore(vertx, bootstrap);
    portfolioService =
        new PortfolioService(vertx, portfolios, ownership::allSymbols, System::currentTimeMillis);
    return portfolios.start().compose(v -> portfolioService.register());
  }

  /**
   * Serve history from the first moment: wait (bounded) until the group has assigned and restored
   * partitions.
   */
  private Future<Void> awaitFirstAssignment(Promise<Void> firstAssignment) {
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
    return firstAssignment.future().onComplete(x -> vertx.cancelTimer(timer));
  }

  /** The aggregator.import files, once running (a bad entry or file is logged, not fatal). */
  private void preload() {
    StartupImports.run(vertx, config.get(Settings.AGGREGATOR_IMPORT))
        .onFailure(e -> LOG.error("{}", e.getMessage()));
  }

  /** Owns a symbol whose data arrived and marks its ticker for recomputation. */
  private void own(String symbol) {
    ownership.own(symbol);
    tickers.markDirty(symbol);
  }

  /** Hands the fold loop's output (on its thread) to this verticle's context. */
  private final class LoopOutput implements FoldOutput {
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
    public void gaps(List<GapRecord> gaps) {
      ctx.runOnContext(
          v -> {
            for (GapRecord g : gaps) {
              history.gap(g.symbol(), g.from(), g.to());
            }
          });
    }

    @Override
    public void partitionLoaded(
        int partition, HistoryStore h, Map<String, TradeRing> rings, Set<String> symbols) {
      ctx.runOnContext(
          v -> {
            history.merge(h);
            h.symbols().forEach(s -> partitionOwners.adopt(s, partition));
            tape.adopt(rings);
            symbols.forEach(AggregatorVerticle.this::own);
          });
    }

    @Override
    public void assigned(Set<Integer> partitions) {
      ctx.runOnContext(
          v -> {
            books.follow(partitions).forEach(ownership::disown);
            partitionOwners.follow(partitions);
            firstAssignment.tryComplete();
          });
    }

    @Override
    public void alertFired(JsonObject fire, JsonObject alert) {
      ctx.runOnContext(
          v -> {
            vertx.eventBus().publish(Addresses.alertsOwner(fire.getString("owner")), fire);
            alertIntake.fired(fire, alert);
          });
    }

    @Override
    public void partitionDropped(int partition, Set<String> symbols) {
      ctx.runOnContext(
          v -> {
            for (String s : symbols) {
              ownership.disown(s);
              history.removeSymbol(s);
              tape.remove(s);
              tickers.remove(s);
              analysis.drop(s);
            }
            books.drop(partition).forEach(ownership::disown);
            for (String s : partitionOwners.drop(partition)) {
              ownership.disown(s);
              history.removeSymbol(s);
              analysis.drop(s);
            }
            deepStore.forget();
          });
    }
  }

  @Override
  public Future<?> stop() {
    if (tickerTimer >= 0) {
      vertx.cancelTimer(tickerTimer);
    }
    analysis.stop();
    alerts.stop();
    loop.stop();
    // Joining the loop thread blocks: do it on a worker. The loop writes its final checkpoint
    // before it ends.
    return vertx
        .executeBlocking(
            () -> {
              books.stopBlocking();
              webhooks.closeBlocking();
              deepStore.closeBlocking();
              if (portfolios != null) {
                portfolios.closeBlocking();
              }
              loopThread.join(30_000);
              if (loopThread.isAlive()) {
                LOG.warn("fold loop did not stop within 30 s");
              }
              if (eviction != null) {
                eviction.stopBlocking();
              }
              return null;
            },
            false)
        .compose(v -> eviction == null ? Future.succeededFuture() : eviction.stop());
  }

  private void onCandles(List<Candle> batch) {
    for (Candle c : batch) {
      history.put(c);
      ownership.own(c.symbol());
      vertx.eventBus().publish(Addresses.candles(c.symbol(), c.tf()), CandleCodec.toJson(c));
      analysis.onCandle(c);
      if (c.tf() == Timeframe.M1) {
        tickers.markDirty(c.symbol());
      }
    }
    analysis.flush();
  }

  /**
   * Appends each symbol's trades of a batch to its ring and publishes the new ones as one message.
   */
  private void onTape(Map<String, List<TapeTrade>> runs) {
    for (Map.Entry<String, List<TapeTrade>> e : runs.entrySet()) {
      String symbol = e.getKey();
      ownership.own(symbol);
      JsonObject update = tape.append(symbol, e.getValue());
      if (update != null) {
        vertx.eventBus().publish(Addresses.trades(symbol), update);
      }
    }
  }

  JsonObject health() {
    FoldStats st = loop.stats();
    boolean alive = loopThread != null && loopThread.isAlive();
    long sincePoll = System.currentTimeMillis() - st.lastPollMs();
    boolean up = alive && st.lastPollMs() > 0 && sincePoll < 15_000;
    return new JsonObject()
        .put("status", up ? "UP" : "DOWN")
        .put("partitions", new JsonArray(new ArrayList<>(new TreeSet<>(st.partitions()))))
        .put("symbols", ownership.count())
        .put("tradesIn", st.tradesIn())
        .put("watermarks", st.watermarks())
        .put("duplicates", st.duplicates())
        .put("late", st.late())
        .put("malformed", st.malformed())
        .put("candlesOut", st.candlesOut())
        .put("checkpoints", st.checkpoints())
        .put("commits", st.commits())
        .put("aborts", st.aborts())
        .put("gaps", st.gaps())
        .put("gapsIncomplete", st.gapsIncomplete())
        .put("books", books.stats())
        .put("lastError", st.lastError());
  }

  public HistoryStore history() {
    return history;
  }

  /** The owner's side of alert definitions (issue 17): creates, deletes and durable fires. */
  public AlertIntake alertIntake() {
    return alertIntake;
  }
}

package candlecast.gateway;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * One data type of one symbol a {@code /ws/stream} client subscribed to ({@link
 * StreamSubscriptions}): a subscription to the stream it comes from, whose updates it passes on in
 * the stream service dialect, taking the frames from the instance's {@link StreamSource} (encoded
 * once for every subscriber). It is its own lane in the connection's {@link OutboundWriter}: a
 * congested client keeps the newest {@code data} message, the newest closed and open {@code
 * candle_data} and the newest {@code tick_data} frame.
 *
 * <p>Live only, no snapshot: tickers older than the one sent are skipped, and trades at or before
 * the newest tape position sent (an update published again after an aggregator takeover).
 * Event-loop confined.
 */
final class StreamPart extends Subscription {
  private final StreamDataType type;
  private final String spelling;
  private final StreamSource source;
  private final StreamDialect dialect;
  private boolean released;

  /**
   * Tickers: the time of the newest one sent. Trades: the tape position of the newest trade sent.
   */
  private long newest = Long.MIN_VALUE;

  StreamPart(
      Subscriptions owner,
      StreamDataType type,
      StreamKey key,
      String spelling,
      StreamDialect dialect) {
    super(owner, key, null);
    this.type = type;
    this.spelling = spelling;
    this.dialect = dialect;
    this.source = dialect.acquire(key);
  }

  StreamDataType type() {
    return type;
  }

  @Override
  JsonObject describe() {
    JsonObject j = new JsonObject().put("data_type", type.label).put("symbol", spelling);
    return key instanceof SeriesKey s ? j.put("timeframe", s.tf().label()) : j;
  }

  /** Goes live (the dialect has no snapshots); its group has acknowledged the subscription. */
  @Override
  Future<Void> start() {
    goLive();
    return Future.succeededFuture();
  }

  /** The ticker current at subscription time, as the first {@code data} message. */
  void current(JsonObject ticker) {
    Update u = StreamFrames.data(spelling, dialect.now(), ticker);
    newest = u.time();
    emit(u);
  }

  @Override
  void cancel() {
    super.cancel();
    if (!released) {
      released = true;
      dialect.release(source);
    }
  }

  @Override
  void live(Update u) {
    switch (type) {
      case MARKET -> {
        if (u.time() >= newest) {
          newest = u.time();
          emit(source.frames(u, spelling)[0]);
        }
      }
      case CANDLES -> emit(source.frames(u, spelling)[0]);
      case TICKS -> ticks(u);
    }
  }

  private void ticks(Update u) {
    TradeBatch b = (TradeBatch) u.detail();
    if (b.lastSeq() <= newest) {
      return; // sent already: an update published again
    }
    Update[] frames =
        b.firstSeq() > newest
            ? source.frames(u, spelling)
            : source.ticks(
                b.after(newest).trades,
                spelling); // partly sent already: only the rest, for this client
    newest = b.lastSeq();
    for (Update f : frames) {
      emit(f);
    }
  }
}

package candlecast.gateway;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;

/**
 * A subscription to one analysis series (JSON channels {@code indicator}, {@code patterns}, {@code
 * risk}): a lease of the node's {@link AnalysisFeed}, which gives the snapshot and then the updates
 * (the hub already joined them at the seam). Each update's frame is encoded once per node ({@link
 * AnalysisUpdate#update()}) and written as is. Cancelling (unsubscribe, connection close) closes
 * the lease.
 */
final class AnalysisSubscription extends Subscription {
  private final Command.SubscribeAnalysis cmd;
  private AnalysisFeed.Lease lease;

  AnalysisSubscription(Subscriptions owner, Command.SubscribeAnalysis cmd) {
    super(owner, cmd.key(), cmd.id());
    this.cmd = cmd;
  }

  AnalysisKey series() {
    return (AnalysisKey) key;
  }

  @Override
  JsonObject describe() {
    return AnalysisFrames.describe(cmd.channel(), series(), cmd.spec());
  }

  @Override
  Future<Void> start() {
    AnalysisFeed feed = owner.env.analysis();
    if (feed == null) {
      failed("analysis is not running on this gateway");
      return Future.succeededFuture();
    }
    return feed.acquire(cmd.symbol(), cmd.tf(), cmd.spec(), cmd.limit(), this::onUpdate)
        .transform(
            ar -> {
              started(ar);
              return Future.succeededFuture();
            });
  }

  private void started(AsyncResult<AnalysisFeed.Lease> ar) {
    if (ar.succeeded() && cancelled()) {
      ar.result().close();
      return;
    }
    if (cancelled()) {
      return;
    }
    if (ar.failed()) {
      failed(ar.cause());
      return;
    }
    lease = ar.result();
    reply(AnalysisFrames.subscription("subscribed", cmd.channel(), series(), cmd.spec(), id));
    reply(AnalysisFrames.snapshot(cmd.channel(), series(), lease.snapshot(), id));
    goLive();
  }

  private void onUpdate(JsonObject body) {
    Update u;
    try {
      u = body instanceof AnalysisUpdate au ? au.update() : key.toUpdate(body);
    } catch (RuntimeException e) {
      return; // not an update of the series (the hub counts none of these as delivered)
    }
    deliver(u);
  }

  @Override
  void live(Update u) {
    emit(u);
  }

  @Override
  void cancel() {
    super.cancel();
    if (lease != null) {
      lease.close();
      lease = null;
    }
  }

  private void failed(Throwable err) {
    String what = cmd.spec().key() + " of " + cmd.symbol() + " " + cmd.tf().label();
    String code = ErrorCodes.ANALYSIS_UNAVAILABLE;
    String message;
    int status = err instanceof ReplyException re ? re.failureCode() : -1;
    if (status == 404) {
      code = ErrorCodes.UNKNOWN_SYMBOL;
      message = "unknown symbol " + cmd.symbol() + ": " + err.getMessage();
    } else if (status == 400) {
      code = ErrorCodes.BAD_PARAMS;
      message = "cannot subscribe to " + what + ": " + err.getMessage();
    } else if (status == 429) {
      message = "cannot subscribe to " + what + ": series cap reached: " + err.getMessage();
    } else {
      message =
          "cannot subscribe to "
              + what
              + ": "
              + BusErrors.toHttp(err, "the symbol's owner is not reachable (or taking over)")
                  .error();
    }
    failed(code, message);
  }

  private void failed(String message) {
    failed(ErrorCodes.ANALYSIS_UNAVAILABLE, message);
  }

  private void failed(String code, String message) {
    drop();
    reply(Frames.jsonError(code, message, id));
  }
}

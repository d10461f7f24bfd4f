package candlecast.aggregator;

import candlecast.aggregator.alerts.AlertIntake;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link AlertIntake} over the fold loop: creates and deletes are queued to the loop ({@link
 * AlertWrites}) and complete on the verticle's context once Kafka acknowledged them.
 */
final class LoopAlertIntake implements AlertIntake {
  private static final Logger LOG = LoggerFactory.getLogger(LoopAlertIntake.class);

  private final Context ctx;
  private final AlertWrites writes;
  private final List<FireListener> listeners = new CopyOnWriteArrayList<>();

  LoopAlertIntake(Context ctx, AlertWrites writes) {
    this.ctx = ctx;
    this.writes = writes;
  }

  @Override
  public Future<JsonObject> create(JsonObject record) {
    Promise<JsonObject> p = Promise.promise();
    writes.create(record, reply(p));
    return p.future();
  }

  @Override
  public Future<Void> delete(String symbol, String id) {
    Promise<JsonObject> p = Promise.promise();
    writes.delete(symbol, id, reply(p));
    return p.future().mapEmpty();
  }

  private AlertWrites.Reply reply(Promise<JsonObject> p) {
    return new AlertWrites.Reply() {
      @Override
      public void ok(JsonObject result) {
        ctx.runOnContext(v -> p.complete(result));
      }

      @Override
      public void fail(int code, String message) {
        ctx.runOnContext(
            v -> p.fail(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, code, message)));
      }
    };
  }

  @Override
  public void onFire(FireListener listener) {
    listeners.add(listener);
  }

  /** A durable fire (on the verticle's context): every listener gets it. */
  void fired(JsonObject fire, JsonObject alert) {
    for (FireListener l : listeners) {
      try {
        l.fired(fire, alert);
      } catch (RuntimeException e) {
        LOG.warn("alert fire listener failed on {}: {}", fire.getString("fire"), e.toString());
      }
    }
  }
}

package candlecast.client;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records what a consumer received: every item in order, snapshots and state changes. */
final class Recorder<T> implements StreamListener<T> {
  final List<T> items = new CopyOnWriteArrayList<>();
  final List<StreamEvent.Snapshot<T>> snapshots = new CopyOnWriteArrayList<>();
  final List<CandlecastException> errors = new CopyOnWriteArrayList<>();

  @Override
  public void onUpdate(T item) {
    items.add(item);
  }

  @Override
  public void onSnapshot(StreamEvent.Snapshot<T> snapshot) {
    snapshots.add(snapshot);
    items.addAll(snapshot.items());
  }

  @Override
  public void onError(CandlecastException error) {
    errors.add(error);
  }

  /** The closed candles received, in order. */
  static List<Candle> closed(List<Candle> items) {
    List<Candle> out = new ArrayList<>();
    for (Candle c : items) {
      if (c.closed()) {
        out.add(c);
      }
    }
    return out;
  }
}

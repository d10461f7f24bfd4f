package candlecast.feed;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A source of order books (Bitstamp, mock) writing to a {@link BookSink}; runs on the feed's
 * context.
 */
interface BookSource {
  /** bitstamp or mock. */
  String name();

  List<String> symbols();

  Future<Void> start();

  Future<Void> stop();

  /** State for /health. */
  JsonObject state();
}

package candlecast.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import candlecast.common.Book;
import candlecast.common.BookCodec;
import candlecast.common.Topics;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Order books through the whole single-node stack: the mock feed writes books to Kafka, the
 * aggregator relays them with their offset as {@code seq}, and the gateway serves them on the JSON
 * channel, over REST and in the ticker.
 */
class SingleNodeBooksIT {
  @TempDir Path dataDir;
  private final Vertx clientVertx = Vertx.vertx();
  private SingleNode node;

  @AfterEach
  void tearDown() throws Exception {
    if (node != null) {
      node.stop().await(30, TimeUnit.SECONDS);
    }
    clientVertx.close().await(10, TimeUnit.SECONDS);
  }

  private HttpResponse<Buffer> get(WebClient web, String uri) throws Exception {
    return web.get(node.httpPort(), "127.0.0.1", uri).send().await(10, TimeUnit.SECONDS);
  }

  @Test
  void mockBooksReachEveryClientSurfaceAsTheyAreInKafka() throws Exception {
    node = SingleNode.start(StackFixture.config(dataDir)).await(60, TimeUnit.SECONDS);
    WebClient web = WebClient.create(clientVertx);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> get(web, "/api/book?symbol=BTCUSD").statusCode() == 200);

    StackFixture.Client client = StackFixture.Client.connect(clientVertx, node.httpPort());
    client.send(
        new JsonObject()
            .put("type", "subscribe")
            .put("channel", "book")
            .put("symbol", "BTCUSD")
            .put("depth", 25)
            .put("id", 1)
            .encode());
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> !client.ofType("snapshot").isEmpty() && client.ofType("book").size() >= 3);
    JsonObject snapshot = client.ofType("snapshot").get(0);
    assertThat(snapshot.getJsonArray("bids")).hasSize(25);
    long seq = snapshot.getLong("seq");
    for (JsonObject u : client.ofType("book")) {
      assertThat(u.getLong("seq")).as("newer books only, in order").isGreaterThan(seq);
      seq = u.getLong("seq");
      assertThat(u.getJsonArray("asks")).hasSize(25);
    }

    // the newest book over REST is the newest record in Kafka, with its offset as seq
    JsonObject rest = get(web, "/api/book?symbol=BTCUSD&depth=100").bodyAsJsonObject();
    List<ConsumerRecord<String, byte[]>> records =
        StackFixture.readAll(node.bootstrapServers(), Topics.BOOKS);
    ConsumerRecord<String, byte[]> match =
        records.stream()
            .filter(r -> "BTCUSD".equals(r.key()) && r.offset() == rest.getLong("seq"))
            .findFirst()
            .orElseThrow();
    Book fromKafka = BookCodec.decode(match.value());
    assertThat(rest.getJsonArray("bids")).isEqualTo(BookCodec.side(fromKafka.bids()));
    assertThat(rest.getJsonArray("asks")).isEqualTo(BookCodec.side(fromKafka.asks()));
    assertThat(rest.getLong("time")).isEqualTo(fromKafka.time());

    // the ticker has the best bid and ask
    await()
        .atMost(Duration.ofSeconds(10))
        .ignoreExceptions()
        .until(
            () -> {
              JsonObject t = get(web, "/api/ticker?symbol=BTCUSD").bodyAsJsonObject();
              return t.getDouble("bid") != null
                  && t.getDouble("ask") > t.getDouble("bid")
                  && t.getDouble("spread") > 0;
            });
  }
}

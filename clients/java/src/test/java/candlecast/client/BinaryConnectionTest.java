package candlecast.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A client built with {@code encoding("binary")} against a scripted server: it asks for {@code
 * encoding=binary}, reads binary updates into the models the JSON frames give, and a truncated or
 * garbage binary frame is ignored without dropping the connection.
 */
class BinaryConnectionTest {
  private FakeServer server;
  private CandlecastClient client;
  private final List<StateChange> states = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    server = new FakeServer();
  }

  @AfterEach
  void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    server.close();
  }

  private static String ack(JsonNode cmd, String extra) {
    return "{\"type\":\"subscription\",\"status\":\"subscribed\",\"symbol\":\"BTCUSD\",\"id\":\""
        + cmd.get("id").asText()
        + "\""
        + extra
        + "}";
  }

  @Test
  void binaryCandlesBecomeModelsAndBadBinaryFramesAreIgnored() throws Exception {
    client = CandlecastClient.builder(server.url()).encoding("binary").build();
    client.onState(states::add);
    Recorder<Candle> r = new Recorder<>();
    client.candles("BTCUSD", "1s", r);
    FakeServer.Conn c = server.accept();
    assertThat(c.ws.query()).isEqualTo("encoding=binary");
    JsonNode sub = c.next();
    c.send(ack(sub, ",\"tf\":\"1s\""));
    c.send(
        "{\"type\":\"snapshot\",\"symbol\":\"BTCUSD\",\"tf\":\"1s\",\"id\":\""
            + sub.get("id").asText()
            + "\",\"candles\":[]}");
    Candle first = new Candle("BTCUSD", "1s", 5000, 1, 2, 0.5, 1.5, 3, 3, false, false, null);
    Candle second = new Candle("BTCUSD", "1s", 6000, 1.5, 2.5, 1, 2, 4, 4, true, true, null);
    byte[] ok = BinaryWriter.candle(first, 1);
    c.ws.writeBinaryMessage(Buffer.buffer(ok));
    c.ws.writeBinaryMessage(Buffer.buffer(java.util.Arrays.copyOf(ok, ok.length - 3)));
    c.ws.writeBinaryMessage(Buffer.buffer(new byte[] {42, 42, 42}));
    c.ws.writeBinaryMessage(Buffer.buffer(BinaryWriter.candle(second, 1)));
    await().until(() -> r.items.size() == 2);
    assertThat(r.items).containsExactly(first, second);
    assertThat(client.isConnected()).isTrue();
    assertThat(states).extracting(StateChange::state).doesNotContain(ConnectionState.RECONNECTING);
    assertThat(r.errors).isEmpty();
  }

  @Test
  void jsonIsTheDefaultAndAnUnknownEncodingIsRefusedAtBuild() throws Exception {
    client = CandlecastClient.builder(server.url()).build();
    client.candles("BTCUSD", "1s", new Recorder<>());
    assertThat(server.accept().ws.query()).isNull();
    assertThatThrownBy(() -> CandlecastClient.builder(server.url()).encoding("protobuf"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown encoding 'protobuf'");
    assertThat(Endpoints.of("http://h:1", "al ice").withEncoding("binary").ws())
        .hasToString("ws://h:1/ws?owner=al+ice&encoding=binary");
  }
}

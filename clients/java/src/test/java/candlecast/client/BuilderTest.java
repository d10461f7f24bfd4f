package candlecast.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BuilderTest {

  @Test
  void badOptionsAreRefusedWithTheReason() {
    assertThatThrownBy(() -> CandlecastClient.builder("http://h:1").requestTimeoutMs(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must be positive");
    assertThatThrownBy(() -> CandlecastClient.builder("http://h:1").pingIntervalMs(-1).build())
        .hasMessageContaining("must be positive");
    assertThatThrownBy(() -> CandlecastClient.builder("http://h:1").publisherBuffer(0).build())
        .hasMessageContaining("must be positive");
    assertThatThrownBy(() -> CandlecastClient.builder("http://h:1").backoff(1000, 10).build())
        .hasMessageContaining("0 < initial <= max");
    assertThatThrownBy(() -> CandlecastClient.builder("mailto:x").build())
        .hasMessageContaining("http(s):// or ws(s)://");
  }

  @Test
  void aNewClientIsIdleAndAClosedOneRefusesWork() throws Exception {
    CandlecastClient c = CandlecastClient.builder("http://127.0.0.1:1").build();
    assertThat(c.state()).isEqualTo(ConnectionState.IDLE);
    assertThat(c.isConnected()).isFalse();
    c.closeAsync().get(5, TimeUnit.SECONDS);
    assertThat(c.state()).isEqualTo(ConnectionState.CLOSED);
    Recorder<Candle> r = new Recorder<>();
    assertThatThrownBy(() -> c.candles("BTCUSD", "1m", r).ready().get(5, TimeUnit.SECONDS))
        .hasCauseInstanceOf(CandlecastException.class)
        .hasMessageContaining("closed");
    assertThat(r.errors).extracting(CandlecastException::code).containsExactly("closed");
    assertThatThrownBy(() -> c.request(Json.object().put("type", "list")).get(5, TimeUnit.SECONDS))
        .hasMessageContaining("closed");
    assertThatThrownBy(() -> c.connect().get(5, TimeUnit.SECONDS)).hasMessageContaining("closed");
    c.close();
  }
}

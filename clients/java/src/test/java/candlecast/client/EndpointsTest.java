package candlecast.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EndpointsTest {

  @Test
  void aBaseUrlGivesWsAndApi() {
    Endpoints e = Endpoints.of("http://localhost:8080", null);
    assertThat(e.ws()).hasToString("ws://localhost:8080/ws");
    assertThat(e.api()).isEqualTo("http://localhost:8080");
    Endpoints s = Endpoints.of("https://example.com/candlecast/", null);
    assertThat(s.ws()).hasToString("wss://example.com/candlecast/ws");
    assertThat(s.api()).isEqualTo("https://example.com/candlecast");
  }

  @Test
  void aWebSocketUrlGivesTheApiBase() {
    Endpoints e = Endpoints.of("ws://127.0.0.1:9000/ws", null);
    assertThat(e.ws()).hasToString("ws://127.0.0.1:9000/ws");
    assertThat(e.api()).isEqualTo("http://127.0.0.1:9000");
    assertThat(Endpoints.of("wss://h/x/ws", null).api()).isEqualTo("https://h/x");
  }

  @Test
  void theOwnerGoesOnTheUpgradeUrl() {
    assertThat(Endpoints.of("http://h:1", "al ice").ws()).hasToString("ws://h:1/ws?owner=al+ice");
  }

  @Test
  void badUrlsAreRefusedWithTheReason() {
    assertThatThrownBy(() -> Endpoints.of("ftp://h", null))
        .hasMessageContaining("http(s):// or ws(s)://");
    assertThatThrownBy(() -> Endpoints.of("", null)).hasMessageContaining("url is required");
    assertThatThrownBy(() -> Endpoints.of("http:///x", null)).hasMessageContaining("no host");
  }
}

package candlecast.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every error path the client maps, against the real node. */
@ExtendWith(NodeExtension.class)
class ErrorsIT {
  private static CandlecastClient client;
  private static Node node;

  @BeforeAll
  static void connect(Node n) throws Exception {
    node = n;
    client = CandlecastClient.builder(n.url()).token(Node.jwt("carol", false)).build();
    client.connect().get(30, TimeUnit.SECONDS);
  }

  @AfterAll
  static void close() {
    client.close();
  }

  private static CandlecastException failure(java.util.concurrent.CompletableFuture<?> f) {
    try {
      f.get(20, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return CandlecastException.of(e);
    } catch (Exception e) {
      throw new AssertionError("no failure but " + e, e);
    }
    throw new AssertionError("the future succeeded");
  }

  @Test
  void aBadSymbolFailsTheSubscribeWithBadSymbol() {
    Recorder<Candle> r = new Recorder<>();
    CandlecastException e = failure(client.candles("B@D!", "1m", r).ready());
    assertThat(e.code()).isEqualTo("bad_symbol");
    assertThat(r.errors).extracting(CandlecastException::code).containsExactly("bad_symbol");
  }

  @Test
  void anUnknownSymbolFailsWithUnknownSymbol() {
    assertThat(failure(client.candles("NOPEUSD", "1m", new Recorder<>()).ready()).code())
        .isEqualTo("unknown_symbol");
    assertThat(failure(client.trades("NOPEUSD", 0, new Recorder<>()).ready()).code())
        .isEqualTo("unknown_symbol");
  }

  @Test
  void anUnknownTimeframeFailsWithUnknownTimeframe() {
    assertThat(failure(client.candles("BTCUSD", "7m", new Recorder<>()).ready()).code())
        .isEqualTo("unknown_timeframe");
  }

  @Test
  void aBadIndicatorFailsWithTheServersCode() {
    assertThat(
            failure(client.indicator("BTCUSD", "1m", "nope", Map.of(), 0, new Recorder<>()).ready())
                .code())
        .isEqualTo("unknown_indicator");
    assertThat(
            failure(
                    client
                        .indicator("BTCUSD", "1m", "rsi", Map.of("period", 0), 0, new Recorder<>())
                        .ready())
                .code())
        .isEqualTo("bad_params");
  }

  @Test
  void aSecondSubscriptionToTheSameSeriesFailsWithAlreadySubscribed() throws Exception {
    Subscription<Ticker> first = client.ticker("ETHUSD", new Recorder<>());
    first.ready().get(20, TimeUnit.SECONDS);
    assertThat(failure(client.ticker("ETHUSD", new Recorder<>()).ready()).code())
        .isEqualTo("already_subscribed");
    first.close().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aBadAlertFailsWithBadAlert() {
    CandlecastException e =
        failure(
            client.createAlert(Map.of("symbol", "BTCUSD", "condition", Map.of("kind", "nope"))));
    assertThat(e.code()).isEqualTo("bad_alert");
  }

  @Test
  void restErrorsCarryTheStatusAndADerivedCode() {
    CandlecastException unknown =
        failure(client.history().candles("NOPEUSD", "1m", HistoryQuery.last(10)));
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.code()).isEqualTo("unknown_symbol");
    CandlecastException badTf =
        failure(client.history().candles("BTCUSD", "7m", HistoryQuery.last(10)));
    assertThat(badTf.status()).isEqualTo(400);
    assertThat(badTf.code()).isEqualTo("bad_request");
    CandlecastException gone = failure(client.rest("GET", "/api/nothing-here", null));
    assertThat(gone.status()).isEqualTo(404);
    assertThat(gone.code()).isEqualTo("not_found");
  }

  @Test
  void aBadFixedTokenClosesTheClientWithUnauthorizedAndNoRetryLoop() throws Exception {
    List<StateChange> states = new CopyOnWriteArrayList<>();
    try (CandlecastClient bad =
        CandlecastClient.builder(node.url()).token("not.a.jwt").backoff(50, 100).build()) {
      bad.onState(states::add);
      Recorder<Candle> r = new Recorder<>();
      Subscription<Candle> s = bad.candles("BTCUSD", "1m", r);
      CandlecastException e = failure(bad.connect());
      assertThat(e.code()).isEqualTo("unauthorized");
      assertThat(e.status()).isEqualTo(401);
      assertThat(failure(s.ready()).code()).isEqualTo("unauthorized");
      Thread.sleep(500); // a retry loop at 50-100 ms would show several attempts in this time
      assertThat(states)
          .extracting(StateChange::state)
          .containsExactly(ConnectionState.CONNECTING, ConnectionState.CLOSED);
      assertThat(failure(bad.request(Json.object().put("type", "list"))).code())
          .isEqualTo("closed");
      CandlecastException rest =
          failure(bad.history().candles("BTCUSD", "1m", HistoryQuery.last(1)));
      assertThat(rest.code()).isEqualTo("unauthorized");
    }
  }

  @Test
  void aTokenFunctionIsCalledAgainAfterA401AndTheNewTokenConnects() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    List<StateChange> states = new CopyOnWriteArrayList<>();
    try (CandlecastClient c =
        CandlecastClient.builder(node.url())
            .token(() -> calls.incrementAndGet() == 1 ? "expired.or.bad" : Node.jwt("dave", false))
            .backoff(50, 100)
            .build()) {
      c.onState(states::add);
      c.connect().get(20, TimeUnit.SECONDS);
      assertThat(calls.get()).isGreaterThanOrEqualTo(2);
      assertThat(states.get(1).state()).isEqualTo(ConnectionState.RECONNECTING);
      assertThat(states.get(1).error().code()).isEqualTo("unauthorized");
    }
  }

  @Test
  void aRequestWithoutAReplyTimesOut() throws Exception {
    try (CandlecastClient c =
        CandlecastClient.builder(node.url())
            .token(Node.jwt("erin", false))
            .requestTimeoutMs(Duration.ofSeconds(1).toMillis())
            .build()) {
      c.connect().get(20, TimeUnit.SECONDS);
      // the server answers a heartbeat without echoing the id: nothing ever matches this request
      CandlecastException e = failure(c.request(Json.object().put("type", "heartbeat")));
      assertThat(e.code()).isEqualTo("timeout");
      assertThat(c.isConnected()).isTrue();
    }
  }

  @Test
  void aServerErrorOnARequestCarriesTheServersCode() {
    assertThat(failure(client.request(Json.object().put("type", "nope"))).code())
        .isEqualTo("unknown_type");
  }
}

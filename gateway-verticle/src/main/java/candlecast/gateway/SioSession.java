package candlecast.gateway;

import io.socket.socketio.server.SocketIoSocket;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.authentication.TokenCredentials;
import java.util.List;
import java.util.Map;
import org.json.JSONObject;
import org.json.JSONString;

/**
 * One Socket.IO connection of the history provider's protocol (docs/PROTOCOL.md, "History provider
 * (Socket.IO)"): authenticates it when JWT is on (token in the handshake's {@code auth} object, the
 * {@code access_token} query parameter or an {@code Authorization} header), greets it with {@code
 * connection_response}, applies the message rate limit and hands {@code get_data} and {@code
 * get_batch_data} to {@link SioHistory}. Runs on the Socket.IO owner's context.
 */
final class SioSession {
  private final SioServer server;
  private final SocketIoSocket socket;
  private final MessageRateLimit rate;
  private final SioHistory history;
  private Future<Void> authorized;

  SioSession(SioServer server, SocketIoSocket socket) {
    this.server = server;
    this.socket = socket;
    GatewayOptions o = server.options;
    this.rate =
        new MessageRateLimit(
            o.messagesPerSecond(), o.messagesBurst(), o.rateStrikes(), System.nanoTime());
    this.history = new SioHistory(server, this);
  }

  void start() {
    authorized = authorize();
    authorized
        .onSuccess(
            v ->
                emit(
                    "connection_response",
                    new JsonObject()
                        .put("status", "connected")
                        .put("sid", socket.getId())
                        .put("message", "connected to the Candlecast history provider")))
        // after the library has finished connecting the socket (a token that is missing fails at
        // once, inside its "connection" event): refuse, then disconnect
        .onFailure(e -> server.owner.runOnContext(v -> refuse(e)));
    socket.on("get_data", args -> incoming(args, history::getData));
    socket.on("get_batch_data", args -> incoming(args, history::getBatch));
    socket.on("disconnect", args -> history.closed());
  }

  private void refuse(Throwable e) {
    server.node.metrics.refusedAuth.increment();
    emit(
        "connection_response",
        new JsonObject().put("status", "unauthorized").put("error", e.getMessage()));
    socket.disconnect(true);
  }

  /** A client event: rate limited, then handled once the connection is authorized. */
  private void incoming(Object[] args, java.util.function.BiConsumer<Object, Ack> handler) {
    Ack ack = Ack.of(args);
    Object payload = args.length > 0 && ack.callback() != args[0] ? args[0] : null;
    MessageRateLimit.Verdict v = rate.admit(System.nanoTime());
    if (v != MessageRateLimit.Verdict.ADMIT) {
      server.node.metrics.rateLimited.increment();
      if (v == MessageRateLimit.Verdict.REFUSE_WITH_ERROR) {
        emit(
            "data_error",
            new JsonObject()
                .put(
                    "error",
                    "rate limited: at most "
                        + server.options.messagesPerSecond()
                        + " requests per second"));
      } else if (v == MessageRateLimit.Verdict.CLOSE) {
        server.node.metrics.rateLimitCloses.increment();
        socket.disconnect(true);
      }
      return;
    }
    authorized.onSuccess(ok -> handler.accept(payload, ack));
  }

  private Future<Void> authorize() {
    if (server.jwt == null) {
      return Future.succeededFuture();
    }
    String token = token();
    if (token == null || token.isEmpty()) {
      return Future.failedFuture(
          "authentication required: connect with auth={'token': '<jwt>'} or ?"
              + AccessGuard.TOKEN_PARAM
              + "=<jwt>");
    }
    return server
        .jwt
        .authenticate(new TokenCredentials(token))
        .transform(
            ar ->
                ar.succeeded()
                    ? Future.<Void>succeededFuture()
                    : Future.failedFuture(
                        "invalid token: " + CommandParser.echo(ar.cause().getMessage())));
  }

  /** The JWT from the handshake's auth object, query or Authorization header; null if none. */
  private String token() {
    if (socket.getConnectData() instanceof JSONObject auth) {
      String t = auth.optString("token", auth.optString(AccessGuard.TOKEN_PARAM, null));
      if (t != null) {
        return t;
      }
    }
    String q = socket.getInitialQuery().get(AccessGuard.TOKEN_PARAM);
    if (q != null) {
      return q;
    }
    for (Map.Entry<String, List<String>> h : socket.getInitialHeaders().entrySet()) {
      if (h.getKey().equalsIgnoreCase("authorization")) {
        for (String value : h.getValue()) {
          if (value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return value.substring(7).trim();
          }
        }
      }
    }
    return null;
  }

  /** A history download's status for this session's requests. */
  void status(JsonObject status) {
    history.status(status);
  }

  /** Sends {@code event} with {@code payload}, encoded once (the Vert.x JSON text goes as is). */
  void emit(String event, JsonObject payload) {
    if (socket.isConnected()) {
      socket.send(event, new RawJson(payload.encode()));
    }
  }

  /** The client's acknowledgement callback, if it passed one. */
  record Ack(SocketIoSocket.ReceivedByLocalAcknowledgementCallback callback) {
    static Ack of(Object[] args) {
      return new Ack(
          args.length > 0
                  && args[args.length - 1]
                      instanceof SocketIoSocket.ReceivedByLocalAcknowledgementCallback cb
              ? cb
              : null);
    }

    void send(JsonObject payload) {
      if (callback != null) {
        callback.sendAcknowledgement(new RawJson(payload.encode()));
      }
    }
  }

  /**
   * JSON text that org.json writes verbatim ({@link JSONString}); a {@link CharSequence} so
   * socket.io-server's argument check accepts it.
   */
  static final class RawJson implements JSONString, CharSequence {
    private final String json;

    RawJson(String json) {
      this.json = json;
    }

    @Override
    public String toJSONString() {
      return json;
    }

    @Override
    public int length() {
      return json.length();
    }

    @Override
    public char charAt(int index) {
      return json.charAt(index);
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      return json.subSequence(start, end);
    }

    @Override
    public String toString() {
      return json;
    }
  }
}

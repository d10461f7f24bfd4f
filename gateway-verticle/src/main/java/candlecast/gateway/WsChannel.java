package candlecast.gateway;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.LongAdder;

/**
 * The transport side of one {@code /ws} connection: its lifecycle state ({@link ConnectionState})
 * and the frames it writes straight to the socket's Netty channel (its pipeline context, below
 * Vert.x's write queue): updates as their shared pre-encoded wire bytes ({@link Update#wire}),
 * replies as text frames. A {@link FlushBatcher} flushes the socket once per batch. Congestion is
 * the channel's own writability (its high-water mark is {@code gateway.write-queue-bytes}); a small
 * pipeline hook reports when it drains.
 *
 * <p>Runs on the connection's event loop only.
 */
final class WsChannel implements OutboundWriter.Sink, FlushBatcher.Flushable {
  private final ServerWebSocket ws;

  /**
   * The socket's channel context (Vert.x's handler): frames written here pass only the WebSocket
   * encoder.
   */
  private final ChannelHandlerContext cx;

  private final FlushBatcher flusher;
  private final LongAdder updatesOut;
  private final LongAdder repliesOut;
  private ConnectionState state = ConnectionState.OPEN;
  private boolean flushQueued;

  /** The instance's binary frames when the connection asked for them (issue 20); else null. */
  private BinaryMemo binary;

  WsChannel(
      ServerWebSocket ws, ChannelHandlerContext cx, FlushBatcher flusher, GatewayMetrics metrics) {
    this.ws = ws;
    this.cx = cx;
    this.flusher = flusher;
    this.updatesOut = metrics.updatesOut;
    this.repliesOut = metrics.repliesOut;
  }

  /**
   * Gives the socket the direct outbound queue and its write-queue limit, and lets go of its
   * handshake ({@link HandshakeRelease}). True when the direct queue is in: Vert.x then reports
   * every drain to the WebSocket's drain handler (the queue's {@code tryDrain} calls it whenever
   * the channel becomes writable), so no {@link #hook} is needed.
   */
  boolean install(int writeQueueBytes) {
    boolean direct = DirectOutbound.install(cx);
    HandshakeRelease.release(cx);
    cx.channel().config().setWriteBufferWaterMark(waterMark(writeQueueBytes));
    return direct;
  }

  /**
   * Without the direct queue: reports to {@code onWritable} when the socket drains, from a pipeline
   * handler of its own.
   */
  void hook(Runnable onWritable) {
    cx.pipeline().addBefore(cx.name(), null, new WritabilityHook(onWritable));
  }

  /** The last water mark made (issue 20: one object for all sockets of a size, not one each). */
  private static volatile WriteBufferWaterMark sharedMark;

  /** The water mark Vert.x's {@code setWriteQueueMaxSize} would set (low half of high), shared. */
  static WriteBufferWaterMark waterMark(int bytes) {
    WriteBufferWaterMark m = sharedMark;
    if (m == null || m.high() != bytes) {
      m = new WriteBufferWaterMark(bytes / 2, bytes);
      sharedMark = m;
    }
    return m;
  }

  ConnectionState state() {
    return state;
  }

  /**
   * The one lifecycle transition: moves forward to {@code next}; false when the connection is there
   * or beyond.
   */
  boolean moveTo(ConnectionState next) {
    if (!state.canMoveTo(next)) {
      return false;
    }
    state = next;
    return true;
  }

  /** Open and the transport too (the close handler runs a little after the transport closed). */
  @Override
  public boolean isOpen() {
    return state == ConnectionState.OPEN && !ws.isClosed();
  }

  /**
   * The socket's outbound buffer is below its high-water mark. Above it with a batch not yet
   * flushed, the batch is flushed now: congestion means the kernel does not take the bytes, not
   * that a burst outgrew the limit before its flush (the flush may report the drain at once).
   */
  @Override
  public boolean writable() {
    if (cx.channel().isWritable()) {
      return true;
    }
    if (flushQueued) {
      cx.flush();
      return cx.channel().isWritable();
    }
    return false;
  }

  /**
   * The update's shared wire bytes to this socket (on a binary connection its shared binary frame,
   * {@link BinaryMemo}); flushed with the rest of the batch.
   */
  @Override
  public void write(Update u) {
    updatesOut.increment();
    ByteBuf wire = binary == null ? u.wire() : binary.wire(u);
    var unused =
        cx.write(wire.retainedDuplicate(), cx.voidPromise()); // a failure goes to exceptionCaught
    flusher.mark(this);
  }

  /**
   * Issue 20: this connection asked for {@code encoding=binary}: its updates are the instance's
   * shared binary frames from {@code memo}.
   */
  void binary(BinaryMemo memo) {
    this.binary = memo;
  }

  boolean binary() {
    return binary != null;
  }

  /**
   * A control frame (ack, snapshot, error, pong...) as a text frame; flushed with the rest of the
   * batch.
   */
  void writeText(JsonObject json) {
    writeText(json.toBuffer());
  }

  /** A control frame already encoded (UTF-8 JSON text). */
  void writeText(io.vertx.core.buffer.Buffer utf8) {
    repliesOut.increment();
    var unused =
        cx.write(new TextWebSocketFrame(Unpooled.wrappedBuffer(utf8.getBytes())), cx.voidPromise());
    flusher.mark(this);
  }

  @Override
  public ChannelHandlerContext channelContext() {
    return cx;
  }

  @Override
  public boolean flushQueued() {
    return flushQueued;
  }

  @Override
  public void flushQueued(boolean queued) {
    flushQueued = queued;
  }

  /**
   * Tells the connection when its channel becomes writable again (after Vert.x has seen the event).
   */
  private static final class WritabilityHook extends ChannelInboundHandlerAdapter {
    private final Runnable onWritable;

    WritabilityHook(Runnable onWritable) {
      this.onWritable = onWritable;
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      ctx.fireChannelWritabilityChanged();
      if (ctx.channel().isWritable()) {
        onWritable.run();
      }
    }
  }
}

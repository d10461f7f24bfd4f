package candlecast.feed;

import static candlecast.feed.BitstampConnection.Phase.SWITCHING;

import candlecast.common.Trade;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.HashMap;
import java.util.Map;

/**
 * What arrives on the connections of a {@link BitstampLink}: every frame keeps its connection
 * fresh, then one handler per message type. Also the overlap test of a maintenance switch: a new
 * connection takes over once the old one has delivered up to the new one's first trade, or after
 * {@link #SWITCH_OVERLAP_MS}. Runs on the feed's context.
 */
final class BitstampFrames {
  /**
   * Largest text frame accepted; larger ones go to trades.dlq (Vert.x closes the connection beyond
   * 1 MiB).
   */
  static final int MAX_MESSAGE_CHARS = 64 * 1024;

  /**
   * Longest overlap of the old and the new connection in a maintenance switch (request_reconnect).
   */
  static final long SWITCH_OVERLAP_MS = 2_000;

  private final Vertx vertx;
  private final TradeGate gate;
  private final Map<String, String> symbolByChannel;
  private final BitstampLinkListener listener;
  private final BitstampLink link;

  /**
   * Newest trade id per symbol the active connection delivered (the overlap test of a maintenance
   * switch).
   */
  private final Map<String, Long> activeNewest = new HashMap<>();

  private long serverErrors;
  private long frames;

  BitstampFrames(
      Vertx vertx,
      TradeGate gate,
      Map<String, String> symbolByChannel,
      BitstampLinkListener listener,
      BitstampLink link) {
    this.vertx = vertx;
    this.gate = gate;
    this.symbolByChannel = symbolByChannel;
    this.listener = listener;
    this.link = link;
  }

  long serverErrors() {
    return serverErrors;
  }

  long frames() {
    return frames;
  }

  void onBinary(BitstampConnection c, Buffer b) {
    if (c.closed()) {
      return;
    }
    touch(c);
    reject(c, "binary frame of " + b.length() + " bytes (Bitstamp sends text)", null);
  }

  private void touch(BitstampConnection c) {
    c.touch();
    frames++;
  }

  /**
   * Rejects to trades.dlq what {@code c} sent, unless c is a new connection that overlaps a live
   * one.
   */
  private void reject(BitstampConnection c, String reason, String raw) {
    BitstampConnection active = link.active();
    if (c == active || active == null) {
      gate.reject(reason, raw, null);
    }
  }

  /** Every frame keeps its connection fresh; then one handler per message type. */
  void onText(BitstampConnection c, String text) {
    if (c.closed()) {
      return;
    }
    touch(c);
    if (text.length() > MAX_MESSAGE_CHARS) {
      reject(
          c,
          "oversized frame: " + text.length() + " characters (limit " + MAX_MESSAGE_CHARS + ")",
          text.substring(0, 256));
      return;
    }
    BitstampProtocol.Message m = BitstampProtocol.parse(text, symbolByChannel);
    if (m instanceof BitstampProtocol.TradeEvent te) {
      onTradeEvent(c, te, text);
    } else if (m instanceof BitstampProtocol.SubscriptionSucceeded s) {
      onSubscriptionSucceeded(c, s.channel());
    } else if (m instanceof BitstampProtocol.RequestReconnect) {
      link.requestReconnect(c);
    } else if (m instanceof BitstampProtocol.Error e) {
      onServerError(e);
    } else if (m instanceof BitstampProtocol.Malformed mf) {
      onMalformed(c, mf, text);
    }
    // A heartbeat reply (bts:heartbeat) and other events need nothing beyond touch(): they keep the
    // connection fresh.
  }

  private void onTradeEvent(BitstampConnection c, BitstampProtocol.TradeEvent te, String text) {
    if (te.trade() != null) {
      onTrade(c, te.trade());
    } else {
      reject(c, te.problem(), text);
    }
  }

  private void onSubscriptionSucceeded(BitstampConnection c, String channel) {
    if (channel == null || !symbolByChannel.containsKey(channel)) {
      return;
    }
    c.acked.add(channel);
    if (c.active()) {
      link.channelCovered(channel);
    } else if (c == link.incoming() && c.acked.size() == symbolByChannel.size()) {
      link.allChannelsCovered();
      BitstampConnection active = link.active();
      if (active != null && active != c && active.active()) {
        awaitOverlap(c);
      } else {
        link.promote(c);
      }
    }
  }

  /**
   * Maintenance: the old connection may still hold trades in flight that the new one never got.
   * Switch once, for every symbol, the old one has delivered up to the new one's first trade
   * (nothing in between is lost, the gate drops the overlap), or after SWITCH_OVERLAP_MS (a quiet
   * symbol has nothing to lose).
   */
  private void awaitOverlap(BitstampConnection c) {
    c.phase = SWITCHING;
    c.switchTimer =
        vertx.setTimer(
            SWITCH_OVERLAP_MS,
            t -> {
              c.switchTimer = -1;
              if (c == link.incoming() && !c.closed() && !c.active()) {
                link.promote(c);
              }
            });
    maybeSwitch(c);
  }

  private void onServerError(BitstampProtocol.Error e) {
    serverErrors++;
    listener.problem(
        "bts:error"
            + (e.channel() == null || e.channel().isEmpty() ? "" : " on " + e.channel())
            + ": "
            + e.message());
  }

  private void onMalformed(BitstampConnection c, BitstampProtocol.Malformed mf, String text) {
    reject(c, mf.reason(), text);
  }

  private void onTrade(BitstampConnection c, Trade t) {
    if (c == link.active() && c.active()) {
      activeNewest.merge(t.symbol(), t.id(), Math::max);
      listener.trade(t);
      BitstampConnection next = link.incoming();
      if (next != null && next.phase == SWITCHING) {
        maybeSwitch(next);
      }
    } else if (c == link.incoming()) {
      c.firstId.putIfAbsent(t.symbol(), t.id());
      c.keepEarly(t, BitstampBackfill.MAX_BUFFERED);
      if (c.phase == SWITCHING) {
        maybeSwitch(c);
      }
    }
  }

  /**
   * Promotes {@code c} once the active connection has delivered, for every symbol, up to c's first
   * trade.
   */
  private void maybeSwitch(BitstampConnection c) {
    if (c == link.incoming()
        && !c.closed()
        && !c.active()
        && c.caughtUp(activeNewest, symbolByChannel.values())) {
      link.promote(c);
    }
  }
}

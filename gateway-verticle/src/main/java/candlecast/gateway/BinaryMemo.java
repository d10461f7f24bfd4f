package candlecast.gateway;

import io.netty.buffer.ByteBuf;

/**
 * The binary frames of the newest updates of one gateway instance (issue 20): the first binary
 * subscriber an update reaches encodes it ({@link BinaryFrames#wireOf}), every other one writes the
 * same bytes. The {@link SeriesHub} hands an update to all its subscribers in one pass, so the
 * newest few updates are all that need remembering; the most recent is checked first (one
 * comparison per subscriber in a fan-out). An update with no binary form maps to its own text
 * frame. An update written long after its fan-out (a congested client's parked update, once {@link
 * #SLOTS} newer ones passed) is encoded again: the same bytes, only extra work.
 *
 * <p>Event-loop confined (one per gateway instance), like the hub.
 */
final class BinaryMemo {
  static final int SLOTS = 32;

  private final Update[] in = new Update[SLOTS];
  private final ByteBuf[] out = new ByteBuf[SLOTS];
  private int newest;
  private long encoded;

  /** The frame a binary connection writes for {@code u}: binary when it has a form, else text. */
  @SuppressWarnings("ReferenceEquality") // the cache key is the shared update object itself
  ByteBuf wire(Update u) {
    if (in[newest] == u) {
      return out[newest];
    }
    for (int i = 1; i < SLOTS; i++) {
      int k = (newest - i + SLOTS) % SLOTS;
      if (in[k] == u) {
        return out[k];
      }
    }
    ByteBuf b = BinaryFrames.wireOf(u);
    encoded++;
    newest = (newest + 1) % SLOTS;
    in[newest] = u;
    out[newest] = b == null ? u.wire() : b;
    return out[newest];
  }

  /** Updates encoded (or found to have no binary form) so far: one per update, not per client. */
  long encoded() {
    return encoded;
  }
}

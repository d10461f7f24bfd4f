package candlecast.gateway;

import io.netty.channel.ChannelHandlerContext;
import java.util.ArrayList;

/**
 * Flush consolidation for the sockets of one event loop. Writes go to Netty's outbound buffer
 * without a flush; the first write of an event-loop task schedules one flush task, which runs after
 * the tasks already queued. So a socket that gets several frames before that (one bus message
 * fanned out, or several bus messages queued behind each other under load) is flushed once: one
 * {@code write} system call for all of them instead of one per frame. With no backlog the flush
 * runs right after the current task, so an idle gateway adds no delay.
 *
 * <p>Event-loop confined, like the connections it serves.
 */
final class FlushBatcher {
  /**
   * Something a batcher can flush: its {@code flushQueued} flag keeps it in the list at most once.
   */
  interface Flushable {
    ChannelHandlerContext channelContext();

    boolean flushQueued();

    void flushQueued(boolean queued);
  }

  private ArrayList<Flushable> pending = new ArrayList<>();
  private ArrayList<Flushable> spare = new ArrayList<>();
  private boolean scheduled;
  private long flushes;
  private final Runnable flushAll = this::flushAll;

  /** Marks {@code f} as written to; its socket is flushed by the next flush task. */
  void mark(Flushable f) {
    if (f.flushQueued()) {
      return;
    }
    f.flushQueued(true);
    pending.add(f);
    if (!scheduled) {
      scheduled = true;
      f.channelContext().executor().execute(flushAll);
    }
  }

  /** Flushes issued so far (one per socket per batch). */
  long flushes() {
    return flushes;
  }

  private void flushAll() {
    scheduled = false;
    // a flush can run handlers that write again (a drain): those marks go to the fresh list and a
    // new task
    ArrayList<Flushable> batch = pending;
    pending = spare;
    spare = batch;
    int n = batch.size();
    for (int i = 0; i < n; i++) {
      Flushable f = batch.get(i);
      f.flushQueued(false);
      f.channelContext().flush();
    }
    flushes += n;
    batch.clear();
  }
}

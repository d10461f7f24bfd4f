/*
 * Keeps one chart's bars equal to the server's candles while live updates stream in over the event-bus bridge.
 * Pure logic (no DOM, no chart): the pane gives it a BarStore, a history fetch and drawing callbacks.
 *
 *   snapshot:  history (newest `limit`) fetched at once for a fast first paint
 *   connected: the bus (re)registered the address -> catch up: live bodies wait in a buffer while the bars since the
 *              last one drawn are fetched; then the buffer is drawn
 *   gap:       a live bar that skips windows -> catch up again
 *   recheck:   registering is asynchronous on the server (the bridge, and on a cluster the subscription's spread),
 *              so an update published after a catch-up's request was answered but before the registration took
 *              effect reaches nobody. Updates of one series arrive in order, so only bars from the last one drawn
 *              on can be affected, and the first live body proves the registration active. If a catch-up's request
 *              went out before any live body had arrived, and the first live body then opens a newer bar, one more
 *              catch-up from the last bar drawn fetches what fell into that seam.
 */
import { nextWindow, toBar } from './model.js';

/** Catch-ups longer than this redraw with one redraw() instead of one drawBar() per bar. */
export const UPDATE_BATCH_MAX = 200;

export class LiveSync {
  /**
   * @param {object} o
   * @param {string} o.symbol
   * @param {string} o.tf
   * @param {BarStore} o.store
   * @param {(extra?:object)=>Promise<object[]>} o.fetch   bars (oldest first) of /api/candles with these parameters
   * @param {(bars:object[])=>void} o.drawAll   replace everything (snapshot or reload)
   * @param {(bar:object)=>void} o.drawBar      one bar into the store and onto the chart
   * @param {()=>void} o.redraw                 draw the store again (after many bars went in at once)
   * @param {(text:string)=>void} o.message
   * @param {object} o.counters                 catchUps, gaps, rechecks are counted here
   */
  constructor(o) {
    Object.assign(this, {
      symbol: o.symbol, tf: o.tf, store: o.store, fetch: o.fetch, drawAll: o.drawAll, drawBar: o.drawBar,
      redraw: o.redraw, message: o.message, counters: o.counters,
    });
    this.buffer = null;       // live bodies held while a catch-up runs
    this.catchingUp = null;
    this.snapshot = Promise.resolve(false);
    this.liveSinceConnect = 0;
    this.unproven = false;    // the last catch-up asked before any live body proved the registration active
    this.closed = false;
  }

  /** Fetches the newest bars right away (before the bus is open) and draws them. Resolves true if drawn. */
  loadSnapshot() {
    this.snapshot = this.fetch().then((bars) => {
      if (this.closed) return false;
      this.drawAll(bars);
      this.message(bars.length ? '' : 'no candles yet');
      return true;
    }, (e) => {
      if (!this.closed) this.message(e.message);
      return false;
    });
    return this.snapshot;
  }

  /** The bus registered the address (first open or a reconnect). */
  connected() {
    this.liveSinceConnect = 0;
    return this.catchUp();
  }

  /** A live body from the bus. */
  onLive(body) {
    if (this.closed) return;
    this.liveSinceConnect++;
    if (this.buffer) {
      this.buffer.push(body);
      return;
    }
    this.apply(body, true);
  }

  get busy() {
    return this.buffer != null;
  }

  close() {
    this.closed = true;
  }

  apply(body, detectGaps) {
    const b = toBar(body, this.symbol, this.tf);
    if (!b) return;
    const last = this.store.last();
    if (this.unproven) {
      this.unproven = false;
      if (last && b.time > last.time) {
        // The first live body opens a newer bar: the final update of the last bar may have fallen into the seam.
        this.counters.rechecks++;
        this.buffer = [body];
        this.catchUp();
        return;
      }
    }
    if (detectGaps && last && b.time > nextWindow(last.time, this.tf)) {
      // Updates were missed (windows skipped): fetch what lies between, holding this one and what follows.
      this.counters.gaps++;
      this.buffer = [body];
      this.catchUp();
      return;
    }
    this.drawBar(b);
  }

  /**
   * Brings the chart up to date: live bodies wait in the buffer while the bars since the last one drawn are fetched;
   * then the buffer is drawn. Nothing drawn is thrown away unless the answer cannot join (more than `limit` bars were
   * missed), which reloads the newest `limit`.
   */
  catchUp() {
    if (this.closed) return Promise.resolve();
    if (this.catchingUp) return this.catchingUp;
    this.buffer = this.buffer || [];
    const run = (async () => {
      let proven = false;
      try {
        await this.snapshot;
        if (this.closed) return;
        proven = this.liveSinceConnect > 0;
        const last = this.store.last();
        if (!last) {
          const bars = await this.fetch();
          if (!this.closed) this.drawAll(bars);
        } else {
          const missed = await this.fetch({ from: last.time * 1000 });
          if (this.closed) return;
          if (!this.store.joins(missed)) {
            this.drawAll(await this.fetch());
          } else if (missed.length > UPDATE_BATCH_MAX) {
            for (const b of missed) this.store.apply(b);
            this.store.trim();
            this.redraw();
          } else {
            for (const b of missed) this.drawBar(b);
          }
        }
        this.counters.catchUps++;
        if (!this.closed) this.message(this.store.length ? '' : 'no candles yet');
      } catch (e) {
        if (!this.closed) this.message('history: ' + e.message);
      } finally {
        if (!this.closed) {
          const held = this.buffer || [];
          this.buffer = null;
          this.catchingUp = null;
          this.unproven = !proven;
          for (const body of held) {
            if (this.buffer) this.buffer.push(body); // a recheck started: the rest waits for it
            else this.apply(body, false);
          }
        }
      }
    })();
    this.catchingUp = run;
    return run;
  }
}

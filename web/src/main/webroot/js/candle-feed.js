/*
 * Keeps one chart's bars equal to the server's candles: the newest `limit` bars over REST for the first paint
 * (index.html starts that request before the scripts load), then the live stream of the JS client, which resumes
 * by itself after every reconnect (no gap, no duplicate: docs/CLIENTS.md). Pure logic (no DOM, no chart): the pane
 * gives it a BarStore, the history fetch and drawing callbacks.
 *
 *   first paint: the REST bars are drawn; what the stream delivers meanwhile waits for them
 *   snapshot:    the stream's snapshot (its first, or `recovered:false` after a reconnect the server could not
 *                resume) is merged when it reaches the window after the last bar drawn (the bars from the last one
 *                on are applied); otherwise it replaces everything (a full reload, counted). A resumed snapshot
 *                (`recovered:true`) is always merged: the client asked for exactly what follows
 *   update:      one candle: the same window replaces the last bar unless it is an older version of it (fewer
 *                trades, or open after closed: a stream update that overtook the REST answer), a newer one appends
 */
import { BarStore, nextWindow } from './model.js';
import { barOf, barsOf } from './live.js';

/** Snapshots longer than this redraw with one redraw() instead of one drawBar() per bar. */
export const UPDATE_BATCH_MAX = 200;

/** Whether `b` may replace `last` (the same window): not an older version of it. */
export function newerVersion(last, b) {
  if (last.closed && !b.closed) return false;
  return b.closed || b.trades >= last.trades;
}

export class CandleFeed {
  /**
   * @param {object} o
   * @param {BarStore} o.store
   * @param {()=>Promise<object[]>} o.fetch        the newest bars over REST (oldest first)
   * @param {(bars:object[])=>void} o.drawAll     replace everything (first paint or reload)
   * @param {(bar:object)=>void} o.drawBar        one bar into the store and onto the chart
   * @param {()=>void} o.redraw                   draw the store again (after many bars went in at once)
   * @param {(text:string)=>void} o.message
   * @param {object} o.counters                   snapshots, merges, reloads, unrecovered are counted here
   */
  constructor(o) {
    Object.assign(this, {
      store: o.store || new BarStore('1m'), fetch: o.fetch, drawAll: o.drawAll, drawBar: o.drawBar, redraw: o.redraw,
      message: o.message || (() => {}), counters: o.counters,
    });
    for (const k of ['snapshots', 'merges', 'reloads', 'unrecovered', 'stale']) this.counters[k] = this.counters[k] || 0;
    this.held = [];            // stream items that arrived before the first paint
    this.painted = false;
    this.closed = false;
  }

  /** The first paint over REST. Resolves true when bars were drawn. */
  load() {
    return this.fetch().then((bars) => {
      if (this.closed) return false;
      this.drawAll(bars);
      this.message(bars.length ? '' : 'no candles yet');
      return bars.length > 0;
    }, (e) => {
      if (!this.closed) this.message(e.message);
      return false;
    }).finally(() => {
      if (this.closed) return;
      this.painted = true;
      const held = this.held;
      this.held = [];
      for (const item of held) this.take(item);
    });
  }

  /** The stream's snapshot {recovered: null|true|false, candles}. */
  onSnapshot(s) {
    this.take({ snapshot: s });
  }

  /** One candle of the stream. */
  onUpdate(candle) {
    this.take({ candle });
  }

  take(item) {
    if (this.closed) return;
    if (!this.painted) {
      this.held.push(item);
      return;
    }
    if (item.snapshot) this.snapshot(item.snapshot);
    else this.update(barOf(item.candle));
  }

  update(b) {
    if (!b) return;
    const last = this.store.last();
    if (last && b.time === last.time && !newerVersion(last, b)) {
      this.counters.stale++;
      return;
    }
    if (last && b.time < last.time) return;
    this.drawBar(b);
  }

  snapshot(s) {
    const bars = barsOf(s && s.candles);
    this.counters.snapshots++;
    if (s && s.recovered === false) this.counters.unrecovered++;
    const last = this.store.last();
    if (!last) {
      this.drawAll(bars);
      this.message(bars.length ? '' : 'no candles yet');
      return;
    }
    if (!bars.length) return;
    // A resumed snapshot continues the stream by definition; any other must reach the window after the last bar.
    if (!(s && s.recovered === true) && bars[0].time > nextWindow(last.time, this.store.tf)) {
      this.counters.reloads++;
      this.drawAll(bars);
      this.message('');
      return;
    }
    this.counters.merges++;
    const tail = bars.filter((b) => b.time >= last.time);
    if (tail.length > UPDATE_BATCH_MAX) {
      for (const b of tail) if (b.time > last.time || newerVersion(last, b)) this.store.apply(b);
      this.store.trim();
      this.redraw();
    } else {
      for (const b of tail) this.update(b);
    }
  }

  /** Until the first paint settled. */
  get busy() {
    return !this.painted && !this.closed;
  }

  close() {
    this.closed = true;
    this.held = [];
  }
}

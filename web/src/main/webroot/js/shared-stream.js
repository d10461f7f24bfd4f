/*
 * One client subscription shared by every part of the page that shows the same stream (live.js makes them): the
 * server takes a series once per connection, while two charts may show the same series or indicator.
 */

/** Items a shared stream keeps to replay to a member that joins late. */
export const REPLAY_MAX = 5000;
/** Trades a shared trades stream keeps for a late member (the feed shows 50). */
export const REPLAY_TRADES = 500;
const LISTS = { candles: 'candles', trades: 'trades', points: 'points', patterns: 'points' };

/**
 * One client subscription and the page parts that show it. A member that joins after the snapshot gets a replay: the
 * snapshot with every update since applied (candles and points by open time, pattern detections by time and name,
 * the newest trades), or the newest ticker / book.
 */
export class SharedStream {
  constructor(kind, problem, release) {
    this.kind = kind;
    this.problem = problem;
    this.release = release;  // the last member left: close the client subscription
    this.members = new Set();
    this.head = null;      // the snapshot (without its list)
    this.items = [];       // its list, kept up to date
    this.last = undefined; // the newest update
    this.sub = null;
  }

  join(h) {
    const m = { h };
    this.members.add(m);
    if (this.head) call(h.onSnapshot, { ...this.head, recovered: null, [LISTS[this.kind]]: this.items.slice() });
    else if (this.kind === 'last' && this.last !== undefined) call(h.onUpdate, this.last);
    const stream = this;
    return {
      get ready() { return stream.sub ? stream.sub.ready : Promise.resolve(false); },
      get stats() { return stream.sub ? stream.sub.stats : {}; },
      close: () => {
        if (!this.members.delete(m)) return Promise.resolve();
        return this.members.size === 0 ? this.release() : Promise.resolve();
      },
    };
  }

  snapshot(s) {
    const field = LISTS[this.kind];
    if (field) {
      const list = s && Array.isArray(s[field]) ? s[field] : [];
      this.head = { ...s };
      delete this.head[field];
      this.items = list.slice(-(this.kind === 'trades' ? REPLAY_TRADES : REPLAY_MAX));
    }
    for (const m of [...this.members]) call(m.h.onSnapshot, s);
  }

  update(u) {
    this.record(u);
    for (const m of [...this.members]) call(m.h.onUpdate, u);
  }

  error(e, text) {
    let unheard = false;
    for (const m of [...this.members]) {
      if (m.h.onError) call(m.h.onError, e, text); else unheard = true;
    }
    if (unheard || !this.members.size) this.problem(text);
  }

  record(u) {
    if (this.kind === 'last') {
      this.last = u;
      return;
    }
    if (!this.head || !u) return;
    const items = this.items;
    if (this.kind === 'trades') {
      items.push(u);
    } else {
      const same = this.kind === 'patterns'
        ? (x) => x.t === u.t && patternOf(x) === patternOf(u)
        : (x) => x.t === u.t;
      let i = items.length - 1;
      while (i >= 0 && items[i].t > u.t) i--;
      if (i >= 0 && same(items[i])) items[i] = u;
      else if (i >= 0 && this.kind === 'patterns' && items.slice(0, i + 1).some(same)) return;
      else items.splice(i + 1, 0, u);
    }
    // Trimmed in steps (not one splice per update): at most a quarter over the bound.
    const max = this.kind === 'trades' ? REPLAY_TRADES : REPLAY_MAX;
    if (items.length > max + (max >> 2)) items.splice(0, items.length - max);
  }
}

/** The pattern of a client IndicatorPoint of the patterns channel (its raw detection). */
function patternOf(p) {
  return (p && p.raw && p.raw.pattern) || (p && p.pattern);
}

function call(f, ...args) {
  if (typeof f !== 'function') return;
  try {
    f(...args);
  } catch (e) {
    console.error('candlecast page: a stream handler threw', e); // eslint-disable-line no-console
  }
}

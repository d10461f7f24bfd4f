/*
 * The page's one live connection: the JS client library (@candlecast/client, served as vendor/candlecast/index.js)
 * speaking the JSON protocol on /ws. The client connects, backs off, resubscribes and resumes every stream without a
 * gap or a duplicate; this adapter only fits it to the page:
 *
 *   - the connection indicator: the client's state, shown as `offline` while the browser says it is offline or after
 *     OFFLINE_AFTER_ATTEMPTS failed attempts (pageState);
 *   - the browser going offline: the socket is closed (a browser may keep a socket open while it is offline) and no
 *     new one opens until it is back (the WebSocket constructor given to the client is wrapped: offlineAware);
 *   - every subscription's `ready` failure and error goes to the page (never an unhandled rejection);
 *   - the client's models become the shapes the page's stores take (barOf, tradeOf, pointOf, fireOf).
 *
 * Pure apart from what is passed in (the client class, WebSocket, timers): unit-tested with a fake client.
 */
import { retryState } from './model.js';
import { SharedStream } from './shared-stream.js';

/**
 * The indicator for a client state (idle, connecting, connected, reconnecting, closed) and its detail ({attempt}).
 * `online` is navigator.onLine.
 */
export function pageState(state, detail, online = true) {
  if (!online) return 'offline';
  if (state === 'connected') return 'connected';
  if (state === 'reconnecting') return retryState(Math.max(1, (detail && detail.attempt) || 1), true);
  if (state === 'closed') return 'offline';
  return 'connecting';
}

/**
 * A socket that never opens: what the wrapped constructor returns while the browser is offline. It reports an error
 * and a close (code 1006) on the next turn, through both the on* properties and listeners, like a failed handshake.
 */
export class OfflineSocket {
  constructor(url, timers) {
    this.url = url;
    this.readyState = 3;
    this.protocol = '';
    this.extensions = '';
    this.bufferedAmount = 0;
    this.binaryType = 'blob';
    this.listeners = { open: [], message: [], error: [], close: [] };
    this.onopen = null;
    this.onmessage = null;
    this.onerror = null;
    this.onclose = null;
    (timers || globalThis).setTimeout(() => {
      this.emit('error', { type: 'error', message: 'the browser is offline' });
      this.emit('close', { type: 'close', code: 1006, reason: 'the browser is offline', wasClean: false });
    }, 0);
  }

  addEventListener(type, f) { if (this.listeners[type]) this.listeners[type].push(f); }
  removeEventListener(type, f) { if (this.listeners[type]) this.listeners[type] = this.listeners[type].filter((x) => x !== f); }
  send() { throw new Error('the browser is offline'); }
  close() {}

  emit(type, event) {
    const on = this['on' + type];
    if (typeof on === 'function') on.call(this, event);
    for (const f of this.listeners[type].slice()) f.call(this, event);
  }
}
OfflineSocket.CONNECTING = 0;
OfflineSocket.OPEN = 1;
OfflineSocket.CLOSING = 2;
OfflineSocket.CLOSED = 3;

/**
 * The WebSocket constructor the client gets: the real one, remembering its open sockets in `sockets` (so drop() can
 * close them), and an OfflineSocket instead while `online()` is false.
 */
export function offlineAware(Base, sockets, online, timers) {
  return class extends Base {
    constructor(url, protocols) {
      if (!online()) return new OfflineSocket(url, timers); // eslint-disable-line no-constructor-return
      super(url, protocols);
      sockets.add(this);
      this.addEventListener('close', () => sockets.delete(this));
    }
  };
}

export class LiveConnection {
  /**
   * @param {object} o
   * @param {Function} o.Client          CandlecastClient
   * @param {string} o.url               the page's origin
   * @param {()=>string|null} [o.token]  the access token (asked on every connect)
   * @param {string} [o.owner]           alert owner when the server runs without authentication
   * @param {Function} o.WebSocket       the browser's WebSocket (or a fake)
   * @param {()=>boolean} [o.online]     navigator.onLine
   * @param {(state:string)=>void} [o.onState]
   * @param {(text:string)=>void} [o.onProblem]  a refused subscription or a connection error (shown to the user)
   * @param {object} [o.timers]          {setTimeout} (tests)
   * @param {object} [o.options]         more client options (backoff, requestTimeoutMs, fetch…)
   */
  constructor(o) {
    this.online = o.online || (() => true);
    this.onState = o.onState || (() => {});
    this.onProblem = o.onProblem || (() => {});
    this.sockets = new Set();
    this.state = 'connecting';
    this.clientState = 'idle';
    this.detail = null;
    this.connects = 0;
    this.streams = new Map(); // key -> SharedStream
    const options = { ...(o.options || {}), url: o.url, WebSocket: offlineAware(o.WebSocket, this.sockets, this.online, o.timers) };
    if (o.token) options.token = o.token;
    if (o.owner) options.owner = o.owner;
    this.client = new o.Client(options);
    this.client.onState((state, detail) => this.clientChanged(state, detail));
  }

  clientChanged(state, detail) {
    if (state === 'connected' && this.clientState !== 'connected') this.connects++;
    this.clientState = state;
    this.detail = detail || null;
    const e = detail && detail.error;
    if (e && state !== 'connected') this.onProblem(`connection: ${e.message || e.code}`);
    this.show();
  }

  show() {
    const s = pageState(this.clientState, this.detail, this.online());
    if (s === this.state) return;
    this.state = s;
    this.onState(s);
  }

  start() {
    return this.client.connect().catch((e) => this.onProblem(`connection: ${e && e.message}`));
  }

  /** The browser went offline: close the sockets (the client's reconnect follows, and waits until it is back). */
  drop() {
    for (const s of [...this.sockets]) {
      try { s.close(4000, 'offline'); } catch (e) { /* closing anyway */ }
    }
    this.show();
  }

  /** The browser is back online, or a new token was given: the client skips its back-off wait. */
  retryNow() {
    this.client.reconnectNow();
    this.show();
  }

  /** Wraps a client subscription: its `ready` failure goes to onError (once), never unhandled. */
  guard(what, make, onError) {
    const report = (e) => {
      const text = `${what}: ${(e && e.message) || e}`;
      if (onError) onError(e, text); else this.onProblem(text);
    };
    let sub;
    try {
      sub = make(report);
    } catch (e) {
      report(e);
      return { ready: Promise.resolve(false), close: () => Promise.resolve(), stats: {} };
    }
    const ready = Promise.resolve(sub.ready).then(() => true, (e) => { report(e); return false; });
    return {
      ready,
      get stats() { return sub.stats || {}; },
      close: () => Promise.resolve(sub.close()).catch(() => {}),
    };
  }

  /**
   * A member of the shared stream `key` (one client subscription per stream: the server takes a series once per
   * connection, while two charts may show the same one). `make(handlers)` subscribes with the client.
   */
  stream(kind, key, what, make, h) {
    const known = this.streams.get(key);
    if (known) return known.join(h);
    const s = new SharedStream(kind, (text) => this.onProblem(text), () => {
      if (this.streams.get(key) === s) this.streams.delete(key);
      return s.sub ? s.sub.close() : Promise.resolve();
    });
    this.streams.set(key, s);
    const member = s.join(h);
    s.sub = this.guard(what, (err) => make({
      onSnapshot: (x) => s.snapshot(x), onUpdate: (x) => s.update(x), onError: err,
    }), (e, text) => s.error(e, text));
    s.sub.ready.then((ok) => { if (!ok && this.streams.get(key) === s) this.streams.delete(key); });
    return member;
  }

  /** Candles of (symbol, tf): h = {onSnapshot({recovered, candles}), onUpdate(candle), onError(e, text)}. */
  candles(symbol, tf, h) {
    return this.stream('candles', `c|${symbol}|${tf}`, `${symbol} ${tf}`,
      (x) => this.client.candles(symbol, tf, x), h);
  }

  trades(symbol, h) {
    return this.stream('trades', `t|${symbol}`, `trades ${symbol}`, (x) => this.client.trades(symbol, x), h);
  }

  ticker(symbol, h) {
    return this.stream('last', `k|${symbol}`, `ticker ${symbol}`,
      (x) => this.client.ticker(symbol, { onUpdate: x.onUpdate, onError: x.onError }), h);
  }

  book(symbol, depth, h) {
    return this.stream('last', `b|${symbol}|${depth}`, `book ${symbol}`,
      (x) => this.client.book(symbol, { depth, onUpdate: x.onUpdate, onError: x.onError }), h);
  }

  /** An analysis series: `patterns` has its own channel, every other name is an indicator. */
  analysis(symbol, tf, spec, limit, h) {
    const patterns = spec.name === 'patterns';
    return this.stream(patterns ? 'patterns' : 'points', `a|${symbol}|${tf}|${spec.key}`, spec.key, (x) => (patterns
      ? this.client.patterns(symbol, tf, { ...spec.params }, { limit, ...x })
      : this.client.indicator(symbol, tf, spec.name, { ...spec.params }, { limit, ...x })), h);
  }

  alerts(since, h) {
    const o = { onUpdate: h.onUpdate };
    if (since != null) o.since = since;
    return this.guard('alerts', (err) => this.client.alerts({ ...o, onError: err }), h.onError);
  }

  onNotice(f) {
    return this.client.onNotice(f);
  }

  /** GET /api/… with the token (the client's REST). */
  rest(path) {
    return this.client.rest(path);
  }
}

// ---- models -> the page's shapes -----------------------------------------------------------------------------------

/** A client Candle -> a bar {time (s), open, high, low, close, volume, trades, closed}; null when unusable. */
export function barOf(c) {
  if (!c || !Number.isFinite(c.t) || c.t % 1000 !== 0) return null;
  if (![c.open, c.high, c.low, c.close].every(Number.isFinite)) return null;
  return {
    time: c.t / 1000, open: c.open, high: c.high, low: c.low, close: c.close,
    volume: Number.isFinite(c.volume) ? c.volume : 0, trades: Number.isFinite(c.trades) ? c.trades : 0,
    closed: c.closed === true,
  };
}

/** Client candles -> bars with strictly increasing times. */
export function barsOf(candles) {
  const out = [];
  for (const c of Array.isArray(candles) ? candles : []) {
    const b = barOf(c);
    if (b && (!out.length || b.time > out[out.length - 1].time)) out.push(b);
  }
  return out;
}

/** A client Trade {id, t, price, amount, side} -> the tape's {id, t, p, q, side}. */
export function tradeOf(t) {
  if (!t) return null;
  return { id: t.id, t: t.t, p: t.price, q: t.amount, side: t.side };
}

/** A client IndicatorPoint -> the point as the server sent it ({t, closed, <fields>} or a pattern detection). */
export function pointOf(p) {
  if (!p || typeof p !== 'object') return null;
  if (p.raw && typeof p.raw === 'object') return p.raw;
  return p.values && typeof p.values === 'object' ? { t: p.t, closed: p.closed, ...p.values } : p;
}

/** A client AlertFire -> the fire event as recorded ({type:'alert', fire, alert, owner, recordedAt, …}). */
export function fireOf(f) {
  if (!f || typeof f !== 'object') return null;
  const raw = f.raw && typeof f.raw === 'object' ? f.raw : f;
  return raw.type ? raw : { type: 'alert', ...raw };
}

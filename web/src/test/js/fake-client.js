// A stand-in for @candlecast/client's CandlecastClient (the API of docs/CLIENTS.md / team plan): records the
// subscriptions the page makes and lets a test play the client's side (states, snapshots, updates, errors, notices).

export class FakeClient {
  constructor(options) {
    this.options = options;
    this.subs = [];
    this.stateFns = [];
    this.noticeFns = [];
    this.connects = 0;
    this.rests = [];
    FakeClient.last = this;
  }

  onState(f) {
    this.stateFns.push(f);
    return () => { this.stateFns = this.stateFns.filter((x) => x !== f); };
  }

  state(s, detail = {}) {
    for (const f of this.stateFns) f(s, detail);
  }

  onNotice(f) {
    this.noticeFns.push(f);
    return () => { this.noticeFns = this.noticeFns.filter((x) => x !== f); };
  }

  notice(n) {
    for (const f of this.noticeFns) f(n);
  }

  reconnectNow() {
    this.reconnects = (this.reconnects || 0) + 1;
  }

  connect() {
    this.connects++;
    return Promise.resolve();
  }

  rest(path) {
    this.rests.push(path);
    return Promise.resolve({ path });
  }

  /** A subscription whose `ready` the test settles: s.accept() / s.refuse(err). */
  add(kind, args, h) {
    let accept;
    let refuse;
    const ready = new Promise((res, rej) => { accept = res; refuse = rej; });
    const s = {
      kind, args, h, closed: false, ready, accept, refuse, stats: { unrecovered: 0, resumes: 0 },
      close() { s.closed = true; return Promise.resolve(); },
    };
    this.subs.push(s);
    return s;
  }

  open(kind) {
    return this.subs.filter((s) => s.kind === kind && !s.closed);
  }

  candles(symbol, tf, h) { return this.add('candles', { symbol, tf }, h); }
  trades(symbol, h) { return this.add('trades', { symbol }, h); }
  ticker(symbol, h) { return this.add('ticker', { symbol }, h); }
  book(symbol, h) { return this.add('book', { symbol, depth: h.depth }, h); }
  indicator(symbol, tf, name, params, h) { return this.add('indicator', { symbol, tf, name, params, limit: h.limit }, h); }
  patterns(symbol, tf, params, h) { return this.add('patterns', { symbol, tf, params, limit: h.limit }, h); }
  alerts(h) { return this.add('alerts', { since: h.since }, h); }
}

/** A WebSocket stand-in: construction is recorded; close() fires the close listeners. */
export class FakeSocket {
  constructor(url) {
    this.url = url;
    this.listeners = [];
    this.closedWith = null;
    FakeSocket.made.push(this);
  }

  addEventListener(type, f) { if (type === 'close') this.listeners.push(f); }

  close(code, reason) {
    this.closedWith = { code, reason };
    for (const f of this.listeners) f({ code, reason });
  }
}
FakeSocket.made = [];

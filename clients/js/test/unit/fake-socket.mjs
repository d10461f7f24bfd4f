// A fake WebSocket class (browser shape: onopen/onmessage/onerror/onclose, send, close) driven by the test.
export class FakeSocket {
  static instances = [];
  static reset() {
    FakeSocket.instances = [];
  }
  static get last() {
    return FakeSocket.instances[FakeSocket.instances.length - 1];
  }

  constructor(url, protocols, options) {
    this.url = url;
    this.options = options;
    this.sent = [];
    this.closed = null;
    this.onopen = this.onmessage = this.onerror = this.onclose = null;
    FakeSocket.instances.push(this);
  }

  send(data) {
    if (this.closed) throw new Error('closed');
    this.sent.push(JSON.parse(data));
  }

  close(code = 1000, reason = '') {
    if (this.closed) return;
    this.closed = { code, reason };
    queueMicrotask(() => this.onclose?.({ code, reason }));
  }

  // ---- the server's side ----
  open(timestamp = Date.now()) {
    this.onopen?.({});
    this.push({ type: 'connection', status: 'connected', timestamp });
  }
  push(frame) {
    this.onmessage?.({ data: typeof frame === 'string' ? frame : JSON.stringify(frame) });
  }
  drop(code = 1006) {
    this.closed = { code };
    this.onclose?.({ code, reason: '' });
  }
  refuse(status) {
    this.onerror?.({ message: 'Unexpected server response: ' + status });
    this.closed = { code: 1006 };
    this.onclose?.({ code: 1006, reason: '' });
  }
  /** The last command sent of `type` (and matching `pred`). */
  lastSent(type, pred = () => true) {
    for (let i = this.sent.length - 1; i >= 0; i--) if (this.sent[i].type === type && pred(this.sent[i])) return this.sent[i];
    return undefined;
  }
}

/** A FakeSocket subclass that takes headers like the `ws` package. */
export class HeaderFakeSocket extends FakeSocket {
  static acceptsHeaders = true;
}

export const tick = () => new Promise((r) => setImmediate(r));

export async function until(cond, ms = 2000, what = 'condition') {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for ' + what);
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** A candle update frame of the JSON protocol. */
export function candleFrame(symbol, tf, t, trades, closed, extra = {}) {
  return {
    type: 'candle', symbol, tf, t, open: 100, high: 100 + trades, low: 99, close: 100 + trades / 2,
    volume: trades * 0.5, trades, unix_timestamp: t / 1000, time_window_seconds: 1, closed, ...extra,
  };
}

/** The snapshot element form of a candle frame. */
export function element(frame) {
  const { type, symbol, tf, time_window_seconds, ...rest } = frame;
  return rest;
}

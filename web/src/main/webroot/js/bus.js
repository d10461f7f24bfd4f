/*
 * One live connection for the whole page: the Vert.x SockJS event-bus bridge (/eventbus), shared by every chart and
 * the ticker strip. Subscribers are kept here, so every (re)connect registers them all again and runs their catch-up.
 *
 * States: connecting -> connected; on a drop: reconnecting (back-off 0.5 s doubling to 15 s, jittered) and offline
 * after OFFLINE_AFTER_ATTEMPTS failed attempts or while the browser says it is offline (it keeps trying). The state
 * turns `connected` only once every subscriber's catch-up has settled, so "connected" means "up to date".
 *
 * The EventBus constructor is passed in (window.EventBus in the page, a fake in unit tests).
 */
import { backoffDelay, retryState } from './model.js';

/** How long request() waits for a reply. */
export const REQUEST_TIMEOUT_MS = 10000;

export class LiveBus {
  /**
   * @param {object} o
   * @param {string|(()=>string)} o.url    bridge URL ('/eventbus'), or a function asked on every connect (the token)
   * @param {Function} o.EventBus          constructor of @vertx/eventbus-bridge-client.js
   * @param {(state:string)=>void} o.onState
   * @param {(text:string)=>void} [o.onProblem]  a refused registration or a bridge error (shown to the user)
   * @param {object} [o.timers]            {setTimeout, clearTimeout} (tests)
   * @param {()=>boolean} [o.online]       navigator.onLine
   */
  constructor(o) {
    this.url = o.url;
    this.EventBus = o.EventBus;
    this.onState = o.onState || (() => {});
    this.onProblem = o.onProblem || (() => {});
    this.timers = o.timers || { setTimeout: (f, ms) => setTimeout(f, ms), clearTimeout: (id) => clearTimeout(id) };
    this.online = o.online || (() => true);
    this.subs = new Set();
    this.eb = null;          // the current EventBus (connecting or open)
    this.open = false;
    this.attempts = 0;       // failed connects since the last success
    this.retryTimer = null;
    this.state = 'connecting';
    this.connects = 0;       // successful opens (tests and diagnostics)
    this.pending = new Set(); // request() calls waiting for a reply (failed when the connection drops)
  }

  start() {
    if (!this.eb && !this.retryTimer) this.connect();
  }

  /**
   * Adds a subscriber. onMessage(body) gets every live message; onOpen() runs after each (re)connect, right after
   * the address is registered (so nothing published meanwhile is lost) and may return a promise (its catch-up).
   * Returns {close()}.
   */
  subscribe(address, onMessage, onOpen) {
    const sub = { address, onMessage, onOpen: onOpen || (() => undefined), handler: null, eb: null };
    this.subs.add(sub);
    if (this.open) {
      this.register(this.eb, sub);
      Promise.resolve().then(() => sub.onOpen()).catch(() => {});
    }
    return {
      close: () => {
        if (!this.subs.delete(sub)) return;
        if (sub.eb && sub.eb === this.eb && this.open) {
          try { sub.eb.unregisterHandler(sub.address, sub.handler); } catch (e) { /* closing anyway */ }
        }
        sub.eb = null;
      },
    };
  }

  /**
   * Sends `body` to `address` over the bridge and resolves with the reply's body; rejects when the bus is not open,
   * the server fails the request (Error with `.code` = the failure code, message = the server's), the connection
   * drops, or no reply comes within `timeoutMs`.
   */
  request(address, body, timeoutMs = REQUEST_TIMEOUT_MS) {
    const eb = this.eb;
    if (!eb || !this.open) return Promise.reject(new Error('not connected'));
    return new Promise((resolve, reject) => {
      let done = false;
      const timer = this.timers.setTimeout(() => finish(new Error(`${address}: no reply within ${timeoutMs} ms`)), timeoutMs);
      const finish = (err, value) => {
        if (done) return;
        done = true;
        this.pending.delete(finish);
        this.timers.clearTimeout(timer);
        if (err) reject(err); else resolve(value);
      };
      this.pending.add(finish);
      try {
        eb.send(address, body, {}, (err, msg) => {
          if (err) {
            const e = new Error(String(err.message || describe(err)));
            e.code = err.failureCode;
            finish(e);
          } else {
            finish(null, msg ? msg.body : null);
          }
        });
      } catch (e) {
        finish(e instanceof Error ? e : new Error(String(e)));
      }
    });
  }

  /** Reconnects now if a retry is pending (the browser came back online). */
  retryNow() {
    if (this.retryTimer) {
      this.timers.clearTimeout(this.retryTimer);
      this.retryTimer = null;
      this.connect();
    }
  }

  /** Drops the current connection (e.g. the browser went offline); the usual retry follows. */
  drop() {
    const eb = this.eb;
    if (eb) {
      try { eb.close(); } catch (e) { /* already closed */ }
      this.closed(eb);
    }
  }

  setState(s) {
    if (this.state === s) return;
    this.state = s;
    this.onState(s);
  }

  connect() {
    this.retryTimer = null;
    let eb;
    try {
      const url = typeof this.url === 'function' ? this.url() : this.url;
      eb = new this.EventBus(url, { vertxbus_ping_interval: 5000 });
    } catch (e) {
      this.onProblem('event bus: ' + (e && e.message));
      this.retry();
      return;
    }
    this.eb = eb;
    this.open = false;
    eb.onopen = () => this.opened(eb);
    eb.onclose = () => this.closed(eb);
    // The library's defaults write to console.error/warn; route them to the page instead.
    eb.onerror = (err) => { if (this.eb === eb) this.onProblem(describe(err)); };
    eb.onunhandled = () => {};
  }

  opened(eb) {
    if (this.eb !== eb) return;
    this.open = true;
    this.connects++;
    const subs = [...this.subs];
    subs.forEach((sub) => this.register(eb, sub));
    const catchUps = subs.map((sub) => Promise.resolve().then(() => sub.onOpen()));
    Promise.allSettled(catchUps).then(() => {
      if (this.eb !== eb || !this.open) return;
      this.attempts = 0;
      this.setState('connected');
    });
  }

  closed(eb) {
    if (this.eb !== eb) return;
    this.eb = null;
    this.open = false;
    for (const sub of this.subs) sub.eb = null;
    for (const finish of [...this.pending]) finish(new Error('connection lost'));
    this.retry();
  }

  retry() {
    this.attempts++;
    this.setState(retryState(this.attempts, this.online()));
    this.retryTimer = this.timers.setTimeout(() => this.connect(), backoffDelay(this.attempts));
  }

  register(eb, sub) {
    sub.eb = eb;
    sub.handler = (err, msg) => {
      if (err) this.onProblem(`event bus refused ${sub.address}: ${describe(err)}`);
      else if (msg && this.subs.has(sub)) sub.onMessage(msg.body);
    };
    eb.registerHandler(sub.address, sub.handler);
  }
}

function describe(err) {
  if (!err) return 'error';
  return String(err.message || err.body || err.failureType || err.type || err);
}

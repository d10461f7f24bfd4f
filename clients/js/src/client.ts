import { BackoffOptions, backoffDelay, restartDelay } from './backoff.js';
import { handshakeStatus, resolveWebSocket, takesHeaders, WebSocketCtor } from './connection.js';
import { CandlecastError, errorFromFrame } from './errors.js';
import { History, HistoryBatchOptions, BatchProgress, runHistoryBatch, restCall, RestInit } from './history.js';
import { Candle, Notice, noticeFrom } from './models.js';
import { BaseSubscription, SubscriptionHost } from './subscription.js';
import {
  BookOptions, BookSubscription, CandleOptions, CandleSubscription, TickerOptions, TickerSubscription,
  TradeOptions, TradeSubscription,
} from './streams.js';
import {
  AlertOptions, AlertSubscription, IndicatorOptions, IndicatorSubscription, PortfolioSubscription,
} from './analysis.js';
import { StreamHandlers } from './subscription.js';
import { Portfolio } from './models.js';
import { endpoints, Endpoints, withQuery } from './urls.js';

type Json = Record<string, any>;

export type ConnectionState = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'closed';

export interface StateDetail {
  /** Failed attempts so far (0 after a connection that reached `connected`). */
  attempt: number;
  /** The wait before the next attempt (state `reconnecting`). */
  delayMs?: number;
  /** Why the connection dropped or ended. */
  error?: CandlecastError;
}

export type TokenSource = string | (() => string | null | Promise<string | null>);

export interface ClientOptions {
  /** The node's base URL (`http://host:8080`) or its WebSocket URL (`ws://host:8080/ws`). */
  url: string;
  /** A JWT, or a function returning one (called on every connect and REST call). */
  token?: TokenSource;
  /** Owner label for alerts and portfolio when the server runs without authentication. */
  owner?: string;
  WebSocket?: WebSocketCtor;
  fetch?: typeof fetch;
  backoff?: BackoffOptions;
  /** No reply to a command within this time → `timeout` (default 10000). */
  requestTimeoutMs?: number;
  /** Ping interval (default 15000); 2 missed pongs or no frame for 2 intervals + 5 s is a drop. */
  pingIntervalMs?: number;
  /** Random source for the back-off (tests). */
  random?: () => number;
}

interface Pending {
  sent: boolean;
  frame: Json;
  fail(err: CandlecastError): void;
}

/**
 * A Candlecast client: one WebSocket (JSON protocol on `/ws`) shared by every subscription, reconnected with
 * full-jitter back-off, subscriptions restored and resumed without gap or duplicate; REST for history.
 */
export class CandlecastClient {
  readonly history: History;
  private stateValue: ConnectionState = 'idle';
  private readonly ep: Endpoints;
  private readonly requestTimeoutMs: number;
  private readonly pingIntervalMs: number;
  private readonly random: () => number;
  private ws: any = null;
  private open = false;
  private gen = 0;
  private ids = 0;
  private attempt = 0;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private pingTimer: ReturnType<typeof setInterval> | null = null;
  private missedPongs = 0;
  private lastFrameAt = 0;
  private readonly subs = new Set<BaseSubscription<any, any>>();
  private readonly restoring = new Set<BaseSubscription<any, any>>();
  private readonly byId = new Map<string, (f: Json) => void>();
  private readonly routes = new Map<string, BaseSubscription<any, any>>();
  private readonly pending = new Map<string, Pending>();
  private readonly stateListeners = new Set<(s: ConnectionState, d: StateDetail) => void>();
  private readonly noticeListeners = new Set<(n: Notice) => void>();
  private readonly host: SubscriptionHost;

  constructor(private readonly options: ClientOptions) {
    this.ep = endpoints(options.url);
    this.requestTimeoutMs = options.requestTimeoutMs ?? 10000;
    this.pingIntervalMs = options.pingIntervalMs ?? 15000;
    this.random = options.random ?? Math.random;
    this.history = new History((path, init) => this.rest(path, init));
    this.host = this.makeHost();
  }

  get state(): ConnectionState {
    return this.stateValue;
  }

  /** True when the socket is open and every subscription is restored. */
  isConnected(): boolean {
    return this.stateValue === 'connected';
  }

  onState(fn: (state: ConnectionState, detail: StateDetail) => void): () => void {
    this.stateListeners.add(fn);
    return () => this.stateListeners.delete(fn);
  }

  onNotice(fn: (notice: Notice) => void): () => void {
    this.noticeListeners.add(fn);
    return () => this.noticeListeners.delete(fn);
  }

  /** Connects (idempotent); resolves once `connected`, rejects when the client closes first (e.g. `unauthorized`). */
  connect(): Promise<void> {
    if (this.stateValue === 'connected') return Promise.resolve();
    if (this.stateValue === 'closed') return Promise.reject(new CandlecastError('closed', 'the client is closed'));
    const p = new Promise<void>((resolve, reject) => {
      const off = this.onState((s, d) => {
        if (s === 'connected') { off(); resolve(); }
        if (s === 'closed') { off(); reject(d.error ?? new CandlecastError('closed', 'the client is closed')); }
      });
    });
    if (this.stateValue === 'idle') {
      this.setState('connecting', { attempt: 0 });
      void this.openSocket();
    }
    return p;
  }

  /** Ends the client: no reconnect; pending requests fail with `closed`, subscriptions end. */
  async close(): Promise<void> {
    if (this.stateValue === 'closed') return;
    const err = new CandlecastError('closed', 'the client was closed');
    this.gen++;
    this.stopTimers();
    const ws = this.ws;
    this.ws = null;
    this.open = false;
    this.failPending(err, true);
    for (const s of [...this.subs]) s.terminate(err);
    this.subs.clear();
    this.routes.clear();
    this.byId.clear();
    if (ws) {
      detach(ws);
      try { ws.close(1000, 'client closed'); } catch { /* already closing */ }
    }
    this.setState('closed', { attempt: this.attempt });
  }

  candles(symbol: string, tf: string, opts: CandleOptions = {}): CandleSubscription {
    return this.add(new CandleSubscription(symbol, tf, opts));
  }

  trades(symbol: string, opts: TradeOptions = {}): TradeSubscription {
    return this.add(new TradeSubscription(symbol, opts));
  }

  ticker(symbol: string, opts: TickerOptions = {}): TickerSubscription {
    return this.add(new TickerSubscription(symbol, opts));
  }

  book(symbol: string, opts: BookOptions = {}): BookSubscription {
    return this.add(new BookSubscription(symbol, opts));
  }

  indicator(symbol: string, tf: string, name: string, params?: Json, opts: IndicatorOptions = {}): IndicatorSubscription {
    return this.add(new IndicatorSubscription('indicator', symbol, tf, name, params, opts));
  }

  patterns(symbol: string, tf: string, params?: Json, opts: IndicatorOptions = {}): IndicatorSubscription {
    return this.add(new IndicatorSubscription('patterns', symbol, tf, null, params, opts));
  }

  risk(symbol: string, tf: string, params?: Json, opts: IndicatorOptions = {}): IndicatorSubscription {
    return this.add(new IndicatorSubscription('risk', symbol, tf, null, params, opts));
  }

  alerts(opts: AlertOptions = {}): AlertSubscription {
    return this.add(new AlertSubscription(opts));
  }

  portfolio(opts: StreamHandlers<void, Portfolio> = {}): PortfolioSubscription {
    return this.add(new PortfolioSubscription(opts));
  }

  /** Sends any JSON command (an `id` is added) and resolves with its reply frame; an `error` frame rejects. */
  request(command: Json): Promise<Json> {
    const id = command.id !== undefined ? String(command.id) : this.nextId();
    return new Promise<Json>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.finishRequest(id);
        reject(new CandlecastError('timeout', 'no reply to ' + command.type + ' in ' + this.requestTimeoutMs + ' ms'));
      }, this.requestTimeoutMs);
      this.byId.set(id, (f) => {
        clearTimeout(timer);
        this.finishRequest(id);
        if (f.type === 'error') reject(errorFromFrame(f));
        else resolve(f);
      });
      this.enqueue(id, { ...command, id }, (err) => { clearTimeout(timer); this.finishRequest(id); reject(err); });
    });
  }

  async createAlert(def: Json): Promise<Json> {
    return (await this.request({ type: 'alert_create', alert: def })).alert;
  }

  async deleteAlert(id: string): Promise<Json> {
    return this.request({ type: 'alert_delete', alertId: id });
  }

  async listAlerts(filter: { symbol?: string; state?: string } = {}): Promise<Json[]> {
    return (await this.request({ type: 'alert_list', ...filter })).alerts;
  }

  async getAlert(id: string): Promise<{ alert: Json; fires: Json[] }> {
    const r = await this.request({ type: 'alert_get', alertId: id });
    return { alert: r.alert, fires: r.fires };
  }

  /** Several symbols' history over `/ws` with progress (`history_batch`). */
  historyBatch(symbols: string[], tf: string, opts: HistoryBatchOptions = {},
               onProgress?: (p: BatchProgress) => void): Promise<Record<string, Candle[] | CandlecastError>> {
    const id = this.nextId();
    return runHistoryBatch({
      id,
      frame: { type: 'history_batch', id, symbols, tf, ...batchParams(opts) },
      timeoutMs: this.requestTimeoutMs,
      bind: (h) => this.byId.set(id, h),
      done: () => this.finishRequest(id),
      send: (frame, fail) => this.enqueue(id, frame, fail),
    }, onProgress);
  }

  /** A REST call on `/api/…` (or any path of the node) with the token; errors become CandlecastError. */
  async rest(path: string, init: RestInit = {}): Promise<any> {
    const token = await this.token();
    return restCall(this.options.fetch ?? (globalThis as any).fetch, this.ep.http, path, init, token, this.options.owner);
  }

  // ---- connection ----

  private add<T extends BaseSubscription<any, any>>(sub: T): T {
    if (this.stateValue === 'closed') {
      sub.terminate(new CandlecastError('closed', 'the client is closed'));
      return sub;
    }
    this.subs.add(sub);
    if (this.stateValue === 'idle') void this.connect().catch(() => undefined);
    else if (this.open) sub.start(this.host);
    return sub;
  }

  private async openSocket(): Promise<void> {
    const gen = ++this.gen;
    let ws: any;
    let token: string | null = null;
    try {
      token = await this.token();
      const Ctor = await resolveWebSocket(this.options.WebSocket);
      if (gen !== this.gen) return;
      const headers = takesHeaders(Ctor);
      const url = withQuery(this.ep.ws, {
        owner: this.options.owner,
        access_token: token && !headers ? token : undefined,
      });
      ws = headers && token ? new Ctor(url, [], { headers: { Authorization: 'Bearer ' + token } }) : new Ctor(url);
    } catch (e) {
      if (gen !== this.gen) return;
      const err = e instanceof CandlecastError ? e : new CandlecastError('connection_lost', String((e as any)?.message ?? e));
      this.scheduleReconnect(err, false);
      return;
    }
    this.ws = ws;
    let opened = false;
    let lastError: unknown = null;
    ws.onopen = () => {
      if (gen !== this.gen) return;
      opened = true;
      this.onOpen();
    };
    ws.onmessage = (ev: any) => {
      if (gen === this.gen) this.onMessage(ev.data);
    };
    ws.onerror = (ev: any) => {
      lastError = ev?.error ?? ev?.message ?? ev;
    };
    ws.onclose = (ev: any) => {
      if (gen !== this.gen) return;
      void this.onDrop(ev?.code ?? 1006, opened, lastError, token);
    };
  }

  private onOpen(): void {
    this.open = true;
    this.lastFrameAt = Date.now();
    this.missedPongs = 0;
    this.pingTimer = setInterval(() => this.heartbeat(), this.pingIntervalMs);
    for (const [id, p] of this.pending) {
      if (!p.sent) {
        p.sent = true;
        this.sendNow(p.frame);
      }
      void id;
    }
    this.restoring.clear();
    for (const s of this.subs) this.restoring.add(s);
    for (const s of [...this.restoring]) s.start(this.host);
    this.maybeConnected();
  }

  private maybeConnected(): void {
    if (this.open && this.restoring.size === 0 && this.stateValue !== 'connected' && this.stateValue !== 'closed') {
      this.attempt = 0;
      this.setState('connected', { attempt: 0 });
    }
  }

  private async onDrop(code: number, opened: boolean, lastError: unknown, token: string | null): Promise<void> {
    this.gen++;
    this.stopTimers();
    this.ws = null;
    this.open = false;
    this.restoring.clear();
    for (const s of this.subs) s.suspend();
    this.routes.clear();
    this.failPending(new CandlecastError('connection_lost', 'the connection dropped (code ' + code + ')'), false);
    if (this.stateValue === 'closed') return;
    if (!opened) {
      let status = handshakeStatus(lastError);
      if (status === null && token) status = await this.probeAuth();
      if (status === 401 || status === 403) {
        const err = new CandlecastError(status === 401 ? 'unauthorized' : 'forbidden',
          'the server refused the connection (HTTP ' + status + ')', status);
        if (typeof this.options.token !== 'function') {
          this.closeWith(err);
          return;
        }
        this.scheduleReconnect(err, false);
        return;
      }
    }
    const err = new CandlecastError('connection_lost', opened ? 'the connection closed (code ' + code + ')'
      : 'could not connect to ' + this.ep.ws);
    this.scheduleReconnect(err, code === 1012);
  }

  /** A browser does not see a refused handshake's status: ask REST with the same token. */
  private async probeAuth(): Promise<number | null> {
    try {
      await this.rest('/api/symbols');
      return null;
    } catch (e) {
      const s = (e as CandlecastError).status;
      return s === 401 || s === 403 ? s : null;
    }
  }

  private closeWith(err: CandlecastError): void {
    const subs = [...this.subs];
    this.subs.clear();
    for (const s of subs) s.terminate(err);
    this.failPending(err, true);
    this.setState('closed', { attempt: this.attempt, error: err });
  }

  private scheduleReconnect(err: CandlecastError, restart: boolean): void {
    if (this.stateValue === 'closed') return;
    const delayMs = restart ? restartDelay(this.random) : backoffDelay(this.attempt, this.options.backoff, this.random);
    if (!restart) this.attempt++;
    this.setState('reconnecting', { attempt: this.attempt, delayMs, error: err });
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      if (this.stateValue !== 'closed') void this.openSocket();
    }, delayMs);
  }

  private heartbeat(): void {
    const idleMs = this.pingIntervalMs * 2 + 5000;
    if (this.missedPongs >= 2 || Date.now() - this.lastFrameAt > idleMs) {
      const ws = this.ws;
      if (ws) {
        detach(ws);
        try { (ws.terminate ?? ws.close).call(ws); } catch { /* gone */ }
      }
      void this.onDrop(4000, true, null, null);
      return;
    }
    this.missedPongs++;
    this.sendNow({ type: 'ping' });
  }

  private onMessage(data: any): void {
    this.lastFrameAt = Date.now();
    let f: Json;
    try {
      f = JSON.parse(typeof data === 'string' ? data : String(data));
    } catch {
      return;
    }
    if (f === null || typeof f !== 'object') return;
    const type = f.type;
    if (type === 'candle') {
      const s = this.routes.get('c|' + f.symbol + '|' + f.tf);
      if (s) s.live(f);
      return;
    }
    if (f.id !== undefined && f.id !== null) {
      const h = this.byId.get(String(f.id));
      if (h) {
        h(f);
        return;
      }
    }
    this.dispatch(type, f);
  }

  private dispatch(type: unknown, f: Json): void {
    let key: string | null = null;
    switch (type) {
      case 'trades': case 'gap': key = 't|' + f.symbol; break;
      case 'ticker': key = 'k|' + f.symbol; break;
      case 'book': key = 'b|' + f.symbol; break;
      case 'indicator': case 'risk': case 'patterns': key = 'a|' + f.symbol + '|' + f.tf + '|' + f.key; break;
      case 'alert': key = 'alerts'; break;
      case 'portfolio': key = 'portfolio'; break;
      case 'pong': this.missedPongs = 0; return;
      case 'notice': {
        const n = noticeFrom(f);
        for (const l of this.noticeListeners) guardCall(() => l(n));
        return;
      }
      default: return;
    }
    const s = this.routes.get(key);
    if (s) s.live(f);
  }

  private makeHost(): SubscriptionHost {
    const self = this;
    return {
      sendFrame: (frame) => this.sendNow(frame),
      nextId: () => this.nextId(),
      bindId: (id, h) => this.byId.set(id, h),
      release: (id) => this.byId.delete(id),
      route: (key, sub) => this.routes.set(key, sub),
      unroute: (key) => this.routes.delete(key),
      settled: (sub, err) => this.settled(sub, err),
      forget: async (sub) => { this.subs.delete(sub); this.restoring.delete(sub); this.maybeConnected(); },
      get requestTimeoutMs() { return self.requestTimeoutMs; },
    };
  }

  private settled(sub: BaseSubscription<any, any>, err?: CandlecastError): void {
    if (err && err.code === 'timeout' && !sub.isClosed) {
      // a restore that got no answer: the connection is not healthy; start over
      const ws = this.ws;
      if (ws) {
        detach(ws);
        try { ws.close(4000, 'restore timeout'); } catch { /* gone */ }
      }
      void this.onDrop(4000, true, null, null);
      return;
    }
    this.restoring.delete(sub);
    this.maybeConnected();
  }

  private enqueue(id: string, frame: Json, fail: (err: CandlecastError) => void): void {
    if (this.stateValue === 'closed') {
      fail(new CandlecastError('closed', 'the client is closed'));
      return;
    }
    const p: Pending = { sent: false, frame, fail };
    this.pending.set(id, p);
    if (this.open) {
      p.sent = true;
      this.sendNow(frame);
    } else if (this.stateValue === 'idle') {
      void this.connect().catch(() => undefined);
    }
  }

  private finishRequest(id: string): void {
    this.byId.delete(id);
    this.pending.delete(id);
  }

  private failPending(err: CandlecastError, all: boolean): void {
    for (const [id, p] of [...this.pending]) {
      if (all || p.sent) {
        this.pending.delete(id);
        this.byId.delete(id);
        p.fail(err);
      }
    }
  }

  private sendNow(frame: Json): void {
    const ws = this.ws;
    if (!ws || !this.open) return;
    try {
      ws.send(JSON.stringify(frame));
    } catch {
      // the close event follows
    }
  }

  private nextId(): string {
    return 'c' + ++this.ids;
  }

  private async token(): Promise<string | null> {
    const t = this.options.token;
    if (t === undefined || t === null) return null;
    if (typeof t === 'string') return t;
    return (await t()) ?? null;
  }

  private setState(s: ConnectionState, d: StateDetail): void {
    this.stateValue = s;
    for (const l of [...this.stateListeners]) guardCall(() => l(s, d));
  }

  private stopTimers(): void {
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.reconnectTimer = null;
    this.pingTimer = null;
  }
}

function detach(ws: any): void {
  ws.onopen = ws.onmessage = ws.onclose = null;
  ws.onerror = () => undefined;
}

function guardCall(fn: () => void): void {
  try {
    fn();
  } catch (e) {
    console.error('candlecast: a listener threw', e);
  }
}

function batchParams(o: HistoryBatchOptions): Json {
  const p: Json = {};
  if (o.from !== undefined) p.from = o.from;
  if (o.to !== undefined) p.to = o.to;
  if (o.limit !== undefined) p.limit = o.limit;
  if (o.period !== undefined) p.period = o.period;
  if (o.localOnly !== undefined) p.local_only = o.localOnly;
  return p;
}

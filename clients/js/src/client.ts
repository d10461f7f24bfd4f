import { backoffDelay, restartDelay } from './backoff.js';
import { handshakeStatus, resolveWebSocket, takesHeaders, WebSocketCtor } from './connection.js';
import { CandlecastError } from './errors.js';
import { Requests, Router } from './router.js';
import { Pacer } from './pacer.js';
import { History, HistoryBatchOptions, BatchProgress, batchParams, runHistoryBatch, restCall, RestInit } from './history.js';
import { Candle, Notice, Portfolio } from './models.js';
import { BaseSubscription, StreamHandlers, SubscriptionHost } from './subscription.js';
import {
  BookOptions, BookSubscription, CandleOptions, CandleSubscription, TickerOptions, TickerSubscription,
  TradeOptions, TradeSubscription,
} from './streams.js';
import {
  AlertOptions, AlertSubscription, IndicatorOptions, IndicatorSubscription, PortfolioSubscription,
} from './analysis.js';
import { endpoints, Endpoints, withQuery } from './urls.js';
import { ClientOptions, ConnectionState, StateDetail } from './options.js';

export type { ClientOptions, ConnectionState, StateDetail, TokenSource } from './options.js';

type Json = Record<string, any>;

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
  private lastPingAt = 0;
  private readonly subs = new Set<BaseSubscription<any, any>>();
  private readonly restoring = new Set<BaseSubscription<any, any>>();
  private readonly router: Router;
  private readonly pacer: Pacer;
  private readonly errorListeners = new Set<(e: CandlecastError) => void>();
  private readonly requests: Requests;
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
    this.pacer = new Pacer(options.rateLimit ?? {}, (text) => this.write(text));
    this.router = new Router(() => { this.missedPongs = 0; }, (n) => {
      for (const l of this.noticeListeners) guardCall(() => l(n));
    }, (e) => {
      for (const l of this.errorListeners) guardCall(() => l(e));
    });
    if (options.encoding !== undefined && options.encoding !== 'json' && options.encoding !== 'binary') {
      throw new TypeError("unknown encoding '" + String(options.encoding) + "': use 'json' (the default) or 'binary'");
    }
    this.router.binary = options.encoding === 'binary';
    this.requests = new Requests(this.router, {
      isOpen: () => this.open,
      isClosed: () => this.stateValue === 'closed',
      send: (frame) => this.sendNow(frame),
      wake: () => { if (this.stateValue === 'idle') void this.connect().catch(() => undefined); },
    }, this.requestTimeoutMs);
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

  /**
   * Errors the server sends without an id, so no request or subscription owns them (a `rate_limited` when the
   * server's limit is below this client's pacing, …).
   */
  onError(fn: (error: CandlecastError) => void): () => void {
    this.errorListeners.add(fn);
    return () => this.errorListeners.delete(fn);
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

  /** Skips the back-off wait now (e.g. the browser is back online); nothing unless waiting to reconnect. */
  reconnectNow(): void {
    if (this.stateValue !== 'reconnecting' || !this.reconnectTimer) return;
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    void this.openSocket();
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
    this.requests.fail(err, true);
    for (const s of [...this.subs]) s.terminate(err);
    this.subs.clear();
    this.router.routes.clear();
    this.router.byId.clear();
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
    return this.requests.request(command, command.id !== undefined ? String(command.id) : this.nextId());
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
      bind: (h) => this.router.byId.set(id, h),
      done: () => this.requests.finish(id),
      send: (frame, fail) => this.requests.enqueue(id, frame, (err) => { this.requests.finish(id); fail(err); }),
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
    let Ctor: WebSocketCtor;
    try {
      Ctor = await resolveWebSocket(this.options.WebSocket);
    } catch (e) {
      // no WebSocket implementation will appear by retrying
      if (gen === this.gen) this.closeWith(new CandlecastError('closed', String((e as any)?.message ?? e)));
      return;
    }
    try {
      token = await this.token();
      if (gen !== this.gen) return;
      const headers = takesHeaders(Ctor);
      const url = withQuery(this.ep.ws, {
        owner: this.options.owner,
        access_token: token && !headers ? token : undefined,
        encoding: this.router.binary ? 'binary' : undefined,
      });
      ws = headers && token ? new Ctor(url, [], { headers: { Authorization: 'Bearer ' + token } }) : new Ctor(url);
    } catch (e) {
      if (gen !== this.gen) return;
      const err = e instanceof CandlecastError ? e : new CandlecastError('connection_lost', String((e as any)?.message ?? e));
      this.scheduleReconnect(err, false);
      return;
    }
    this.ws = ws;
    if (this.router.binary) ws.binaryType = 'arraybuffer'; // browsers default to Blob, `ws` to Buffer
    let opened = false;
    let lastError: unknown = null;
    ws.onopen = () => {
      if (gen !== this.gen) return;
      opened = true;
      this.onOpen();
    };
    ws.onmessage = (ev: any) => {
      if (gen === this.gen) {
        this.lastFrameAt = Date.now();
        this.router.frame(ev.data);
      }
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
    this.pacer.reset();
    this.lastFrameAt = Date.now();
    this.missedPongs = 0;
    this.pingTimer = setInterval(() => this.heartbeat(), this.pingIntervalMs);
    this.requests.flush();
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
    this.router.routes.clear();
    this.router.serverTimeAtConnect = undefined;
    this.requests.fail(new CandlecastError('connection_lost', 'the connection dropped (code ' + code + ')'), false);
    if (this.stateValue === 'closed') return;
    if (!opened) {
      let status = handshakeStatus(lastError);
      if (status === null && token) status = await this.probeAuth();
      if ((this.stateValue as ConnectionState) === 'closed') return; // closed during the probe
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
    this.requests.fail(err, true);
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

  /**
   * Every interval: a ping. Any frame since the previous ping proves the connection alive (a pong queued behind a
   * burst of updates is late, not missed); two pings in a row that saw no frame at all, or no frame for two
   * intervals + 5 s, are a drop.
   */
  private heartbeat(): void {
    const idleMs = this.pingIntervalMs * 2 + 5000;
    if (this.lastFrameAt > this.lastPingAt) this.missedPongs = 0;
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
    this.lastPingAt = Date.now();
    this.sendNow({ type: 'ping' });
  }

  private makeHost(): SubscriptionHost {
    const self = this;
    return {
      sendFrame: (frame) => this.sendNow(frame),
      nextId: () => this.nextId(),
      bindId: (id, h) => this.router.byId.set(id, h),
      release: (id) => this.router.byId.delete(id),
      route: (key, sub) => this.router.routes.set(key, sub),
      unroute: (key) => this.router.routes.delete(key),
      settled: (sub, err) => this.settled(sub, err),
      forget: async (sub) => { this.subs.delete(sub); this.restoring.delete(sub); this.maybeConnected(); },
      answered: (frame) => this.request(frame).then(() => undefined, () => undefined),
      get requestTimeoutMs() { return self.requestTimeoutMs; },
      get serverTimeAtConnect() { return self.router.serverTimeAtConnect; },
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

  private sendNow(frame: Json): void {
    if (!this.ws || !this.open) return;
    this.pacer.push(JSON.stringify(frame));
  }

  private write(text: string): void {
    const ws = this.ws;
    if (!ws || !this.open) return;
    try {
      ws.send(text);
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

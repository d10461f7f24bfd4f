import { CandlecastError, codeForStatus, errorFromFrame } from './errors.js';
import { Candle, Trade, candleFromFrame, candleFromRest, tradeFrom } from './models.js';
import { withQuery } from './urls.js';

type Json = Record<string, any>;

/** `fetch` init for {@link restCall}; a plain-object `body` is sent as JSON. */
export type RestInit = Omit<RequestInit, 'body'> & { body?: BodyInit | Json | null };

/** One REST call with the token (and owner); a non-2xx answer or an unreadable body becomes a CandlecastError. */
export async function restCall(fetchImpl: typeof fetch, base: string, path: string, init: RestInit,
                               token: string | null, owner: string | undefined): Promise<any> {
  if (typeof fetchImpl !== 'function') throw new CandlecastError('bad_request', 'no fetch implementation: pass {fetch}');
  const headers = new Headers(init.headers as HeadersInit | undefined);
  if (!headers.has('accept')) headers.set('Accept', 'application/json');
  if (token && !headers.has('authorization')) headers.set('Authorization', 'Bearer ' + token);
  if (owner && !token && !headers.has('x-candlecast-owner')) headers.set('X-Candlecast-Owner', owner);
  let body = init.body as any;
  if (body !== undefined && body !== null && typeof body === 'object' && isPlainObject(body)) {
    body = JSON.stringify(body);
    headers.set('Content-Type', 'application/json');
  }
  let res: Response;
  try {
    res = await fetchImpl(base + path, { ...init, headers, body } as RequestInit);
  } catch (e) {
    throw new CandlecastError('connection_lost', 'REST ' + path + ' failed: ' + String((e as any)?.message ?? e));
  }
  const text = await res.text();
  let parsed: any = null;
  if (text.length) {
    try {
      parsed = JSON.parse(text);
    } catch {
      if (res.ok) throw new CandlecastError('bad_response', 'REST ' + path + ' answered something that is not JSON', res.status, text);
      parsed = text;
    }
  }
  if (!res.ok) {
    const errText = typeof parsed === 'string' ? parsed : String(parsed?.error ?? res.statusText ?? '');
    const message = parsed?.message ? errText + ': ' + parsed.message : errText || 'HTTP ' + res.status;
    throw new CandlecastError(codeForStatus(res.status, errText + ' ' + (parsed?.message ?? '')), message, res.status, parsed);
  }
  return parsed;
}

function isPlainObject(v: any): boolean {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null || Array.isArray(v);
}

export interface CandleHistoryOptions {
  /** Inclusive open-time bounds: epoch ms or ISO-8601 date / date-time. */
  from?: number | string;
  to?: number | string;
  /** The newest `limit` candles of the range (paged past the server's page size). */
  limit?: number;
  /** `1d 5d 1mo 3mo 6mo 1y 2y 5y max` (or the seed provider's DataPeriod names). */
  period?: string;
  /** Never download missing bars from the exchange (server default true). */
  localOnly?: boolean;
}

export interface TradeHistoryOptions {
  limit?: number;
  /** Trades after this trade id (paged forward until `limit`, or every trade held when no limit). */
  since?: number;
  /** Only trades with `t ≥ from`. */
  from?: number;
}

/** Largest page asked of `GET /api/candles` (the server's default `gateway.max-limit`). */
const CANDLE_PAGE = 5000;
const TRADE_PAGE = 1000;

/** History over REST: `GET /api/candles` (paged with `meta=true` cursors) and `GET /api/trades`. */
export class History {
  constructor(private readonly rest: (path: string, init?: RestInit) => Promise<any>) {}

  /** Candles of the range, oldest first. */
  async candles(symbol: string, tf: string, opts: CandleHistoryOptions = {}): Promise<Candle[]> {
    const limit = opts.limit;
    const first = withQuery('/api/candles', {
      symbol, tf, meta: 'true', from: opts.from, to: opts.to, period: opts.period,
      limit: limit === undefined ? undefined : Math.min(limit, CANDLE_PAGE),
      local_only: opts.localOnly,
    });
    const pages: Json[][] = [];
    let total = 0;
    let page = await this.rest(first);
    for (;;) {
      if (!page || !Array.isArray(page.candles)) throw new CandlecastError('bad_response', 'GET /api/candles without candles', undefined, page);
      pages.unshift(page.candles);
      total += page.candles.length;
      const wantMore = limit !== undefined ? total < limit : opts.from !== undefined || opts.period !== undefined;
      if (!page.next || !wantMore || page.candles.length === 0) break;
      page = await this.rest(withQuery('/api/candles', { cursor: page.next, meta: 'true' }));
    }
    const all = pages.flat().map(candleFromRest);
    return limit !== undefined && all.length > limit ? all.slice(all.length - limit) : all;
  }

  /** Trades, oldest first: the newest `limit` held, or (with `since`) the ones after that trade. */
  async trades(symbol: string, opts: TradeHistoryOptions = {}): Promise<Trade[]> {
    if (opts.since === undefined) {
      const list = await this.rest(withQuery('/api/trades', { symbol, limit: opts.limit, from: opts.from }));
      return this.tradeList(list, symbol);
    }
    const out: Trade[] = [];
    let since = opts.since;
    for (;;) {
      const want = opts.limit === undefined ? TRADE_PAGE : Math.min(TRADE_PAGE, opts.limit - out.length);
      const page = this.tradeList(await this.rest(withQuery('/api/trades', { symbol, since, limit: want })), symbol);
      out.push(...page);
      if (page.length < want || (opts.limit !== undefined && out.length >= opts.limit)) return out;
      since = page[page.length - 1]!.id;
    }
  }

  private tradeList(list: unknown, symbol: string): Trade[] {
    if (!Array.isArray(list)) throw new CandlecastError('bad_response', 'GET /api/trades did not answer an array', undefined, list);
    return list.map((e) => tradeFrom(e, symbol.toUpperCase().replace(/-/g, '')));
  }
}

export interface HistoryBatchOptions {
  from?: number | string;
  to?: number | string;
  limit?: number;
  period?: string;
  localOnly?: boolean;
}

/** A progress frame of a batch: `batch_progress` (`progress` "2/3") or `data_status` (downloads). */
export interface BatchProgress {
  type: 'batch_progress' | 'data_status';
  symbol: string;
  progress?: string;
  status?: string;
  fetched?: number;
  page?: number;
  raw: Json;
}

interface BatchIo {
  id: string;
  frame: Json;
  timeoutMs: number;
  bind(handler: (f: Json) => void): void;
  done(): void;
  send(frame: Json, fail: (err: CandlecastError) => void): void;
}

/** Runs one `history_batch`: resolves at `batch_done`; the timeout counts from the last frame (downloads are slow). */
export function runHistoryBatch(io: BatchIo, onProgress?: (p: BatchProgress) => void)
    : Promise<Record<string, Candle[] | CandlecastError>> {
  return new Promise((resolve, reject) => {
    const results: Record<string, Candle[] | CandlecastError> = {};
    let timer: ReturnType<typeof setTimeout> | null = null;
    const fail = (err: CandlecastError) => {
      if (timer) clearTimeout(timer);
      io.done();
      reject(err);
    };
    const arm = () => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => fail(new CandlecastError('timeout', 'history_batch: nothing heard in ' + io.timeoutMs + ' ms')), io.timeoutMs);
    };
    io.bind((f) => {
      arm();
      switch (f.type) {
        case 'batch_progress':
        case 'data_status':
          if (onProgress) {
            try {
              onProgress({ type: f.type, symbol: f.symbol, progress: f.progress, status: f.status, fetched: f.fetched, page: f.page, raw: f });
            } catch (e) {
              console.error('candlecast: onProgress threw', e);
            }
          }
          return;
        case 'history': {
          const list: Json[] = Array.isArray(f.candles) ? f.candles : [];
          results[f.symbol] = list.map((c) => candleFromFrame(c, f.symbol, f.tf));
          return;
        }
        case 'error':
          if (typeof f.symbol === 'string') results[f.symbol] = errorFromFrame(f);
          else fail(errorFromFrame(f));
          return;
        case 'batch_done':
          if (timer) clearTimeout(timer);
          io.done();
          resolve(results);
          return;
        default:
          return;
      }
    });
    arm();
    io.send(io.frame, fail);
  });
}

/** The shared parameters of a `history_batch` command. */
export function batchParams(o: HistoryBatchOptions): Json {
  const p: Json = {};
  if (o.from !== undefined) p.from = o.from;
  if (o.to !== undefined) p.to = o.to;
  if (o.limit !== undefined) p.limit = o.limit;
  if (o.period !== undefined) p.period = o.period;
  if (o.localOnly !== undefined) p.local_only = o.localOnly;
  return p;
}

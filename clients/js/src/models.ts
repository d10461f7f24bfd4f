/** Typed models (docs/CLIENTS.md, "Typed models"): what the client delivers, camelCase, numbers as sent. */

type Json = Record<string, any>;

export interface Candle {
  symbol: string;
  tf: string;
  /** Open time, epoch ms (what `since` takes). */
  t: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  trades: number;
  closed: boolean;
  partial: boolean;
  /** `exchange` or `import` for bars not folded from trades; absent for trades candles. */
  src?: string;
  /** Open time in seconds (t / 1000), what Lightweight Charts wants. */
  time: number;
}

export interface Trade {
  symbol: string;
  id: number;
  t: number;
  price: number;
  amount: number;
  side: string;
}

export interface Ticker {
  symbol: string;
  last: number;
  open24h: number;
  change: number;
  changePct: number;
  high: number;
  low: number;
  volume: number;
  trades: number;
  time: number;
  bid?: number;
  ask?: number;
  spread?: number;
}

export type Level = [price: number, amount: number];

export interface Book {
  symbol: string;
  depth: number;
  seq: number;
  time: number;
  bids: Level[];
  asks: Level[];
}

export interface IndicatorPoint {
  symbol: string;
  tf: string;
  key: string;
  t: number;
  closed: boolean;
  /** The point's numeric fields (`value`; `macd`, `signal`, `hist`; `upper`, `middle`, `lower`; …). */
  values: Record<string, number>;
  /** The point as sent (a pattern detection keeps `pattern`, `direction`, `inputs` here). */
  raw: Json;
}

export interface AlertFire {
  fire: string;
  alert: string;
  owner: string;
  symbol: string;
  kind: string;
  condition: Json | null;
  note: string;
  trade: Json | null;
  candle: Json | null;
  value: number | null;
  threshold: number | null;
  firedAt: number;
  recordedAt: number;
  seq: number;
  final: boolean;
  raw: Json;
}

export interface Notice {
  id: string;
  text: string;
  level: string;
  link: string | null;
  symbol: string | null;
  time: number;
}

export interface PortfolioPosition {
  symbol: string;
  quantity: number;
  avgCost: number;
  price: number | null;
  value: number | null;
  cost: number;
  pnl: number | null;
  pnlPct: number | null;
  change24hPct: number | null;
  side: string;
}

export interface Portfolio {
  owner: string;
  time: number;
  positions: PortfolioPosition[];
  totals: { value: number; cost: number; pnl: number; pnlPct: number | null; unpriced: number };
}

export interface CandleSnapshot {
  symbol: string;
  tf: string;
  /** null on a first subscribe; false when the server could not resume (replace, do not append). */
  recovered: boolean | null;
  candles: Candle[];
}

export interface TradeSnapshot {
  symbol: string;
  recovered: boolean | null;
  trades: Trade[];
}

export interface IndicatorSnapshot {
  symbol: string;
  tf: string;
  key: string;
  recovered: boolean | null;
  fields: string[];
  points: IndicatorPoint[];
}

/** A candle of the JSON protocol: an update frame, or a snapshot element with the frame's symbol and tf. */
export function candleFromFrame(f: Json, symbol: string, tf: string): Candle {
  const c: Candle = {
    symbol,
    tf,
    t: f.t,
    open: f.open,
    high: f.high,
    low: f.low,
    close: f.close,
    volume: f.volume,
    trades: f.trades,
    closed: f.closed === true,
    partial: f.partial === true,
    time: f.t / 1000,
  };
  if (f.src !== undefined) c.src = f.src;
  return c;
}

/** A candle of REST (`o h l c v n x`). */
export function candleFromRest(f: Json): Candle {
  const c: Candle = {
    symbol: f.symbol,
    tf: f.tf,
    t: f.t,
    open: f.o,
    high: f.h,
    low: f.l,
    close: f.c,
    volume: f.v,
    trades: f.n,
    closed: f.x === true,
    partial: f.partial === true,
    time: f.t / 1000,
  };
  if (f.src !== undefined) c.src = f.src;
  return c;
}

/** A trade element (`id t p q side`), frames and REST alike. */
export function tradeFrom(f: Json, symbol: string): Trade {
  return { symbol, id: f.id, t: f.t, price: f.p, amount: f.q, side: f.side };
}

export function tickerFrom(f: Json): Ticker {
  const t: Ticker = {
    symbol: f.symbol,
    last: f.last,
    open24h: f.open24h,
    change: f.change,
    changePct: f.changePct,
    high: f.high,
    low: f.low,
    volume: f.volume,
    trades: f.trades,
    time: f.time,
  };
  if (f.bid !== undefined) t.bid = f.bid;
  if (f.ask !== undefined) t.ask = f.ask;
  if (f.spread !== undefined) t.spread = f.spread;
  return t;
}

export function bookFrom(f: Json, depth: number): Book {
  return {
    symbol: f.symbol,
    depth: f.depth ?? depth,
    seq: f.seq,
    time: f.time,
    bids: f.bids ?? [],
    asks: f.asks ?? [],
  };
}

/** A point (snapshot element or live frame): numeric fields other than `t` go to `values`. */
export function pointFrom(f: Json, symbol: string, tf: string, key: string): IndicatorPoint {
  const values: Record<string, number> = {};
  for (const k in f) {
    if (k !== 't' && typeof f[k] === 'number') values[k] = f[k];
  }
  return { symbol, tf, key, t: f.t, closed: f.closed !== false, values, raw: f };
}

export function alertFireFrom(f: Json): AlertFire {
  return {
    fire: f.fire,
    alert: f.alert,
    owner: f.owner,
    symbol: f.symbol,
    kind: f.kind,
    condition: f.condition ?? null,
    note: f.note ?? '',
    trade: f.trade ?? null,
    candle: f.candle ?? null,
    value: f.value ?? null,
    threshold: f.threshold ?? null,
    firedAt: f.firedAt,
    recordedAt: f.recordedAt,
    seq: f.seq,
    final: f.final === true,
    raw: f,
  };
}

export function noticeFrom(f: Json): Notice {
  return {
    id: f.id,
    text: f.text,
    level: f.level ?? 'info',
    link: f.link ?? null,
    symbol: f.symbol ?? null,
    time: f.time,
  };
}

export function portfolioFrom(f: Json): Portfolio {
  return { owner: f.owner, time: f.time, positions: f.positions ?? [], totals: f.totals };
}

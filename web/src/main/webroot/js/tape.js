/*
 * The trade feed's pure logic: trade rows (newest first, bounded, each trade id once) fed by the JS client's trades
 * stream. No DOM: panels.js draws what this holds. Trade elements are {id, t, p, q, side} (GET /api/trades' shape).
 */
import { SYMBOL_RE, formatPrice } from './model.js';
import { tradeOf } from './live.js';

export const TAPE_ROWS = 50;

/** A trade element {id, t, p, q, side, seq?} -> a checked copy, or null when malformed. */
export function toTrade(x) {
  if (!x || typeof x !== 'object') return null;
  if (!Number.isFinite(x.id) || !Number.isFinite(x.t) || !Number.isFinite(x.p) || !Number.isFinite(x.q)) return null;
  if (x.side !== 'buy' && x.side !== 'sell') return null;
  const out = { id: x.id, t: x.t, p: x.p, q: x.q, side: x.side };
  if (Number.isFinite(x.seq)) out.seq = x.seq;
  return out;
}

/** The trades of a list (REST answer or update body), malformed ones dropped; [] when it is not a list. */
export function toTrades(list) {
  return Array.isArray(list) ? list.map(toTrade).filter(Boolean) : [];
}

/** Rows newest first, at most `max`, a trade id at most once. */
export class TradeRows {
  constructor(max = TAPE_ROWS) {
    this.max = max;
    this.rows = [];
  }

  /** Adds trades given oldest first (in log order) on top; known ids are skipped. Returns how many were added. */
  add(trades) {
    const known = new Set(this.rows.map((r) => r.id));
    const fresh = [];
    for (const t of trades) {
      if (known.has(t.id)) continue;
      known.add(t.id);
      fresh.push(t);
    }
    if (!fresh.length) return 0;
    this.rows = fresh.reverse().concat(this.rows).slice(0, this.max);
    return fresh.length;
  }

  /** Replaces every row (a reload of the newest trades, given oldest first). */
  replace(trades) {
    this.rows = [];
    this.add(trades);
  }

  newestId() {
    return this.rows.length ? this.rows[0].id : null;
  }
}

/**
 * The rows of one symbol from the JS client's trades(symbol) stream, which resumes after every reconnect without a gap
 * or a duplicate (docs/CLIENTS.md): its first snapshot, and one that could not resume (`recovered:false`), replace
 * the rows; a resumed one (`recovered:true`) and every trade add to them (ids seen are skipped).
 */
export class TapeFeed {
  /** @param {object} o {symbol, rows?: TradeRows, onChange?()} */
  constructor(o) {
    if (!SYMBOL_RE.test(o.symbol || '')) throw new Error(`bad symbol '${o.symbol}'`);
    this.symbol = o.symbol;
    this.rows = o.rows || new TradeRows();
    this.onChange = o.onChange || (() => {});
    this.counters = { snapshots: 0, resumed: 0, unrecovered: 0, updates: 0 };
  }

  /** The stream's snapshot {recovered: null|true|false, trades: [Trade]}. */
  onSnapshot(s) {
    const trades = toTrades((s && Array.isArray(s.trades) ? s.trades : []).map(tradeOf));
    if (s && s.recovered === true) {
      this.counters.resumed++;
      this.rows.add(trades);
    } else {
      this.counters.snapshots++;
      if (s && s.recovered === false) this.counters.unrecovered++;
      this.rows.replace(trades);
    }
    this.onChange();
  }

  /** One trade of the stream (a client Trade). */
  onUpdate(t) {
    const x = toTrade(tradeOf(t));
    if (!x || (t.symbol && t.symbol !== this.symbol)) return;
    this.counters.updates++;
    if (this.rows.add([x])) this.onChange();
  }
}

/** A row's text: {time, price, size, side}. `timeFmt(ms)` formats the time; `decimals` the price. */
export function formatTradeRow(t, timeFmt, decimals) {
  return { time: timeFmt(t.t), price: formatPrice(t.p, decimals), size: formatSize(t.q), side: t.side };
}

/** An amount without exponent, grouped: up to 6 decimals below 1, 4 from 1, 2 from 1000 ("0.0125", "1,234.5"). */
export function formatSize(q) {
  if (!Number.isFinite(q)) return '–';
  const abs = Math.abs(q);
  const digits = abs >= 1000 ? 2 : abs >= 1 ? 4 : 6;
  return q.toLocaleString('en-US', { maximumFractionDigits: digits });
}

/*
 * The trade feed's pure logic: trade rows (newest first, bounded, each trade id once) and the catch-up that makes
 * the feed resume without a gap after a reconnect. No DOM: panels.js draws what this holds.
 *
 * Sources: GET /api/trades (oldest first) and the bridge's trades.<SYMBOL> updates {"symbol","prev","trades":[…]}
 * whose trades carry `seq` (their position in the symbol's log) and `prev` (the seq of the trade before the first).
 */
import { SYMBOL_RE, formatPrice } from './model.js';

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
 * Keeps a symbol's rows complete across reconnects and lost updates. On every (re)connect (`open()`, called after the
 * bridge address is registered) live updates are held while the trades after the newest row are fetched
 * (`since=<id>`; the newest rows instead when there is none, when they are no longer held (410) or when a full page
 * came back, since only the newest rows are shown anyway); then the held updates follow, duplicates dropped by id.
 * A live update whose `prev` is after the last seq seen means updates were lost: the same catch-up runs.
 */
export class TapeSync {
  /**
   * @param {object} o {symbol, getJson(url) -> Promise, rows?: TradeRows, onChange?()}
   */
  constructor(o) {
    if (!SYMBOL_RE.test(o.symbol || '')) throw new Error(`bad symbol '${o.symbol}'`);
    this.symbol = o.symbol;
    this.getJson = o.getJson;
    this.rows = o.rows || new TradeRows();
    this.onChange = o.onChange || (() => {});
    this.held = null;       // updates received during a catch-up
    this.pending = null;
    this.lastSeq = null;    // seq of the newest live trade seen since the last catch-up
    this.counters = { fullLoads: 0, catchUps: 0, gaps: 0, updates: 0 };
  }

  url(since) {
    const q = `/api/trades?symbol=${this.symbol}&limit=${this.rows.max}`;
    return since == null ? q : `${q}&since=${since}`;
  }

  /** The catch-up (after a connect or a detected gap). Resolves when the rows are complete again. */
  open() {
    if (this.held) return this.pending;
    this.held = [];
    this.pending = this.catchUp().finally(() => {
      const held = this.held;
      this.held = null;
      this.lastSeq = null;
      held.forEach((b) => this.live(b));
      this.onChange();
    });
    return this.pending;
  }

  async catchUp() {
    const since = this.rows.newestId();
    if (since != null) {
      try {
        const after = toTrades(await this.getJson(this.url(since)));
        if (after.length < this.rows.max) {
          this.counters.catchUps++;
          this.rows.add(after);
          return;
        }
      } catch (e) {
        if (!e || e.status !== 410) throw e;
      }
    }
    this.counters.fullLoads++;
    this.rows.replace(toTrades(await this.getJson(this.url(null))));
  }

  /** A live body of trades.<SYMBOL>. */
  live(body) {
    if (!body || typeof body !== 'object' || (body.symbol && body.symbol !== this.symbol)) return;
    if (this.held) {
      this.held.push(body);
      return;
    }
    const trades = toTrades(body.trades);
    if (!trades.length) return;
    if (this.lastSeq != null && Number.isFinite(body.prev) && body.prev > this.lastSeq) {
      this.counters.gaps++;
      this.open().catch(() => {});
      this.held.push(body);
      return;
    }
    const seqs = trades.map((t) => t.seq).filter(Number.isFinite);
    if (seqs.length) this.lastSeq = Math.max(this.lastSeq == null ? -Infinity : this.lastSeq, ...seqs);
    this.counters.updates++;
    if (this.rows.add(trades)) this.onChange();
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

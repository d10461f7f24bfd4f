/*
 * The order-book ladder's pure view model. Source: the JS client's book stream: full books (never diffs) with a `seq`
 * that grows per symbol, so the page replaces what it shows with any book newer than it, and ignores one that is not.
 */
import { SYMBOL_RE, priceDecimals, formatPrice } from './model.js';
import { formatSize } from './tape.js';

export const BOOK_DEPTH = 10;

function toLevels(list) {
  if (!Array.isArray(list)) return null;
  const out = [];
  for (const l of list) {
    if (!Array.isArray(l) || !Number.isFinite(l[0]) || !Number.isFinite(l[1]) || l[1] <= 0) return null;
    out.push([l[0], l[1]]);
  }
  return out;
}

/** Book JSON {symbol, seq, time, bids, asks} -> a checked book cut to `depth` levels a side, or null when malformed. */
export function toBook(body, depth = BOOK_DEPTH) {
  if (!body || typeof body !== 'object' || !SYMBOL_RE.test(body.symbol || '') || !Number.isFinite(body.seq)) return null;
  const bids = toLevels(body.bids);
  const asks = toLevels(body.asks);
  if (!bids || !asks) return null;
  return {
    symbol: body.symbol, seq: body.seq, time: Number.isFinite(body.time) ? body.time : null,
    bids: bids.slice(0, depth), asks: asks.slice(0, depth),
  };
}

/** Whether `next` replaces `cur`: it is newer (higher seq) for the same symbol. */
export function isNewerBook(cur, next) {
  return !!next && (!cur || (cur.symbol === next.symbol && next.seq > cur.seq));
}

function side(levels, maxCum, decimals) {
  let cum = 0;
  return levels.map(([price, size]) => {
    cum += size;
    return {
      price, size, cum, pct: maxCum > 0 ? (cum / maxCum) * 100 : 0,
      text: { price: formatPrice(price, decimals), size: formatSize(size), cum: formatSize(cum) },
    };
  });
}

/**
 * The ladder: {asks (highest first, so the best ask sits just above the spread), bids (best first), spread, spreadPct,
 * mid, text}. Each level has its cumulative size from the best price outwards and `pct`, its depth bar's width: the
 * cumulative size as a percentage of the larger side's total (both sides on one scale).
 */
export function bookView(book) {
  if (!book) return { asks: [], bids: [], spread: null, spreadPct: null, mid: null, text: { spread: '–' } };
  const total = (ls) => ls.reduce((s, l) => s + l[1], 0);
  const maxCum = Math.max(total(book.bids), total(book.asks));
  const ref = book.bids.length ? book.bids[0][0] : book.asks.length ? book.asks[0][0] : NaN;
  const decimals = priceDecimals(ref);
  const bids = side(book.bids, maxCum, decimals);
  const asks = side(book.asks, maxCum, decimals).reverse();
  const bestBid = book.bids.length ? book.bids[0][0] : null;
  const bestAsk = book.asks.length ? book.asks[0][0] : null;
  if (bestBid == null || bestAsk == null) {
    return { asks, bids, spread: null, spreadPct: null, mid: null, text: { spread: '–' } };
  }
  const spread = bestAsk - bestBid;
  const mid = (bestAsk + bestBid) / 2;
  const spreadPct = (spread / mid) * 100;
  return {
    asks, bids, spread, spreadPct, mid,
    text: { spread: `${formatPrice(spread, decimals)} (${spreadPct.toFixed(3)}%)` },
  };
}

/**
 * Keeps a symbol's book current from the JS client's book(symbol, {depth}) stream (the current book first, then every
 * change, again after a reconnect): a book replaces the shown one only when newer.
 */
export class BookSync {
  /** @param {object} o {symbol, depth?, onChange?(book)} */
  constructor(o) {
    if (!SYMBOL_RE.test(o.symbol || '')) throw new Error(`bad symbol '${o.symbol}'`);
    this.symbol = o.symbol;
    this.depth = o.depth || BOOK_DEPTH;
    this.onChange = o.onChange || (() => {});
    this.book = null;
    this.counters = { updates: 0, ignored: 0 };
  }

  /** A book of the stream (a client Book: {symbol, depth, seq, time, bids, asks}). */
  onUpdate(body) {
    this.counters.updates++;
    return this.offer(body);
  }

  offer(body) {
    const b = toBook(body, this.depth);
    if (!b || b.symbol !== this.symbol || !isNewerBook(this.book, b)) {
      this.counters.ignored++;
      return false;
    }
    this.book = b;
    this.onChange(b);
    return true;
  }
}

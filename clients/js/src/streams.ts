import { BaseSubscription, RecentSet, StreamHandlers } from './subscription.js';
import {
  Book, Candle, CandleSnapshot, Ticker, Trade, TradeSnapshot,
  bookFrom, candleFromFrame, tickerFrom, tradeFrom,
} from './models.js';

type Json = Record<string, any>;

export interface CandleOptions extends StreamHandlers<CandleSnapshot, Candle> {
  /** The open candle at most once per interval (0–60000 ms); closed candles always, at once. */
  throttleMs?: number;
}

/**
 * Candles of (symbol, tf). Resume: `since` = newest closed open time + 1 (or the first candle's open time when
 * none closed yet); from a recovered snapshot only newer windows, and for windows delivered open only versions with
 * more trades, closed or newly partial, are delivered — each closed candle once. A candles `gap` notice resubscribes
 * at once with `since` = its `from` (the same recovery).
 */
export class CandleSubscription extends BaseSubscription<CandleSnapshot, Candle> {
  symbol: string;
  readonly tf: string;
  private lastClosedT: number | null = null;
  private firstT: number | null = null;
  /** Open windows delivered: t → [trades, partial]. */
  private readonly opens = new Map<number, [number, boolean]>();
  /** Recently delivered closed windows: t → partial (a gap may re-mark one partial once). */
  private readonly recentClosed = new Map<number, boolean>();
  /** The `from` of a gap notice until the resubscribe's snapshot arrives: the resume position then. */
  private gapSince: number | null = null;

  constructor(symbol: string, tf: string, private readonly opts: CandleOptions) {
    super(opts);
    this.symbol = symbol;
    this.tf = tf;
  }

  protected subscribeCommand(): Json {
    const cmd: Json = { type: 'subscribe', symbol: this.symbol, tf: this.tf };
    if (this.opts.throttleMs !== undefined) cmd.throttleMs = this.opts.throttleMs;
    const since = this.gapSince ?? (this.lastClosedT !== null ? this.lastClosedT + 1 : this.firstT);
    if ((this.started || this.gapSince !== null) && since !== null) cmd.since = since;
    return cmd;
  }

  protected unsubscribeCommand(): Json {
    return { type: 'unsubscribe', symbol: this.symbol, tf: this.tf };
  }

  protected onAck(f: Json): string {
    if (typeof f.symbol === 'string') this.symbol = f.symbol;
    return 'c|' + this.symbol + '|' + this.tf;
  }

  protected hasSnapshot(): boolean {
    return true;
  }

  protected override onSnapshotFrame(f: Json): boolean {
    const list: Json[] = Array.isArray(f.candles) ? f.candles : [];
    const recovered: boolean | null = typeof f.recovered === 'boolean' ? f.recovered : null;
    const candles = list.map((e) => candleFromFrame(e, this.symbol, this.tf));
    this.gapSince = null;
    if (recovered === true) {
      this.stats.resumes++;
      for (const c of candles) this.offer(c);
      return true;
    }
    if (recovered === false) this.stats.unrecovered++;
    this.reset();
    for (const c of candles) this.remember(c);
    this.firstT = candles.length ? candles[0]!.t : null;
    this.emitSnapshot({ symbol: this.symbol, tf: this.tf, recovered, candles });
    return true;
  }

  live(f: Json): void {
    if (this.phase !== 'live') return;
    if (f.type === 'gap') {
      // closed windows from <= t < to will not come live (the router checked the notice): resubscribe from `from`;
      // offer() keeps what was delivered before from coming twice
      this.gapSince = f.from;
      this.restart();
      return;
    }
    this.offer(candleFromFrame(f, this.symbol, this.tf));
  }

  private offer(c: Candle): void {
    const t = c.t;
    if (this.lastClosedT !== null && t <= this.lastClosedT) {
      const was = this.recentClosed.get(t);
      if (!(c.closed && c.partial && was === false)) return;
      this.recentClosed.set(t, true);
      this.emitUpdate(c);
      return;
    }
    const open = this.opens.get(t);
    if (open && !c.closed && c.trades <= open[0] && c.partial === open[1]) return;
    this.remember(c);
    if (this.firstT === null) this.firstT = t;
    this.emitUpdate(c);
  }

  private remember(c: Candle): void {
    if (!c.closed) {
      this.opens.set(c.t, [c.trades, c.partial]);
      return;
    }
    this.opens.delete(c.t);
    if (this.lastClosedT === null || c.t > this.lastClosedT) this.lastClosedT = c.t;
    this.recentClosed.set(c.t, c.partial);
    if (this.recentClosed.size > 64) this.recentClosed.delete(this.recentClosed.keys().next().value as number);
    if (this.opens.size > 8) for (const k of [...this.opens.keys()]) if (k <= this.lastClosedT) this.opens.delete(k);
  }

  private reset(): void {
    this.lastClosedT = null;
    this.firstT = null;
    this.opens.clear();
    this.recentClosed.clear();
  }
}

export interface TradeOptions extends StreamHandlers<TradeSnapshot, Trade> {
  /** At most that many trades per frame (server default and cap 100). */
  batch?: number;
}

/**
 * The symbol's tape. Resume: `since` = id of the last trade delivered; the recovered snapshot's trades (and the
 * `trades` frames completing it) are delivered as Trade items. A `gap` marker resubscribes at once from its `since`.
 */
export class TradeSubscription extends BaseSubscription<TradeSnapshot, Trade> {
  symbol: string;
  private lastId: number | null = null;
  private readonly seen = new RecentSet<number>(10000);
  /** Trades of the snapshot still to come in `trades` frames. */
  private remaining = 0;
  private collecting: Trade[] | null = null;
  private collectingRecovered: boolean | null = null;

  constructor(symbol: string, private readonly opts: TradeOptions) {
    super(opts);
    this.symbol = symbol;
  }

  protected subscribeCommand(): Json {
    const cmd: Json = { type: 'subscribe', channel: 'trades', symbol: this.symbol };
    if (this.opts.batch !== undefined) cmd.batch = this.opts.batch;
    if (this.started && this.lastId !== null) cmd.since = this.lastId;
    return cmd;
  }

  protected unsubscribeCommand(): Json {
    return { type: 'unsubscribe', channel: 'trades', symbol: this.symbol };
  }

  protected onAck(f: Json): string {
    if (typeof f.symbol === 'string') this.symbol = f.symbol;
    return 't|' + this.symbol;
  }

  protected hasSnapshot(): boolean {
    return true;
  }

  protected override onSnapshotFrame(f: Json): boolean {
    const list: Json[] = Array.isArray(f.trades) ? f.trades : [];
    const recovered: boolean | null = typeof f.recovered === 'boolean' ? f.recovered : null;
    const count = typeof f.count === 'number' ? f.count : list.length;
    this.remaining = Math.max(0, count - list.length);
    if (recovered === true) {
      this.stats.resumes++;
      this.collecting = null;
      for (const e of list) this.offer(tradeFrom(e, this.symbol));
    } else {
      if (recovered === false) this.stats.unrecovered++;
      this.seen.clear();
      this.collecting = list.map((e) => tradeFrom(e, this.symbol));
      this.collectingRecovered = recovered;
    }
    if (this.remaining > 0) return false;
    this.flushSnapshot();
    return true;
  }

  live(f: Json): void {
    if (f.type === 'gap') {
      if (this.phase !== 'live') return;
      if (f.since !== null && f.since !== undefined) this.lastId = f.since;
      this.restart();
      return;
    }
    if (this.phase !== 'live' && this.phase !== 'snapshot') return;
    const list: Json[] = Array.isArray(f.trades) ? f.trades : [];
    if (this.phase === 'snapshot' && this.remaining > 0) {
      this.remaining -= list.length;
      if (this.collecting) for (const e of list) this.collecting.push(tradeFrom(e, this.symbol));
      else for (const e of list) this.offer(tradeFrom(e, this.symbol));
      if (this.remaining <= 0) {
        this.flushSnapshot();
        this.goLive();
      }
      return;
    }
    if (this.phase !== 'live') return;
    for (const e of list) this.offer(tradeFrom(e, this.symbol));
  }

  private flushSnapshot(): void {
    const trades = this.collecting;
    if (!trades) return;
    this.collecting = null;
    for (const t of trades) this.seen.add(t.id);
    if (trades.length) this.lastId = trades[trades.length - 1]!.id;
    this.emitSnapshot({ symbol: this.symbol, recovered: this.collectingRecovered, trades });
  }

  private offer(t: Trade): void {
    if (!this.seen.add(t.id)) return;
    this.lastId = t.id;
    this.emitUpdate(t);
  }
}

export interface TickerOptions extends StreamHandlers<void, Ticker> {}

/** The 24 h ticker; after a reconnect the current ticker is delivered unless equal to the last one. */
export class TickerSubscription extends BaseSubscription<void, Ticker> {
  symbol: string;
  private last: Ticker | null = null;

  constructor(symbol: string, opts: TickerOptions) {
    super(opts);
    this.symbol = symbol;
  }

  protected subscribeCommand(): Json {
    return { type: 'subscribe', channel: 'ticker', symbol: this.symbol };
  }

  protected unsubscribeCommand(): Json {
    return { type: 'unsubscribe', channel: 'ticker', symbol: this.symbol };
  }

  protected onAck(f: Json): string {
    if (typeof f.symbol === 'string') this.symbol = f.symbol;
    return 'k|' + this.symbol;
  }

  protected hasSnapshot(): boolean {
    return false;
  }

  live(f: Json): void {
    const t = tickerFrom(f);
    const l = this.last;
    if (l && l.time === t.time && l.last === t.last && l.volume === t.volume && l.trades === t.trades
        && l.bid === t.bid && l.ask === t.ask) return;
    this.last = t;
    this.emitUpdate(t);
  }
}

export interface BookOptions extends StreamHandlers<void, Book> {
  depth?: 10 | 25 | 100;
}

/** Order book snapshots (each the whole depth); a book whose `seq` is not newer than the last is dropped. */
export class BookSubscription extends BaseSubscription<void, Book> {
  symbol: string;
  private lastSeq = -Infinity;

  constructor(symbol: string, private readonly opts: BookOptions) {
    super(opts);
    this.symbol = symbol;
  }

  protected subscribeCommand(): Json {
    const cmd: Json = { type: 'subscribe', channel: 'book', symbol: this.symbol };
    if (this.opts.depth !== undefined) cmd.depth = this.opts.depth;
    return cmd;
  }

  protected unsubscribeCommand(): Json {
    return { type: 'unsubscribe', channel: 'book', symbol: this.symbol };
  }

  protected onAck(f: Json): string {
    if (typeof f.symbol === 'string') this.symbol = f.symbol;
    return 'b|' + this.symbol;
  }

  protected hasSnapshot(): boolean {
    return true;
  }

  protected override onSnapshotFrame(f: Json): boolean {
    // the snapshot is the current book: one older than the last delivered means a re-created topic (start over);
    // the same seq again (a reconnect with no change) is dropped
    if (typeof f.seq === 'number' && f.seq < this.lastSeq) this.lastSeq = -Infinity;
    this.offer(f);
    return true;
  }

  live(f: Json): void {
    if (this.phase === 'live') this.offer(f);
  }

  private offer(f: Json): void {
    const b = bookFrom(f, this.opts.depth ?? 10);
    if (typeof b.seq === 'number' && b.seq <= this.lastSeq) return;
    if (typeof b.seq === 'number') this.lastSeq = b.seq;
    this.emitUpdate(b);
  }
}

import { BaseSubscription, RecentSet, StreamHandlers } from './subscription.js';
import { AlertFire, IndicatorPoint, IndicatorSnapshot, Portfolio, alertFireFrom, pointFrom, portfolioFrom } from './models.js';

type Json = Record<string, any>;

export interface IndicatorOptions extends StreamHandlers<IndicatorSnapshot, IndicatorPoint> {
  /** Points in the snapshot (0–5000, server default 500). */
  limit?: number;
}

/**
 * An analysis series: channel `indicator` (with a name and params), `patterns` or `risk`. Resume: resubscribe;
 * from the new snapshot only points after the last closed point delivered are delivered; when the snapshot's
 * oldest point is newer than that point the gap cannot be closed: a `recovered:false` snapshot. Pattern points are
 * detections (only windows that showed one), so for them only "after the last detection" applies.
 */
export class IndicatorSubscription extends BaseSubscription<IndicatorSnapshot, IndicatorPoint> {
  symbol: string;
  key = '';
  private fields: string[] = [];
  private lastClosedT: number | null = null;

  constructor(
    private readonly channel: 'indicator' | 'patterns' | 'risk',
    symbol: string,
    readonly tf: string,
    private readonly name: string | null,
    private readonly params: Json | undefined,
    private readonly opts: IndicatorOptions,
  ) {
    super(opts);
    this.symbol = symbol;
  }

  protected subscribeCommand(): Json {
    const cmd: Json = { type: 'subscribe', channel: this.channel, symbol: this.symbol, tf: this.tf };
    if (this.name !== null) cmd.name = this.name;
    if (this.params !== undefined) cmd.params = this.params;
    if (this.opts.limit !== undefined) cmd.limit = this.opts.limit;
    return cmd;
  }

  protected unsubscribeCommand(): Json {
    const cmd: Json = { type: 'unsubscribe', channel: this.channel, symbol: this.symbol, tf: this.tf };
    if (this.key) cmd.key = this.key;
    else {
      if (this.name !== null) cmd.name = this.name;
      if (this.params !== undefined) cmd.params = this.params;
    }
    return cmd;
  }

  protected onAck(f: Json): string {
    if (typeof f.symbol === 'string') this.symbol = f.symbol;
    if (typeof f.key === 'string') this.key = f.key;
    return 'a|' + this.symbol + '|' + this.tf + '|' + this.key;
  }

  protected hasSnapshot(): boolean {
    return true;
  }

  protected override onSnapshotFrame(f: Json): boolean {
    if (typeof f.key === 'string') this.key = f.key;
    if (Array.isArray(f.fields)) this.fields = f.fields;
    const points = (Array.isArray(f.points) ? f.points : []).map((p: Json) => this.point(p));
    const last = this.lastClosedT;
    if (this.started && last !== null) {
      const oldest = points.length ? points[0].t : null;
      const gap = this.channel !== 'patterns' && oldest !== null && oldest > last;
      if (!gap) {
        this.stats.resumes++;
        for (const p of points) if (p.t > last) this.emitPoint(p);
        return true;
      }
      this.stats.unrecovered++;
    }
    this.lastClosedT = null;
    for (const p of points) if (p.closed) this.lastClosedT = p.t;
    const recovered = this.started ? false : null;
    this.emitSnapshot({ symbol: this.symbol, tf: this.tf, key: this.key, recovered, fields: this.fields, points });
    return true;
  }

  live(f: Json): void {
    if (this.phase !== 'live') return;
    if (f.type === 'patterns') {
      // one frame per window: its detections are delivered together, once
      const list: Json[] = Array.isArray(f.patterns) ? f.patterns : [];
      const points = list.map((d) => this.point({ t: f.t, closed: true, ...d }));
      if (points.length && this.lastClosedT !== null && points[0]!.t <= this.lastClosedT) return;
      for (const p of points) this.emitPoint(p);
      return;
    }
    const p: Json = {};
    for (const k in f) if (k !== 'type' && k !== 'symbol' && k !== 'tf' && k !== 'key') p[k] = f[k];
    this.offer(this.point(p));
  }

  private point(p: Json): IndicatorPoint {
    return pointFrom(p, this.symbol, this.tf, this.key);
  }

  private offer(p: IndicatorPoint): void {
    if (this.lastClosedT !== null && p.t <= this.lastClosedT) return;
    this.emitPoint(p);
  }

  private emitPoint(p: IndicatorPoint): void {
    if (p.closed) this.lastClosedT = p.t;
    this.emitUpdate(p);
  }
}

export interface AlertOptions extends StreamHandlers<void, AlertFire> {
  /** Deliver fires recorded after this time (epoch ms, `recordedAt`). */
  since?: number;
}

/** The owner's alert fires. Resume: `since` = largest `recordedAt` delivered; fires deduplicated by `fire` id. */
/** Subtracted from the server's connect time when alerts resume before any fire (a cluster's clocks differ a little). */
export const ALERT_RESUME_MARGIN_MS = 1000;

/**
 * The `since` an alerts subscribe sends: the largest `recordedAt` delivered (or the one asked for); else, once a
 * connection acknowledged the subscription, that connection's server time minus the margin (not below 0); else none
 * (the first subscribe: live fires only). Fires are deduplicated by id, so the margin never duplicates.
 */
export function alertResumeSince(since: number | undefined, firstAckServerTime: number | undefined): number | undefined {
  if (since !== undefined) return since;
  if (firstAckServerTime === undefined) return undefined;
  return Math.max(0, firstAckServerTime - ALERT_RESUME_MARGIN_MS);
}

/** A stream of the connection's owner (alerts, portfolio): no symbol, no snapshot, routed by its channel. */
abstract class OwnerStreamSubscription<U> extends BaseSubscription<void, U> {
  constructor(private readonly channel: 'alerts' | 'portfolio', handlers: StreamHandlers<void, U>) {
    super(handlers);
  }

  /** Resume fields of the subscribe command (none by default). */
  protected resumeFields(_cmd: Json): void {}

  protected subscribeCommand(): Json {
    const cmd: Json = { type: 'subscribe', channel: this.channel };
    this.resumeFields(cmd);
    return cmd;
  }

  protected unsubscribeCommand(): Json {
    return { type: 'unsubscribe', channel: this.channel };
  }

  protected onAck(_f: Json): string {
    return this.channel;
  }

  protected hasSnapshot(): boolean {
    return false;
  }
}

/** The owner's alert fires, each once; resumes with `since` (see {@link alertResumeSince}). */
export class AlertSubscription extends OwnerStreamSubscription<AlertFire> {
  private since: number | undefined;
  private firstAckServerTime: number | undefined;
  private readonly seen = new RecentSet<string>(10000);

  constructor(opts: AlertOptions) {
    super('alerts', opts);
    this.since = opts.since;
  }

  protected override resumeFields(cmd: Json): void {
    const since = alertResumeSince(this.since, this.firstAckServerTime);
    if (since !== undefined) cmd.since = since;
  }

  protected override onAck(f: Json): string {
    if (this.firstAckServerTime === undefined) this.firstAckServerTime = this.host?.serverTimeAtConnect;
    return super.onAck(f);
  }

  live(f: Json): void {
    if (typeof f.fire !== 'string' || !this.seen.add(f.fire)) return;
    if (typeof f.recordedAt === 'number' && (this.since === undefined || f.recordedAt > this.since)) {
      this.since = f.recordedAt;
    }
    this.emitUpdate(alertFireFrom(f));
  }
}

/**
 * The owner's portfolio valuations; resubscribed after a reconnect (a valuation is the whole state and the server
 * sends the current one first, so nothing can be missed).
 */
export class PortfolioSubscription extends OwnerStreamSubscription<Portfolio> {
  constructor(handlers: StreamHandlers<void, Portfolio>) {
    super('portfolio', handlers);
  }

  live(f: Json): void {
    this.emitUpdate(portfolioFrom(f));
  }
}

import { CandlecastError, errorFromFrame } from './errors.js';
import { AsyncQueue } from './queue.js';

type Json = Record<string, any>;

/** What a subscription's async iterator yields: the snapshot(s) and the updates, in delivery order. */
export type StreamItem<S, U> = { kind: 'snapshot'; data: S } | { kind: 'update'; data: U };

export interface SubscriptionStats {
  /** Resumes the server could not close (`recovered:false`): the consumer got a fresh snapshot to replace with. */
  unrecovered: number;
  /** Reconnects (or gap markers) after which the stream was resumed without gap. */
  resumes: number;
  /** Gap notices (trades, candles) after which the stream was resubscribed on the same connection to fill them. */
  gaps: number;
}

export interface StreamHandlers<S, U> {
  onSnapshot?(s: S): void;
  onUpdate?(u: U): void;
  onError?(e: CandlecastError): void;
}

/** What a subscription needs of the client's connection. */
export interface SubscriptionHost {
  /** Sends a subscription's command (the socket is open when called). */
  sendFrame(frame: Json): void;
  nextId(): string;
  /** Routes frames carrying `id` to `handler` until `release(id)`. */
  bindId(id: string, handler: (f: Json) => void): void;
  release(id: string): void;
  /** Routes live frames of `key` to the subscription. */
  route(key: string, sub: BaseSubscription<any, any>): void;
  unroute(key: string): void;
  /** The subscription reached live (err undefined), or the server refused it / timed out. */
  settled(sub: BaseSubscription<any, any>, err?: CandlecastError): void;
  /** The subscription ends on the user's request (or its refusal). */
  forget(sub: BaseSubscription<any, any>): Promise<void>;
  /** Sends a command and resolves at its reply, error, timeout or the connection's end (never rejects). */
  answered(frame: Json): Promise<void>;
  readonly requestTimeoutMs: number;
  /** The server's clock (epoch ms) when the current socket connected (its `connection` frame), if it said. */
  readonly serverTimeAtConnect: number | undefined;
}

type Phase = 'idle' | 'pending' | 'snapshot' | 'live' | 'closed';

/**
 * A subscription the client keeps and restores after every reconnect. Subclasses say which command subscribes
 * (with the resume position), what the snapshot is and how live frames become items, and filter what was already
 * delivered (docs/CLIENTS.md, "Subscriptions and resume").
 */
export abstract class BaseSubscription<S, U> implements AsyncIterable<StreamItem<S, U>> {
  readonly ready: Promise<void>;
  readonly stats: SubscriptionStats = { unrecovered: 0, resumes: 0, gaps: 0 };
  protected phase: Phase = 'idle';
  protected host: SubscriptionHost | null = null;
  protected cmdId: string | null = null;
  protected routeKey: string | null = null;
  /** True once something was delivered: a later subscribe is a resume. */
  protected started = false;
  private readyResolve!: () => void;
  private readyReject!: (e: unknown) => void;
  private isReady = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly queues = new Set<AsyncQueue<StreamItem<S, U>>>();

  constructor(protected readonly handlers: StreamHandlers<S, U>) {
    this.ready = new Promise<void>((res, rej) => {
      this.readyResolve = res;
      this.readyReject = rej;
    });
    this.ready.catch(() => undefined);
  }

  /** The subscribe command (without `id`) for the current resume position. */
  protected abstract subscribeCommand(): Json;
  /** The unsubscribe command (without `id`). */
  protected abstract unsubscribeCommand(): Json;
  /** The ack arrived: return the route key of live frames. */
  protected abstract onAck(f: Json): string;
  /** True when the stream has a snapshot frame after the ack. */
  protected abstract hasSnapshot(): boolean;
  /** The snapshot frame (or frames): return true once the catch-up is complete. */
  protected onSnapshotFrame(_f: Json): boolean {
    return true;
  }
  /** A live frame routed by key. */
  abstract live(f: Json): void;

  get isClosed(): boolean {
    return this.phase === 'closed';
  }

  /** Sends the subscribe command on the open socket (a new connection or a new subscription). */
  start(host: SubscriptionHost): void {
    if (this.phase === 'closed') return;
    this.host = host;
    this.detach();
    const id = host.nextId();
    this.cmdId = id;
    this.phase = 'pending';
    host.bindId(id, (f) => this.onIdFrame(f));
    this.timer = setTimeout(() => this.timedOut(), host.requestTimeoutMs);
    host.sendFrame({ ...this.subscribeCommand(), id });
  }

  /** The connection dropped: the subscription waits for the next one. */
  suspend(): void {
    if (this.phase === 'closed') return;
    this.detach();
    this.phase = 'idle';
  }

  /** Ends the subscription: unsubscribes when the socket is open; no reconnect restores it. */
  async close(): Promise<void> {
    if (this.phase === 'closed') return;
    const wasActive = this.phase !== 'idle';
    this.finish(new CandlecastError('closed', 'the subscription was closed'), false);
    if (wasActive && this.host) await this.host.answered(this.unsubscribeCommand());
    if (this.host) await this.host.forget(this);
  }

  /** The client closes (or is refused): the subscription ends without unsubscribing; iterators throw unless `closed`. */
  terminate(err: CandlecastError): void {
    this.finish(err, err.code !== 'closed');
  }

  [Symbol.asyncIterator](): AsyncIterator<StreamItem<S, U>> {
    const q: AsyncQueue<StreamItem<S, U>> = new AsyncQueue(() => {
      this.queues.delete(q);
      if (this.queues.size === 0) void this.close();
    });
    if (this.phase === 'closed') q.end();
    else this.queues.add(q);
    return q;
  }

  protected emitSnapshot(s: S): void {
    this.started = true;
    const h = this.handlers.onSnapshot;
    if (h) guard(() => h(s));
    if (this.queues.size) for (const q of this.queues) q.push({ kind: 'snapshot', data: s });
  }

  protected emitUpdate(u: U): void {
    this.started = true;
    const h = this.handlers.onUpdate;
    if (h) guard(() => h(u));
    if (this.queues.size) for (const q of this.queues) q.push({ kind: 'update', data: u });
  }

  protected emitError(e: CandlecastError): void {
    const h = this.handlers.onError;
    if (h) guard(() => h(e));
  }

  /** Restarts the subscription on the same connection (a `gap` notice of trades or candles). */
  protected restart(): void {
    const host = this.host;
    if (!host || this.phase !== 'live') return;
    this.stats.gaps++;
    const id = host.nextId();
    this.phase = 'pending';
    this.unrouteSelf();
    host.bindId(id, () => {
      host.release(id);
      if (this.phase === 'pending') this.start(host);
    });
    host.sendFrame({ ...this.unsubscribeCommand(), id });
  }

  private onIdFrame(f: Json): void {
    const type = f.type;
    if (type === 'error') {
      const err = errorFromFrame(f);
      if (this.phase === 'pending') this.refused(err);
      else {
        this.emitError(err);
        if (this.phase === 'snapshot') this.goLive();
      }
      return;
    }
    if (this.phase === 'pending' && type === 'subscription') {
      const key = this.onAck(f);
      this.routeKey = key;
      this.host?.route(key, this);
      this.phase = 'snapshot';
      if (!this.hasSnapshot()) this.goLive();
      return;
    }
    if (this.phase === 'snapshot' && type === 'snapshot') {
      if (this.onSnapshotFrame(f)) this.goLive();
      return;
    }
    this.emitError(new CandlecastError('bad_response', 'unexpected ' + String(type) + ' frame for a subscription', undefined, f));
  }

  /** The catch-up is complete (called by subclasses whose snapshot spans several frames). */
  protected goLive(): void {
    if (this.phase !== 'snapshot') return;
    this.phase = 'live';
    this.clearTimer();
    if (!this.isReady) {
      this.isReady = true;
      this.readyResolve();
    }
    this.host?.settled(this);
  }

  private refused(err: CandlecastError): void {
    const host = this.host;
    this.finish(err, true);
    this.emitError(err);
    host?.settled(this, err);
    void host?.forget(this);
  }

  private timedOut(): void {
    this.timer = null;
    if (this.phase !== 'pending' && this.phase !== 'snapshot') return;
    const err = new CandlecastError('timeout', 'no answer to the subscription in ' + this.host?.requestTimeoutMs + ' ms');
    if (!this.isReady) {
      // a fresh subscription: refuse it (an unsubscribe keeps the server from sending a late one)
      const host = this.host;
      if (host && this.phase === 'snapshot') host.sendFrame(this.unsubscribeCommand());
      this.refused(err);
      return;
    }
    this.host?.settled(this, err);
  }

  private finish(err: CandlecastError, throwToIterators: boolean): void {
    this.detach();
    this.phase = 'closed';
    if (!this.isReady) {
      this.isReady = true;
      this.readyReject(err);
    }
    for (const q of this.queues) q.end(throwToIterators ? err : undefined);
    this.queues.clear();
  }

  private detach(): void {
    this.clearTimer();
    if (this.cmdId && this.host) this.host.release(this.cmdId);
    this.cmdId = null;
    this.unrouteSelf();
  }

  private unrouteSelf(): void {
    if (this.routeKey && this.host) this.host.unroute(this.routeKey);
    this.routeKey = null;
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}

function guard(fn: () => void): void {
  try {
    fn();
  } catch (e) {
    console.error('candlecast: a subscription callback threw', e);
  }
}

/** Remembers the newest `size` keys (fire ids, trade ids) to drop duplicates. */
export class RecentSet<K> {
  private readonly set = new Set<K>();
  constructor(private readonly size: number) {}
  /** Adds the key; false when it was already there. */
  add(key: K): boolean {
    if (this.set.has(key)) return false;
    this.set.add(key);
    if (this.set.size > this.size) {
      const oldest = this.set.values().next().value as K;
      this.set.delete(oldest);
    }
    return true;
  }
  clear(): void {
    this.set.clear();
  }
}

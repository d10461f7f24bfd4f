/**
 * Paces outgoing frames under the server's per-connection message rate limit (token bucket, default 20/s with a
 * burst of 40: a refused message gets one id-less `rate_limited` error and the next refused ones are dropped
 * silently, so a client must not exceed it — e.g. when restoring many subscriptions at once). Frames beyond the
 * budget wait, in order, and go out as tokens come back.
 */
export interface RateOptions {
  /** Frames per second (default 18, under the server's default 20). */
  perSecond?: number;
  /** Burst (default 36, under the server's default 40). */
  burst?: number;
}

export class Pacer {
  private readonly rate: number;
  private readonly burst: number;
  private tokens: number;
  private last: number;
  private queue: string[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(opts: RateOptions, private readonly send: (text: string) => void, private readonly now: () => number = Date.now) {
    this.rate = opts.perSecond ?? 18;
    this.burst = opts.burst ?? 36;
    this.tokens = this.burst;
    this.last = this.now();
  }

  push(text: string): void {
    this.refill();
    if (this.queue.length === 0 && this.tokens >= 1) {
      this.tokens--;
      this.send(text);
      return;
    }
    this.queue.push(text);
    this.schedule();
  }

  /** A new socket: a full bucket, nothing queued (frames of the old socket are gone with it). */
  reset(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.queue = [];
    this.tokens = this.burst;
    this.last = this.now();
  }

  get queued(): number {
    return this.queue.length;
  }

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) * this.rate) / 1000);
    this.last = t;
  }

  private schedule(): void {
    if (this.timer) return;
    const wait = Math.max(1, Math.ceil(((1 - this.tokens) * 1000) / this.rate));
    this.timer = setTimeout(() => this.drain(), wait);
  }

  private drain(): void {
    this.timer = null;
    this.refill();
    while (this.queue.length && this.tokens >= 1) {
      this.tokens--;
      this.send(this.queue.shift() as string);
    }
    if (this.queue.length) this.schedule();
  }
}

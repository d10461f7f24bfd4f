/*
 * Which alert fires this page has already shown, kept across reloads (localStorage, per owner), so a reload asks
 * GET /api/alerts/fires?since=… for exactly the ones it missed and shows each fire once, whether it came in that
 * catch-up, from the alerts stream (subscribed from `since`), or both. Reconnects are the JS client's business (it
 * resumes the stream); AwayWindow tells which of the fires it then delivers were recorded while the page was away.
 *
 * `since` is the newest `recordedAt` seen. recordedAt is the wall clock of the aggregator that recorded the fire, and
 * fires of different symbols come from different aggregators, so they do not arrive in recordedAt order: the catch-up
 * asks from `since - MARGIN_MS` and the ids seen in that margin are remembered to drop the repeats.
 * A page that never ran for this owner takes the fires recorded so far as seen (no toast for old history).
 */

export const MARGIN_MS = 10000;
export const MAX_REMEMBERED = 500;
export const STORAGE_PREFIX = 'candlecast.alerts.seen.';

export class FireLedger {
  /**
   * @param {string} owner
   * @param {Storage|null} storage  localStorage (null: this page's lifetime only)
   */
  constructor(owner, storage) {
    this.key = STORAGE_PREFIX + owner;
    this.storage = storage;
    this.since = null;          // newest recordedAt seen; null = never ran for this owner
    this.recent = new Map();    // fire id -> recordedAt, those within MARGIN_MS of `since`
    this.load();
  }

  load() {
    let raw = null;
    try { raw = this.storage ? this.storage.getItem(this.key) : null; } catch (e) { raw = null; }
    if (!raw) return;
    try {
      const v = JSON.parse(raw);
      if (Number.isFinite(v.since)) this.since = v.since;
      for (const [id, t] of Array.isArray(v.recent) ? v.recent : []) {
        if (typeof id === 'string' && Number.isFinite(t)) this.recent.set(id, t);
      }
    } catch (e) { /* unreadable: start over */ }
  }

  save() {
    try {
      if (this.storage) this.storage.setItem(this.key, JSON.stringify({ since: this.since, recent: [...this.recent] }));
    } catch (e) { /* storage full or blocked: this page's memory still has it */ }
  }

  /** The `since` to ask the catch-up for, or null when this owner was never seen (then: baseline()). */
  query() {
    return this.since == null ? null : Math.max(0, this.since - MARGIN_MS);
  }

  /** Whether the fire was seen already (without recording it). */
  seen(fire) {
    return this.recent.has(fire.fire) || (this.since != null && fire.recordedAt < this.since - MARGIN_MS);
  }

  /**
   * Records a live fire; true when it is new (to be shown), false for a repeat. Only its id decides: a live fire
   * older than the margin is still shown (recordedAt is another machine's clock).
   */
  accept(fire) {
    if (!fire || typeof fire.fire !== 'string' || !Number.isFinite(fire.recordedAt)) return false;
    if (this.recent.has(fire.fire)) return false;
    this.note(fire);
    this.save();
    return true;
  }

  /** The new ones of a catch-up answer (oldest first), recorded. */
  acceptAll(fires) {
    const fresh = (fires || []).filter((f) => f && typeof f.fire === 'string' && Number.isFinite(f.recordedAt)
      && !this.seen(f));
    fresh.forEach((f) => this.note(f));
    this.save();
    return fresh;
  }

  /** First run for this owner: everything recorded so far counts as seen (since 0 when there is nothing yet). */
  baseline(fires) {
    if (this.since == null) this.since = 0;
    (fires || []).filter((f) => f && typeof f.fire === 'string' && Number.isFinite(f.recordedAt)).forEach((f) => this.note(f));
    this.save();
  }

  note(fire) {
    this.recent.set(fire.fire, fire.recordedAt);
    if (this.since == null || fire.recordedAt > this.since) this.since = fire.recordedAt;
    for (const [id, t] of this.recent) {
      if (t < this.since - MARGIN_MS) this.recent.delete(id);
    }
    while (this.recent.size > MAX_REMEMBERED) this.recent.delete(this.recent.keys().next().value);
  }
}

/**
 * Whether a fire of the alerts stream was recorded while the page was away: delivered while the connection is down
 * (the resumed stream's first fires may come before the client reports `connected`), or recorded (`recordedAt`, the
 * recording aggregator's clock) no later than the moment the connection came back (the page's clock: a skew between
 * the two only moves a fire between "live" and "missed", it is shown either way).
 */
export class AwayWindow {
  constructor() {
    this.up = false;      // connected now
    this.ever = false;    // was connected once (the first connect is not a return)
    this.down = null;     // when the connection was lost, while it is
    this.back = null;     // when it came back last
  }

  /** The connection is (or is not) up at `now`; true when it came back after being lost. */
  change(connected, now) {
    if (connected === this.up) return false;
    this.up = connected;
    if (!connected) {
      if (this.ever) this.down = now;
      return false;
    }
    const returned = this.down != null;
    this.ever = true;
    if (returned) this.back = now;
    this.down = null;
    return returned;
  }

  missed(fire) {
    if (this.down != null) return true;
    return this.back != null && Number.isFinite(fire.recordedAt) && fire.recordedAt <= this.back;
  }
}

/** Of `fires` (oldest first), the newest `max` to show as toasts and how many more there were. */
export function planToasts(fires, max = 3) {
  const list = fires || [];
  return { show: list.slice(Math.max(0, list.length - max)), more: Math.max(0, list.length - max) };
}

/** Reconnect delays: full-jitter exponential back-off (docs/CLIENTS.md, "Reconnect"). */
export interface BackoffOptions {
  /** First ceiling, ms (default 500). */
  initialMs?: number;
  /** Largest ceiling, ms (default 15000). */
  maxMs?: number;
}

/** delay = random(0, min(max, initial × 2^attempt)); attempt counts failed attempts from 0. */
export function backoffDelay(attempt: number, opts: BackoffOptions = {}, random: () => number = Math.random): number {
  const initial = opts.initialMs ?? 500;
  const max = opts.maxMs ?? 15000;
  const ceiling = Math.min(max, initial * Math.pow(2, Math.min(attempt, 30)));
  return Math.floor(random() * ceiling);
}

/** After close code 1012 (service restart) the client comes back after random(0, 500 ms), not counted. */
export function restartDelay(random: () => number = Math.random): number {
  return Math.floor(random() * 500);
}

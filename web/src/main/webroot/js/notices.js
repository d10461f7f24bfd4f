/*
 * Operator notices on the page, pure logic: the notice JSON (docs/PROTOCOL.md "Operator notices") checked and
 * normalised, and the board of notices shown in the banner (each once, newest first, a dismissed one never again,
 * a symbol's notice only while that symbol is on a chart).
 */

export const LEVELS = ['info', 'warning', 'critical'];
export const MAX_TEXT = 500;
export const MAX_SHOWN = 3;
const MAX_KEPT = 50;

/** A safe link: an absolute http(s) URL, else null (no javascript: or data: links in the banner). */
export function safeLink(link) {
  if (typeof link !== 'string' || !link) return null;
  try {
    const u = new URL(link);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch (e) {
    return null;
  }
}

/** Notice JSON -> {id, text, level, link, symbol, time}, or null when unusable (no id or text). */
export function toNotice(body) {
  if (!body || typeof body !== 'object' || typeof body.id !== 'string' || !body.id) return null;
  if (typeof body.text !== 'string' || !body.text.trim()) return null;
  return {
    id: body.id,
    text: body.text.trim().slice(0, MAX_TEXT),
    level: LEVELS.includes(body.level) ? body.level : 'info',
    link: safeLink(body.link),
    symbol: typeof body.symbol === 'string' && body.symbol ? body.symbol : null,
    time: Number.isFinite(body.time) ? body.time : null,
  };
}

export class NoticeBoard {
  constructor() {
    this.items = [];            // newest first
    this.dismissed = new Set();
  }

  /** Adds a notice body; true when it is new (not seen, not dismissed). */
  add(body) {
    const n = toNotice(body);
    if (!n || this.dismissed.has(n.id) || this.items.some((x) => x.id === n.id)) return false;
    this.items.unshift(n);
    if (this.items.length > MAX_KEPT) this.items.length = MAX_KEPT;
    return true;
  }

  dismiss(id) {
    this.dismissed.add(id);
    this.items = this.items.filter((x) => x.id !== id);
  }

  /** The notices to show now: global ones and those of `symbols` (the charts'), newest first, at most MAX_SHOWN. */
  visible(symbols) {
    const on = new Set(symbols || []);
    return this.items.filter((n) => n.symbol == null || on.has(n.symbol)).slice(0, MAX_SHOWN);
  }
}

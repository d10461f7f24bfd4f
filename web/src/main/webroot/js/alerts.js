/*
 * Alerts on the page, pure logic (no DOM, no network): the condition kinds and their fields, the form -> alert
 * definition JSON with the server's validation rules (docs/PROTOCOL.md "Alerts"; the server checks again and its
 * error text is shown when it refuses), a drawn alert line -> its kind, the texts of an alert and of a fire, and the
 * owner the page acts for. The catch-up bookkeeping is in alert-since.js.
 */
import { formatPrice, priceDecimals } from './model.js';

/** Timeframes a candle-kind alert may watch (the server accepts 1s…1d). */
export const ALERT_TFS = ['1s', '1m', '5m', '15m', '1h', '4h', '1d'];
export const MODES = ['once', 'rearm'];
export const MAX_COOLDOWN_MS = 604800000;
export const DEFAULT_COOLDOWN_MS = 60000;
export const MAX_NOTE = 200;
export const OWNER_RE = /^[A-Za-z0-9._@:-]{1,64}$/;
export const DEFAULT_OWNER = 'default';

/*
 * Field rules: int (whole number), min/max (inclusive unless minOpen), def (default when the input is empty; no def
 * = required). `window` is in ms (the form also takes 30s / 5m / 1h).
 */
const LEVEL = { name: 'level', min: 0, minOpen: true };
const TF = { name: 'tf', tf: true, def: '1m' };
const PCT = { name: 'pct', min: 0, minOpen: true, max: 100 };
const WINDOW = { name: 'window', window: true, min: 1000, max: 3600000, def: 300000 };

/** Kinds in the form's order: {label, fields, price (drawn as a line at `level`)}. */
export const ALERT_KINDS = Object.freeze({
  price_above: { label: 'Price above', fields: [LEVEL], price: true },
  price_below: { label: 'Price below', fields: [LEVEL], price: true },
  move_up: { label: 'Move up % in window', fields: [PCT, WINDOW] },
  move_down: { label: 'Move down % in window', fields: [PCT, WINDOW] },
  volume_spike: { label: 'Volume spike', fields: [TF, { name: 'n', int: true, min: 2, max: 200, def: 20 },
    { name: 'k', min: 0, minOpen: true, max: 1000, def: 3 }] },
  breakout_high: { label: 'Breakout above N-bar high', fields: [TF, { name: 'n', int: true, min: 1, max: 200, def: 20 }] },
  breakout_low: { label: 'Breakout below N-bar low', fields: [TF, { name: 'n', int: true, min: 1, max: 200, def: 20 }] },
  rsi_above: { label: 'RSI above', fields: [TF, { name: 'period', int: true, min: 2, max: 50, def: 14 },
    { name: 'level', min: 0, max: 100, def: 70 }] },
  rsi_below: { label: 'RSI below', fields: [TF, { name: 'period', int: true, min: 2, max: 50, def: 14 },
    { name: 'level', min: 0, max: 100, def: 30 }] },
  sma_cross_above: { label: 'Close crosses above SMA', fields: [TF, { name: 'period', int: true, min: 2, max: 200, def: 20 }] },
  sma_cross_below: { label: 'Close crosses below SMA', fields: [TF, { name: 'period', int: true, min: 2, max: 200, def: 20 }] },
});

/** An error naming the field, like the server's `bad_alert: <field>: <why>`. */
function bad(field, why) {
  const e = new Error(`${field}: ${why}`);
  e.field = field;
  return e;
}

/** "30s" / "5m" / "1h" / a number of ms -> ms; NaN when unreadable. */
export function parseWindow(raw) {
  if (typeof raw === 'number') return raw;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(String(raw == null ? '' : raw));
  if (!m) return NaN;
  const unit = { ms: 1, s: 1000, m: 60000, h: 3600000 }[m[2] || 'ms'];
  return Number(m[1]) * unit;
}

function readNumber(f, raw) {
  const empty = raw === undefined || raw === null || String(raw).trim() === '';
  if (empty) {
    if (f.def === undefined) throw bad(f.name, 'required');
    return f.def;
  }
  const v = f.window ? parseWindow(raw) : Number(String(raw).trim());
  if (!Number.isFinite(v)) throw bad(f.name, f.window ? 'a duration such as 30s, 5m or 1h' : 'not a number');
  if (f.int && !Number.isInteger(v)) throw bad(f.name, 'a whole number');
  if (f.window && !Number.isInteger(v)) throw bad(f.name, 'whole milliseconds');
  const lo = f.minOpen ? v <= f.min : v < f.min;
  if ((f.min !== undefined && lo) || (f.max !== undefined && v > f.max)) throw bad(f.name, range(f));
  return v;
}

function range(f) {
  const lo = f.min === undefined ? '' : `${f.minOpen ? '> ' : ''}${f.min}`;
  if (f.max === undefined) return `must be ${lo}`;
  return f.minOpen ? `must be in (${f.min}, ${f.max}]` : `must be ${f.min} to ${f.max}`;
}

/** The condition object of `kind` from raw form values (strings or numbers); throws Error('<field>: <why>'). */
export function makeCondition(kind, raw = {}) {
  const k = ALERT_KINDS[kind];
  if (!k) throw bad('kind', `unknown kind ${JSON.stringify(kind)}`);
  const cond = { kind };
  for (const f of k.fields) {
    if (f.tf) {
      const tf = raw.tf === undefined || raw.tf === '' ? f.def : raw.tf;
      if (!ALERT_TFS.includes(tf)) throw bad('tf', `one of ${ALERT_TFS.join(' ')}`);
      cond.tf = tf;
    } else {
      cond[f.name] = readNumber(f, raw[f.name]);
    }
  }
  return cond;
}

/**
 * The alert definition to POST: {symbol, condition, mode, cooldownMs?, note?}. `form` = {symbol, kind, mode,
 * cooldown (seconds, rearm only), note, ...condition fields}. Throws Error('<field>: <why>').
 */
export function makeDefinition(form) {
  if (typeof form.symbol !== 'string' || !/^[A-Z0-9]{2,20}$/.test(form.symbol)) throw bad('symbol', 'no symbol');
  const condition = makeCondition(form.kind, form);
  const mode = form.mode || 'once';
  if (!MODES.includes(mode)) throw bad('mode', 'once or rearm');
  const def = { symbol: form.symbol, condition, mode };
  if (mode === 'rearm') {
    const raw = form.cooldown;
    const s = raw === undefined || String(raw).trim() === '' ? DEFAULT_COOLDOWN_MS / 1000 : Number(raw);
    if (!Number.isFinite(s) || s < 0 || s * 1000 > MAX_COOLDOWN_MS || !Number.isInteger(s * 1000)) {
      throw bad('cooldownMs', `0 to ${MAX_COOLDOWN_MS / 1000} seconds`);
    }
    def.cooldownMs = s * 1000;
  }
  const note = typeof form.note === 'string' ? form.note.trim() : '';
  if (note.length > MAX_NOTE) throw bad('note', `at most ${MAX_NOTE} characters`);
  if (note) def.note = note;
  return def;
}

/** A line dragged to `level` on a chart whose last price is `last`: price_above when above it, else price_below. */
export function lineCondition(level, last) {
  if (!Number.isFinite(level) || level <= 0) throw bad('level', 'must be > 0');
  return { kind: Number.isFinite(last) && level > last ? 'price_above' : 'price_below', level };
}

/** The alerts to draw as lines on a chart of `symbol`: armed price alerts, as {id, kind, level}. */
export function alertLines(alerts, symbol) {
  return (alerts || [])
    .filter((a) => a && a.symbol === symbol && a.condition && ALERT_KINDS[a.condition.kind]
      && ALERT_KINDS[a.condition.kind].price && a.state === 'armed' && Number.isFinite(a.condition.level))
    .map((a) => ({ id: a.id, kind: a.condition.kind, level: a.condition.level }));
}

const num = (x, d) => (Number.isFinite(x) ? formatPrice(x, d) : '–');
const dur = (ms) => (ms % 3600000 === 0 ? `${ms / 3600000}h` : ms % 60000 === 0 ? `${ms / 60000}m` : `${ms / 1000}s`);

/** "price above 50,000.00", "up 2% in 5m", "RSI(14) 1m above 70", … (`d` = price decimals). */
export function describeCondition(c, d = 2) {
  if (!c || typeof c !== 'object') return '?';
  switch (c.kind) {
    case 'price_above': return `price above ${num(c.level, d)}`;
    case 'price_below': return `price below ${num(c.level, d)}`;
    case 'move_up': return `up ${c.pct}% in ${dur(c.window)}`;
    case 'move_down': return `down ${c.pct}% in ${dur(c.window)}`;
    case 'volume_spike': return `volume ${c.tf} > ${c.k}× avg of ${c.n}`;
    case 'breakout_high': return `breakout above ${c.n}-bar high (${c.tf})`;
    case 'breakout_low': return `breakout below ${c.n}-bar low (${c.tf})`;
    case 'rsi_above': return `RSI(${c.period}) ${c.tf} above ${c.level}`;
    case 'rsi_below': return `RSI(${c.period}) ${c.tf} below ${c.level}`;
    case 'sma_cross_above': return `close crosses above SMA(${c.period}) ${c.tf}`;
    case 'sma_cross_below': return `close crosses below SMA(${c.period}) ${c.tf}`;
    default: return String(c.kind);
  }
}

/** The price a fire happened at: the crossing trade's, else the closed candle's close, else null. */
export function firePrice(fire) {
  if (fire && fire.trade && Number.isFinite(fire.trade.price)) return fire.trade.price;
  if (fire && fire.candle && Number.isFinite(fire.candle.c)) return fire.candle.c;
  return null;
}

/**
 * The toast of a fire: {title: "BTCUSD price above 50,000.00", body: "at 50,001.50 · 12:34:56", id, price}. `time(ms)`
 * formats the fire's time (firedAt). The note, when there is one, ends the body.
 */
export function fireText(fire, time = (ms) => new Date(ms).toISOString()) {
  const price = firePrice(fire);
  const d = priceDecimals(price != null ? price : fire.threshold);
  const title = `${fire.symbol} ${describeCondition(fire.condition || { kind: fire.kind }, d)}`;
  const parts = [];
  if (price != null) parts.push(`at ${formatPrice(price, d)}`);
  if (Number.isFinite(fire.firedAt)) parts.push(time(fire.firedAt));
  if (fire.seq > 1) parts.push(`#${fire.seq}`);
  if (fire.note) parts.push(String(fire.note).slice(0, MAX_NOTE));
  return { id: fire.fire, title, body: parts.join(' · '), price };
}

/** One row of the alert list: {id, text, state, fired (fired at least once), seq}. */
export function alertRow(a) {
  const level = a.condition && Number.isFinite(a.condition.level) ? a.condition.level : null;
  const text = describeCondition(a.condition, priceDecimals(level != null ? level : 1));
  return {
    id: a.id, symbol: a.symbol, text: a.note ? `${text} – ${a.note}` : text, state: a.state, mode: a.mode,
    fired: a.fireCount > 0, fireCount: a.fireCount || 0, lastPrice: a.lastFire ? firePrice(a.lastFire) : null,
  };
}

/** The JWT's `sub` (payload only; the server verifies the token), or null. */
export function tokenSubject(token, atob = globalThis.atob) {
  if (typeof token !== 'string') return null;
  const part = token.split('.')[1];
  if (!part) return null;
  try {
    const json = atob(part.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(part.length / 4) * 4, '='));
    const sub = JSON.parse(json).sub;
    return typeof sub === 'string' && sub ? sub : null;
  } catch (e) {
    return null;
  }
}

/**
 * Whom the page acts for: the token's subject when there is a token (the server takes it from the token anyway),
 * else the page URL's ?owner= when valid, else "default". {owner, warning?}.
 */
export function pageOwner(search, token, atob = globalThis.atob) {
  const sub = tokenSubject(token, atob);
  if (sub) return { owner: sub };
  const given = new URLSearchParams(search || '').get('owner');
  if (given == null || given === '') return { owner: DEFAULT_OWNER };
  if (OWNER_RE.test(given)) return { owner: given };
  return { owner: DEFAULT_OWNER, warning: `owner ${JSON.stringify(given.slice(0, 70))} ignored: 1-64 of A-Z a-z 0-9 . _ @ : -` };
}

/**
 * The alert list with what the page learnt from fires that the list may not show yet (the owner re-writes the
 * record after the fire is published): per alert its newest fire (by seq) sets fireCount, lastFire and, when final,
 * the state (once: fired; rearm: expired).
 */
export function withFires(alerts, lastFires) {
  return (alerts || []).map((a) => {
    const f = lastFires.get(a.id);
    if (!f || (a.fireCount || 0) >= f.seq) return a;
    const state = f.final && a.state === 'armed' ? (a.mode === 'rearm' ? 'expired' : 'fired') : a.state;
    return { ...a, fireCount: f.seq, lastFire: f, state };
  });
}

/** Remembers `fire` as its alert's newest when its seq is higher than the one held. */
export function noteFire(lastFires, fire) {
  const held = lastFires.get(fire.alert);
  if (!held || fire.seq > held.seq) lastFires.set(fire.alert, fire);
}

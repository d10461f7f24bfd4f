/*
 * Indicators on the page: the pure part (no DOM, no network, no chart library), unit-tested with node --test.
 *
 *   - the analysis kinds the page offers, mirroring common's AnalysisSpec (names, parameters in declared order,
 *     defaults, output fields, validation) and where each is drawn: on the price pane (overlay), in its own pane
 *     under it (oscillator) or as markers on the candles (patterns)
 *   - analysisKey(name, params): AnalysisSpec.key() in JS (`rsi:14`, `macd:12:26:9`, `bb:20:2`, `vwap`)
 *   - the `ind` URL parameter (per chart lists) and the ui-config's `indicators` list
 *   - PointStore: the points of one series (snapshot, then live: the same t replaces, newer appends, older ignored)
 *   - PatternStore: pattern detections and their chart markers
 *   - legend texts
 * All values come from the server (the JS client's indicator streams); nothing is computed here.
 */
import { formatPrice, formatVolume } from './model.js';

/** Largest integer parameter (AnalysisSpec.MAX_PERIOD). */
export const MAX_PERIOD = 500;
/** Indicators one chart shows at most (each is one subscription on the page's connection). */
export const MAX_PER_CHART = 8;
/** Pattern detections a chart keeps (oldest dropped first). */
export const MAX_DETECTIONS = 1000;

/**
 * The kinds of AnalysisSpec.Kind, overlays first (the menu's order; risk is not drawn on the page). `place`: 'overlay' (price pane),
 * 'pane' (its own pane under the price pane) or 'markers' (on the candles). `scale`: how values are formatted in the
 * legend: 'price' (the chart's price decimals), 'pct' (0..100, two decimals), 'volume'.
 */
export const KINDS = Object.freeze({
  sma: { label: 'SMA', title: 'Simple moving average', params: ['period'], defaults: [20], fields: ['value'], place: 'overlay', scale: 'price' },
  ema: { label: 'EMA', title: 'Exponential moving average', params: ['period'], defaults: [20], fields: ['value'], place: 'overlay', scale: 'price' },
  wma: { label: 'WMA', title: 'Weighted moving average', params: ['period'], defaults: [20], fields: ['value'], place: 'overlay', scale: 'price' },
  bb: { label: 'BB', title: 'Bollinger bands', params: ['period', 'mult'], defaults: [20, 2], fields: ['upper', 'middle', 'lower'], place: 'overlay', scale: 'price' },
  vwap: { label: 'VWAP', title: 'Volume-weighted average price (UTC day)', params: [], defaults: [], fields: ['value'], place: 'overlay', scale: 'price' },
  rsi: { label: 'RSI', title: 'Relative strength index', params: ['period'], defaults: [14], fields: ['value'], place: 'pane', scale: 'pct' },
  macd: { label: 'MACD', title: 'MACD (line, signal, histogram)', params: ['fast', 'slow', 'signal'], defaults: [12, 26, 9], fields: ['macd', 'signal', 'hist'], place: 'pane', scale: 'price' },
  stoch: { label: 'Stoch', title: 'Stochastic %K %D', params: ['k', 'd'], defaults: [14, 3], fields: ['k', 'd'], place: 'pane', scale: 'pct' },
  atr: { label: 'ATR', title: 'Average true range', params: ['period'], defaults: [14], fields: ['value'], place: 'pane', scale: 'price' },
  obv: { label: 'OBV', title: 'On-balance volume (UTC day)', params: [], defaults: [], fields: ['value'], place: 'pane', scale: 'volume' },
  patterns: { label: 'Patterns', title: 'Candle patterns (markers)', params: ['lookback'], defaults: [20], fields: ['patterns'], place: 'markers', scale: 'price' },
});

const ALIASES = { bollinger: 'bb', bbands: 'bb', stochastic: 'stoch' };

/** The kind name of a name or alias (case-insensitive), or null. */
export function kindName(name) {
  const n = String(name == null ? '' : name).trim().toLowerCase();
  const k = ALIASES[n] || n;
  return Object.prototype.hasOwnProperty.call(KINDS, k) ? k : null;
}

/**
 * A parameter as written in keys (AnalysisSpec.format): integers without a fraction, others as Java's
 * Double.toString writes them (the same shortest digits; scientific below 10^-3).
 */
export function formatParam(d) {
  if (Number.isInteger(d) && Math.abs(d) < 1e15) return String(d);
  const a = Math.abs(d);
  if (a !== 0 && (a < 1e-3 || a >= 1e7)) {
    const [m, e] = d.toExponential().split('e');
    return (m.includes('.') ? m : m + '.0') + 'E' + Number(e);
  }
  return String(d);
}

/**
 * Resolves and validates parameters as AnalysisSpec.parse does: missing ones take their defaults; throws an Error with
 * the server's wording for an unknown name, an unknown parameter, a non-number, an integer parameter outside
 * 1..500 (2..500 for risk), `mult` outside (0, 10], or macd's fast >= slow.
 * Returns {name, params: {in declared order}, key}.
 */
export function makeSpec(name, raw) {
  const k = kindName(name);
  if (!k) throw new Error(`unknown indicator '${name}' (known: ${Object.keys(KINDS).join(', ')})`);
  const kind = KINDS[k];
  const params = {};
  kind.params.forEach((p, i) => { params[p] = kind.defaults[i]; });
  for (const [key, v] of Object.entries(raw || {})) {
    const p = key.trim().toLowerCase();
    if (!kind.params.includes(p)) {
      throw new Error(`unknown parameter '${key}' for ${k} (parameters: ${kind.params.join(', ') || 'none'})`);
    }
    const d = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v.trim()) : NaN;
    if (Number.isNaN(d)) throw new Error(`${k} parameter '${p}' must be a number, got '${v}'`);
    if (!Number.isFinite(d)) throw new Error(`${k} parameter '${p}' must be finite`);
    params[p] = d;
  }
  for (const [p, d] of Object.entries(params)) {
    if (p === 'mult') {
      if (!(d > 0 && d <= 10)) throw new Error(`${k} parameter 'mult' must be in (0, 10]`);
      continue;
    }
    if (!Number.isInteger(d) || d < 1 || d > MAX_PERIOD) {
      throw new Error(`${k} parameter '${p}' must be an integer from 1 to ${MAX_PERIOD}, got ${formatParam(d)}`);
    }
  }
  if (k === 'macd' && params.fast >= params.slow) throw new Error("macd parameter 'fast' must be below 'slow'");
  return { name: k, params, key: analysisKey(k, params) };
}

/** The canonical key (AnalysisSpec.key()): the name, then every parameter in declared order, colon-separated. */
export function analysisKey(name, params) {
  const k = kindName(name);
  if (!k) throw new Error(`unknown indicator '${name}'`);
  const kind = KINDS[k];
  const p = params || {};
  return [k, ...kind.params.map((n, i) => formatParam(p[n] !== undefined ? Number(p[n]) : kind.defaults[i]))].join(':');
}

/**
 * One indicator as written in URLs and the ui-config: `name[:p1[:p2…]]` with the parameters in declared order (the
 * missing trailing ones take their defaults): `rsi`, `rsi:14`, `macd:12:26:9`, `bollinger:20:2.5`. Throws on errors.
 */
export function parseIndicator(text) {
  const parts = String(text == null ? '' : text).trim().split(':');
  const k = kindName(parts[0]);
  if (!k) throw new Error(`unknown indicator '${parts[0]}' (known: ${Object.keys(KINDS).join(', ')})`);
  const names = KINDS[k].params;
  if (parts.length - 1 > names.length) {
    throw new Error(`${k} takes ${names.length ? names.length + ' parameter(s): ' + names.join(', ') : 'no parameters'}`);
  }
  const raw = {};
  parts.slice(1).forEach((v, i) => { raw[names[i]] = v; });
  return makeSpec(k, raw);
}

/**
 * A comma-separated list (`sma:50,rsi:14`, `none` or empty for none) -> {list: [spec], warnings}. Bad entries and
 * repeats are dropped (named in warnings); at most MAX_PER_CHART are kept.
 */
export function parseIndicatorList(text) {
  const list = [];
  const warnings = [];
  for (const item of String(text == null ? '' : text).split(',').map((s) => s.trim()).filter(Boolean)) {
    if (item === 'none') continue;
    let spec;
    try {
      spec = parseIndicator(item);
    } catch (e) {
      warnings.push(`bad indicator '${item}': ${e.message}`);
      continue;
    }
    if (list.some((s) => s.key === spec.key)) continue;
    if (list.length >= MAX_PER_CHART) {
      warnings.push(`at most ${MAX_PER_CHART} indicators per chart ('${item}' dropped)`);
      continue;
    }
    list.push(spec);
  }
  return { list, warnings };
}

/** A list -> its canonical text (`none` when empty). */
export function formatIndicatorList(list) {
  return list.length ? list.map((s) => s.key).join(',') : 'none';
}

/**
 * The `ind` URL parameter -> one list per chart (`layout` of them): `ind=sma:50,rsi:14` gives every chart that list;
 * `ind=sma:50;rsi:14,macd` gives chart 1 `sma:50`, chart 2 `rsi:14,macd:12:26:9` and the others `defaults`.
 * `none` (or an empty part) is no indicator. Without `ind`, every chart takes `defaults`.
 */
export function parseIndParam(value, layout, defaults) {
  const charts = [];
  const warnings = [];
  const parts = value == null ? [] : String(value).split(';');
  for (let i = 0; i < layout; i++) {
    const text = value == null ? null : parts.length === 1 ? parts[0] : parts[i];
    if (text == null) {
      charts.push(defaults.slice());
      continue;
    }
    const r = parseIndicatorList(text);
    if (i === 0 || parts.length > 1) warnings.push(...r.warnings);
    charts.push(r.list);
  }
  return { charts, warnings };
}

/** Lists per chart -> the `ind` value: one list when every chart has the same, else `;`-separated in chart order. */
export function formatIndParam(lists) {
  const texts = lists.map(formatIndicatorList);
  return texts.every((t) => t === texts[0]) ? texts[0] || 'none' : texts.join(';');
}

/**
 * The ui-config's `indicators`: a list of keys (`["sma:50","rsi:14"]`) or the older object
 * (`{"sma50":true,"sma200":false}` -> SMA 50 / SMA 200). Returns {list, warnings}; null when `value` is missing.
 */
export function indicatorsFromConfig(value) {
  if (value === undefined || value === null) return null;
  if (Array.isArray(value)) {
    const r = parseIndicatorList(value.filter((x) => typeof x === 'string').join(','));
    if (value.some((x) => typeof x !== 'string')) r.warnings.push('ui-config: indicators must be strings');
    return { list: r.list, warnings: r.warnings.map((w) => 'ui-config: ' + w) };
  }
  if (typeof value === 'object') {
    const keys = [];
    if (value.sma50 === true) keys.push('sma:50');
    if (value.sma200 === true) keys.push('sma:200');
    return parseIndicatorList(keys.join(','));
  }
  return { list: null, warnings: ['ui-config: bad indicators'] };
}

// ---- points --------------------------------------------------------------------------------------------------------

/**
 * A server point {t (ms), closed, <fields>} -> {t, time (s), closed, <fields>} with only finite numeric fields, or
 * null when it has no usable time or none of the fields.
 */
export function toPoint(p, fields) {
  if (!p || typeof p !== 'object' || !Number.isFinite(p.t) || p.t % 1000 !== 0) return null;
  const out = { t: p.t, time: p.t / 1000, closed: p.closed === true };
  let any = false;
  for (const f of fields) {
    if (Number.isFinite(p[f])) {
      out[f] = p[f];
      any = true;
    }
  }
  return any ? out : null;
}

/** The points of one indicator series, oldest first, times strictly increasing. */
export class PointStore {
  constructor(fields) {
    this.fields = fields;
    this.points = [];
  }

  get length() { return this.points.length; }
  last() { return this.points.length ? this.points[this.points.length - 1] : null; }

  /** A snapshot (oldest first): replaces everything; malformed and out-of-order points are dropped. */
  reset(raw) {
    this.points = [];
    for (const r of Array.isArray(raw) ? raw : []) {
      const p = toPoint(r, this.fields);
      if (p && (!this.points.length || p.t > this.last().t)) this.points.push(p);
    }
    return this.points;
  }

  /**
   * A live point: 'replace' when its t equals the newest one's (the provisional value of the open window, or its
   * final value), 'append' when newer, 'ignore' when older or malformed. Returns {kind, point}.
   */
  apply(raw) {
    const p = toPoint(raw, this.fields);
    const last = this.last();
    if (!p) return { kind: 'ignore', point: null };
    if (!last || p.t > last.t) {
      this.points.push(p);
      return { kind: 'append', point: p };
    }
    if (p.t === last.t) {
      this.points[this.points.length - 1] = p;
      return { kind: 'replace', point: p };
    }
    return { kind: 'ignore', point: p };
  }

  /** The point at `time` (seconds), or null. */
  at(time) {
    let lo = 0, hi = this.points.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const t = this.points[mid].time;
      if (t === time) return this.points[mid];
      if (t < time) lo = mid + 1; else hi = mid - 1;
    }
    return null;
  }

  /** Chart data of one field: [{time, value}]. */
  line(field) {
    const out = [];
    for (const p of this.points) if (p[field] !== undefined) out.push({ time: p.time, value: p[field] });
    return out;
  }

  /** Drops points older than `time` (seconds): the chart trimmed its oldest bars. */
  trimBefore(time) {
    let i = 0;
    while (i < this.points.length && this.points[i].time < time) i++;
    if (i) this.points = this.points.slice(i);
    return i;
  }
}

/**
 * The limit an indicator layer should subscribe with so that its line reaches back to the chart's oldest bar, or null
 * when it already does. `chart` {first, length}: the chart's oldest bar's time (s) and its bar count; `layer` {first,
 * full, limit}: its oldest point's time, whether its last snapshot held all it asked for (`full`; a shorter one holds
 * every point the server has) and that limit. The chart and the indicator are fetched apart: when the server folds many
 * windows meanwhile (a catch-up after a restart), the snapshot starts bars later than the chart.
 */
export function coverLimit(chart, layer, max = 5000) {
  if (!chart || !chart.length || !layer || layer.first == null || !layer.full || layer.limit >= max) return null;
  if (layer.first <= chart.first) return null;
  // One point per bar and one for a window that may open before the answer. Asked that already (windows without a
  // bar, or a catch-up outrunning the answer): half as many again, so it ends within a few rounds.
  const want = chart.length + 1;
  return Math.min(max, want > layer.limit ? want : Math.ceil(layer.limit * 1.5));
}

// ---- patterns ------------------------------------------------------------------------------------------------------

export const PATTERNS = {
  doji: 'Doji', hammer: 'Hammer', shooting_star: 'Shooting star', bullish_engulfing: 'Bullish engulfing',
  bearish_engulfing: 'Bearish engulfing', breakout_high: 'Breakout high', breakout_low: 'Breakout low',
  golden_cross: 'Golden cross', death_cross: 'Death cross',
};
const SHORT = {
  doji: 'D', hammer: 'H', shooting_star: 'SS', bullish_engulfing: 'BE', bearish_engulfing: 'BE', breakout_high: 'BO',
  breakout_low: 'BO', golden_cross: 'GC', death_cross: 'DC',
};

/** A detection {t, pattern, direction, inputs?} -> {t, time, pattern, direction}, or null. */
export function toDetection(d) {
  if (!d || typeof d !== 'object' || !Number.isFinite(d.t) || d.t % 1000 !== 0) return null;
  if (typeof d.pattern !== 'string' || !d.pattern) return null;
  const direction = d.direction === 'bullish' || d.direction === 'bearish' ? d.direction : 'neutral';
  return { t: d.t, time: d.t / 1000, pattern: d.pattern, direction };
}

/** Pattern detections of one chart, by (t, pattern), oldest first. */
export class PatternStore {
  constructor(max = MAX_DETECTIONS) {
    this.max = max;
    this.items = [];
  }

  get length() { return this.items.length; }

  /** A snapshot's points (each a detection). */
  reset(points) {
    this.items = [];
    this.add(points);
  }

  /** A live message {t, patterns: [detection…]} (or a detection list). Returns how many were new. */
  apply(body) {
    return this.add(body && Array.isArray(body.patterns) ? body.patterns : []);
  }

  add(list) {
    let added = 0;
    for (const raw of Array.isArray(list) ? list : []) {
      const d = toDetection(raw);
      if (!d || this.items.some((x) => x.t === d.t && x.pattern === d.pattern)) continue;
      this.items.push(d);
      added++;
    }
    if (added) {
      this.items.sort((a, b) => a.t - b.t || (a.pattern < b.pattern ? -1 : a.pattern > b.pattern ? 1 : 0));
      if (this.items.length > this.max) this.items = this.items.slice(this.items.length - this.max);
    }
    return added;
  }

  /** Detections at `time` (seconds). */
  at(time) {
    return this.items.filter((d) => d.time === time);
  }

  /** Markers for createSeriesMarkers (sorted by time): bullish below the bar, bearish above, neutral above. */
  markers(colors) {
    return this.items.map((d) => ({
      time: d.time,
      position: d.direction === 'bullish' ? 'belowBar' : 'aboveBar',
      shape: d.direction === 'bullish' ? 'arrowUp' : d.direction === 'bearish' ? 'arrowDown' : 'circle',
      color: d.direction === 'bullish' ? colors.up : d.direction === 'bearish' ? colors.down : colors.text,
      text: SHORT[d.pattern] || d.pattern,
      id: `${d.t}:${d.pattern}`,
    }));
  }
}

// ---- legend --------------------------------------------------------------------------------------------------------

/** "SMA 50", "MACD 12 26 9", "BB 20 2", "VWAP". */
export function indicatorLabel(spec) {
  const kind = KINDS[spec.name];
  return [kind.label, ...kind.params.map((p) => formatParam(spec.params[p]))].join(' ');
}

/** One value as the legend shows it. */
export function formatIndicatorValue(spec, v, priceDecimals) {
  if (!Number.isFinite(v)) return '–';
  const scale = KINDS[spec.name].scale;
  if (scale === 'pct') return v.toFixed(2);
  if (scale === 'volume') return (v < 0 ? '−' : '') + formatVolume(Math.abs(v));
  return formatPrice(v, priceDecimals);
}

/**
 * The legend of one indicator at a point (null: '–' for every field): {label, values: [text per field]}. Patterns:
 * the names of the detections at that candle (or '–').
 */
export function legendEntry(spec, point, priceDecimals, detections) {
  const label = indicatorLabel(spec);
  if (spec.name === 'patterns') {
    const names = (detections || []).map((d) => PATTERNS[d.pattern] || d.pattern);
    return { label, values: [names.length ? names.join(', ') : '–'] };
  }
  const fields = KINDS[spec.name].fields;
  return { label, values: fields.map((f) => formatIndicatorValue(spec, point ? point[f] : undefined, priceDecimals)) };
}

/** Line colours of a chart's indicators: the theme's two line colours first (sma50, sma200), then a palette. */
export const PALETTE = ['#2962ff', '#ff6d00', '#00bcd4', '#e91e63', '#8bc34a', '#9c27b0'];
export function indicatorColor(index, colors) {
  if (index === 0) return colors.sma50;
  if (index === 1) return colors.sma200;
  return PALETTE[(index - 2) % PALETTE.length];
}

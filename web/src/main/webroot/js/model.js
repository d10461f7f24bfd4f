/*
 * Candlecast page: the pure part (no DOM, no network, no chart library). Everything here is unit-tested with
 * `node --test` (web/src/test/js) during the Maven build.
 *
 *   - view state <-> URL (layout, the charts' symbol/timeframe and indicators, theme, page size)
 *   - chart configuration as data (/api/ui-config merged over built-in defaults)
 *   - candles -> bars, the bar store (snapshot, live update, catch-up, scroll-back, trim)
 *   - reconnect back-off, tickers (number and local-time formatting: format.js, re-exported here)
 * Indicator keys, lists and points: indicators.js (every indicator value comes from the server).
 */
import { indicatorsFromConfig, parseIndParam, formatIndParam, parseIndicatorList } from './indicators.js';

export * from './format.js';

export const TIMEFRAMES = ['1s', '1m', '5m', '15m', '1h', '4h', '1d', '1w', '1M'];
/** Window lengths; 1M is nominal (30 days): month windows follow the UTC calendar, see nextWindow. */
export const TF_SECONDS = {
  '1s': 1, '1m': 60, '5m': 300, '15m': 900, '1h': 3600, '4h': 14400, '1d': 86400, '1w': 604800, '1M': 2592000,
};

/**
 * Start (unix seconds) of the window after the one starting at `time` (unix seconds): `time` plus the length, or for
 * 1M the first of the next UTC calendar month (1w windows start Monday 00:00 UTC and are 7 days long).
 */
export function nextWindow(time, tf) {
  if (tf === '1M') {
    const d = new Date(time * 1000);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) / 1000;
  }
  return time + TF_SECONDS[tf];
}
export const LAYOUTS = [1, 2, 4];
export const THEMES = ['dark', 'light'];
export const SYMBOL_RE = /^[A-Z0-9]{2,20}$/;
export const DEFAULT_LIMIT = 500;
export const MIN_LIMIT = 10;
export const MAX_LIMIT = 5000;
/** Live bars beyond this many are trimmed from the left (in steps of TRIM_STEP) so memory stays bounded. */
export const MAX_BARS = 10000;
export const TRIM_STEP = 1000;

const COLOR_KEYS = ['background', 'text', 'grid', 'up', 'down', 'volumeUp', 'volumeDown', 'sma50', 'sma200'];

/**
 * What the page uses when /api/ui-config is missing or leaves something out. The one source of these values is the
 * gateway's default, gateway-verticle/src/main/resources/candlecast/gateway/ui-config.json (and the gateway's
 * default symbol and timeframe): web/src/test/js/ui-config.test.js fails when they differ.
 */
export const DEFAULT_UI_CONFIG = Object.freeze({
  defaultSymbol: 'BTCUSD',
  defaultTf: '1m',
  layout: 1,
  theme: 'dark',
  themes: {
    dark: {
      background: '#131722', text: '#d1d4dc', grid: '#2a2e39', up: '#26a69a', down: '#ef5350',
      volumeUp: 'rgba(38, 166, 154, 0.5)', volumeDown: 'rgba(239, 83, 80, 0.5)',
      sma50: '#f5c542', sma200: '#7e57c2',
    },
    light: {
      background: '#ffffff', text: '#131722', grid: '#e1e3eb', up: '#089981', down: '#f23645',
      volumeUp: 'rgba(8, 153, 129, 0.5)', volumeDown: 'rgba(242, 54, 69, 0.5)',
      sma50: '#ff9800', sma200: '#2962ff',
    },
  },
  indicators: ['sma:50', 'sma:200'],
  panels: { trades: true, book: true },
});

/** Side panels the page has (beside the charts): the trade feed and the order-book ladder. */
export const PANELS = ['trades', 'book'];

// ---- configuration -------------------------------------------------------------------------------------------------

/**
 * The server's ui-config laid over the defaults, field by field. Unknown or malformed fields are dropped (each one
 * noted in `warnings`), so a partial or slightly wrong document still gives a working page.
 */
export function mergeUiConfig(server) {
  const d = DEFAULT_UI_CONFIG;
  const out = {
    defaultSymbol: d.defaultSymbol, defaultTf: d.defaultTf, layout: d.layout, theme: d.theme,
    themes: { dark: { ...d.themes.dark }, light: { ...d.themes.light } },
    indicators: indicatorsFromConfig(d.indicators).list,
    panels: { ...d.panels },
  };
  const warnings = [];
  if (server == null) return { config: out, warnings };
  if (typeof server !== 'object' || Array.isArray(server)) {
    warnings.push('ui-config is not a JSON object');
    return { config: out, warnings };
  }
  const sym = typeof server.defaultSymbol === 'string' ? server.defaultSymbol.trim().toUpperCase() : null;
  if (server.defaultSymbol !== undefined) {
    if (sym && SYMBOL_RE.test(sym)) out.defaultSymbol = sym; else warnings.push(`ui-config: bad defaultSymbol`);
  }
  if (server.defaultTf !== undefined) {
    if (TIMEFRAMES.includes(server.defaultTf)) out.defaultTf = server.defaultTf; else warnings.push('ui-config: bad defaultTf');
  }
  if (server.layout !== undefined) {
    if (LAYOUTS.includes(server.layout)) out.layout = server.layout; else warnings.push('ui-config: bad layout');
  }
  if (server.theme !== undefined) {
    if (THEMES.includes(server.theme)) out.theme = server.theme; else warnings.push('ui-config: bad theme');
  }
  if (server.themes && typeof server.themes === 'object') {
    for (const name of THEMES) {
      const t = server.themes[name];
      if (!t || typeof t !== 'object') continue;
      for (const key of COLOR_KEYS) {
        if (t[key] === undefined) continue;
        if (typeof t[key] === 'string' && t[key].trim() && t[key].length <= 64) out.themes[name][key] = t[key].trim();
        else warnings.push(`ui-config: bad colour themes.${name}.${key}`);
      }
    }
  }
  const ind = indicatorsFromConfig(server.indicators);
  if (ind) {
    if (ind.list) out.indicators = ind.list;
    warnings.push(...ind.warnings);
  }
  if (server.panels !== undefined) {
    if (server.panels && typeof server.panels === 'object') {
      for (const key of PANELS) {
        if (typeof server.panels[key] === 'boolean') out.panels[key] = server.panels[key];
        else if (server.panels[key] !== undefined) warnings.push(`ui-config: bad panels.${key}`);
      }
    } else {
      warnings.push('ui-config: bad panels');
    }
  }
  return { config: out, warnings };
}

// ---- view state <-> URL --------------------------------------------------------------------------------------------

/** Timeframes the extra charts of a layout start with when the URL does not name them. */
const EXTRA_TFS = ['5m', '1s', '1h'];

/** The chart a layout shows in position `i` when the URL does not say. */
export function defaultChart(i, config, symbols) {
  const list = symbols && symbols.length ? symbols : [config.defaultSymbol];
  const ind = (config.indicators || []).slice();
  if (i === 0) return { symbol: config.defaultSymbol, tf: config.defaultTf, ind };
  const start = Math.max(0, list.indexOf(config.defaultSymbol));
  return { symbol: list[(start + i) % list.length], tf: i === 1 ? config.defaultTf : EXTRA_TFS[(i - 1) % 3], ind };
}

/** "BTCUSD.1m" (also "btcusd:1m") -> {symbol, tf}, or null. */
export function parseChartSpec(spec) {
  const m = /^\s*([A-Za-z0-9]{2,20})[.:]([0-9]{1,2}[smhdwM])\s*$/.exec(spec || '');
  if (!m) return null;
  const symbol = m[1].toUpperCase();
  return TIMEFRAMES.includes(m[2]) ? { symbol, tf: m[2] } : null;
}

/**
 * Reads the view from a query string. Anything missing comes from the config; anything invalid is replaced by the
 * default and reported in `warnings` (shown to the user), never fatal.
 *
 * URL: ?layout=1|2|4&charts=SYM.tf,SYM.tf,...&theme=dark|light&ind=<indicators>&panels=trades,book|trades|book|none
 * [&limit=N]; ind (indicators.js parseIndParam): `sma:50,rsi:14` for every chart, or `;`-separated lists per chart.
 * Also accepted: ?symbol=SYM&tf=tf for the first chart (phase-1 links), and without `ind` the older
 * sma=50,200|50|200|none (SMA 50 / SMA 200 on every chart).
 * Each chart is {symbol, tf, ind: [indicator spec]}.
 */
export function parseViewState(search, config, symbols) {
  const q = new URLSearchParams(search || '');
  const warnings = [];
  let layout = config.layout;
  if (q.has('layout')) {
    const n = Number(q.get('layout'));
    if (LAYOUTS.includes(n)) layout = n; else warnings.push(`unknown layout '${q.get('layout')}' (use 1, 2 or 4)`);
  }
  const given = [];
  if (q.has('charts')) {
    q.get('charts').split(',').filter((s) => s.trim() !== '').forEach((spec, i) => {
      const c = parseChartSpec(spec);
      if (!c) warnings.push(`bad chart '${spec}' (expected SYMBOL.tf with tf one of ${TIMEFRAMES.join(' ')})`);
      given[i] = c;
    });
    if (!q.has('layout') && given.length > 1) layout = given.length >= 3 ? 4 : 2;
  } else if (q.has('symbol') || q.has('tf')) {
    const s = (q.get('symbol') || config.defaultSymbol).trim().toUpperCase();
    const t = q.get('tf') || config.defaultTf;
    if (!SYMBOL_RE.test(s)) warnings.push(`invalid symbol '${s}' (2-20 letters or digits)`);
    else if (!TIMEFRAMES.includes(t)) warnings.push(`unknown timeframe '${t}' (expected one of ${TIMEFRAMES.join(', ')})`);
    else given[0] = { symbol: s, tf: t };
  }
  const charts = [];
  for (let i = 0; i < layout; i++) charts.push(given[i] || defaultChart(i, config, symbols));

  let theme = config.theme;
  if (q.has('theme')) {
    if (THEMES.includes(q.get('theme'))) theme = q.get('theme'); else warnings.push(`unknown theme '${q.get('theme')}'`);
  }
  let defaults = config.indicators || [];
  if (q.has('sma') && !q.has('ind')) {
    const parts = q.get('sma').split(',').map((s) => s.trim()).filter(Boolean);
    if (parts.every((p) => p === 'none' || p === '50' || p === '200')) {
      defaults = parseIndicatorList(parts.filter((p) => p !== 'none').map((p) => 'sma:' + p).join(',')).list;
    } else {
      warnings.push(`bad sma '${q.get('sma')}' (use 50, 200, 50,200 or none)`);
    }
  }
  const ind = parseIndParam(q.has('ind') ? q.get('ind') : null, layout, defaults);
  warnings.push(...ind.warnings);
  charts.forEach((c, i) => { charts[i] = { symbol: c.symbol, tf: c.tf, ind: ind.charts[i] }; });
  const panels = { ...(config.panels || DEFAULT_UI_CONFIG.panels) };
  if (q.has('panels')) {
    const parts = q.get('panels').split(',').map((s) => s.trim()).filter(Boolean);
    if (parts.every((p) => p === 'none' || PANELS.includes(p))) {
      for (const p of PANELS) panels[p] = parts.includes(p);
    } else {
      warnings.push(`bad panels '${q.get('panels')}' (use trades, book, trades,book or none)`);
    }
  }
  let limit = DEFAULT_LIMIT;
  if (q.has('limit')) {
    const n = Number(q.get('limit'));
    if (Number.isInteger(n) && n >= MIN_LIMIT && n <= MAX_LIMIT) limit = n;
    else warnings.push(`bad limit '${q.get('limit')}' (${MIN_LIMIT}..${MAX_LIMIT})`);
  }
  return { state: { layout, charts, theme, panels, limit }, warnings };
}

/**
 * The canonical query string of a view (what the address bar shows; parseViewState reads it back unchanged). The
 * panels are written only when they differ from the config's (`config` given): a missing `panels` means those.
 */
export function formatViewState(state, config) {
  const shown = state.charts.slice(0, state.layout);
  let s = `?layout=${state.layout}&charts=${shown.map((c) => `${c.symbol}.${c.tf}`).join(',')}`
    + `&theme=${state.theme}&ind=${formatIndParam(shown.map((c) => c.ind || []))}`;
  const panelsDefault = (config && config.panels) || DEFAULT_UI_CONFIG.panels;
  if (state.panels && PANELS.some((p) => !state.panels[p] !== !panelsDefault[p])) {
    const on = PANELS.filter((p) => state.panels[p]);
    s += `&panels=${on.length ? on.join(',') : 'none'}`;
  }
  if (state.limit && state.limit !== DEFAULT_LIMIT) s += `&limit=${state.limit}`;
  return s;
}

// ---- candles and bars ----------------------------------------------------------------------------------------------

/**
 * Candle JSON {"symbol","tf","t"(ms),"o","h","l","c","v","n","x"} -> bar {time (s), open, high, low, close, volume,
 * trades, closed}, or null when it is malformed or belongs to another series.
 */
export function toBar(c, symbol, tf) {
  if (!c || typeof c !== 'object' || !Number.isFinite(c.t) || c.t % 1000 !== 0) return null;
  if (![c.o, c.h, c.l, c.c].every(Number.isFinite)) return null;
  if ((c.symbol && c.symbol !== symbol) || (c.tf && c.tf !== tf)) return null;
  return {
    time: c.t / 1000, open: c.o, high: c.h, low: c.l, close: c.c,
    volume: Number.isFinite(c.v) ? c.v : 0, trades: Number.isFinite(c.n) ? c.n : 0, closed: c.x === true,
  };
}

/** Candles (oldest first) -> bars with strictly increasing times; malformed, foreign or out-of-order ones dropped. */
export function toBars(candles, symbol, tf) {
  const bars = [];
  if (!Array.isArray(candles)) return bars;
  for (const c of candles) {
    const b = toBar(c, symbol, tf);
    if (b && (bars.length === 0 || b.time > bars[bars.length - 1].time)) bars.push(b);
  }
  return bars;
}

/**
 * The bars of one chart, oldest first, times strictly increasing: the single source of truth the chart series are
 * drawn from.
 */
export class BarStore {
  constructor(tf) {
    if (!TIMEFRAMES.includes(tf)) throw new Error(`unknown timeframe '${tf}'`);
    this.tf = tf;
    this.bars = [];
  }

  get length() { return this.bars.length; }
  first() { return this.bars.length ? this.bars[0] : null; }
  last() { return this.bars.length ? this.bars[this.bars.length - 1] : null; }

  /** Replaces everything. */
  reset(bars) { this.bars = bars.slice(); }

  /**
   * One live bar: 'append' (newer than the last), 'replace' (same time as the last), or 'ignore' (older, or the
   * store is empty and a snapshot is still to come is the caller's business). `gap` is true when an appended bar
   * skips windows, i.e. updates were missed and a catch-up is needed.
   */
  apply(bar) {
    const last = this.last();
    if (!last || bar.time > last.time) {
      const gap = last != null && bar.time > nextWindow(last.time, this.tf);
      this.bars.push(bar);
      return { kind: 'append', gap };
    }
    if (bar.time === last.time) {
      this.bars[this.bars.length - 1] = bar;
      return { kind: 'replace', gap: false };
    }
    return { kind: 'ignore', gap: false };
  }

  /**
   * Whether a catch-up answer (candles from the last bar's time on, newest `limit` of them) joins the stored bars
   * without a hole: it must start exactly at the last stored bar.
   */
  joins(bars) {
    const last = this.last();
    return last == null || bars.length === 0 || bars[0].time === last.time;
  }

  /** Older bars (oldest first) put in front; only those strictly older than the first are taken. Returns how many. */
  prepend(older) {
    const first = this.first();
    const take = first ? older.filter((b) => b.time < first.time) : older.slice();
    const clean = toSortedUnique(take);
    this.bars = clean.concat(this.bars);
    return clean.length;
  }

  /** Drops the oldest bars when there are more than `max` (TRIM_STEP at a time). Returns how many were dropped. */
  trim(max = MAX_BARS, step = TRIM_STEP) {
    if (this.bars.length <= max) return 0;
    const drop = this.bars.length - max + step;
    this.bars = this.bars.slice(drop);
    return drop;
  }

  /** Index of the bar with this time, or -1. */
  indexOf(time) {
    let lo = 0, hi = this.bars.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const t = this.bars[mid].time;
      if (t === time) return mid;
      if (t < time) lo = mid + 1; else hi = mid - 1;
    }
    return -1;
  }
}

function toSortedUnique(bars) {
  const out = [];
  for (const b of bars) if (out.length === 0 || b.time > out[out.length - 1].time) out.push(b);
  return out;
}

// ---- reconnect -----------------------------------------------------------------------------------------------------

export const OFFLINE_AFTER_ATTEMPTS = 4;

/** The indicator after `attempt` failed connects. */
export function retryState(attempt, online = true) {
  return !online || attempt > OFFLINE_AFTER_ATTEMPTS ? 'offline' : 'reconnecting';
}

// ---- tickers -------------------------------------------------------------------------------------------------------

/** Ticker JSON -> {symbol, last, open24h, change, changePct, high, low, volume, time}, or null when unusable. */
export function toTicker(t) {
  if (!t || typeof t !== 'object' || typeof t.symbol !== 'string' || !SYMBOL_RE.test(t.symbol)) return null;
  if (!Number.isFinite(t.last)) return null;
  const num = (x) => (Number.isFinite(x) ? x : null);
  const open24h = num(t.open24h);
  let change = num(t.change);
  let changePct = num(t.changePct);
  if (change == null && open24h != null) change = t.last - open24h;
  if (changePct == null && change != null && open24h) changePct = (change / open24h) * 100;
  return {
    symbol: t.symbol, last: t.last, open24h, change, changePct,
    high: num(t.high), low: num(t.low), volume: num(t.volume), time: num(t.time),
  };
}

/** Whether ticker `b` is not older than `a` (a ticker with an older time never replaces a newer one). */
export function isNewerTicker(a, b) {
  return !a || a.time == null || b.time == null || b.time >= a.time;
}

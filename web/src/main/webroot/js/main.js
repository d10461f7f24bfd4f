/*
 * Candlecast page: wiring. Reads the view from the URL (see model.js parseViewState), the chart configuration from
 * GET /api/ui-config (built-in defaults when it is missing), builds 1, 2 or 4 ChartPanes and the ticker strip, and
 * runs one LiveConnection (the JS client library on /ws, live.js) for all of them. Every choice is written back to the URL
 * (history.replaceState), so the address bar always reloads the same view.
 *
 * Charts: TradingView Lightweight Charts™, Copyright (c) TradingView, Inc., https://www.tradingview.com/
 * (Apache License 2.0). Its attribution logo (layout.attributionLogo) is kept on and the footer links to it.
 *
 * Test hooks: window.candlecast (see web/README.md).
 */
import {
  mergeUiConfig, parseViewState, formatViewState, defaultChart, makeTimeFormatters, formatPrice, LAYOUTS, SYMBOL_RE,
} from './model.js';
import { CandlecastClient } from '../vendor/candlecast/index.js';
import { LiveConnection } from './live.js';
import { ChartPane } from './chart-pane.js';
import { TickerStrip } from './ticker.js';
import { TradePanel, BookPanel } from './panels.js';
import { AccessToken } from './auth.js';
import { askToken } from './login.js';
import { ReplayBar } from './replay-bar.js';
import { pageOwner } from './alerts.js';
import { makeSpec } from './indicators.js';
import { AlertCenter } from './alert-center.js';
import { AlertPanel } from './alert-panel.js';
import { Toasts, Notifier, NoticeBanner } from './alert-ui.js';

const HTTP_TIMEOUT_MS = 10000;
const el = (id) => document.getElementById(id);

/** The JWT when the server wants one (#access_token=… in the URL, or the login prompt after a 401): auth.js. */
const auth = new AccessToken({
  storage: sessionStorageOrNull(), location: window.location, history: window.history,
  ask: (why) => askToken(document, why),
  onChange: () => { if (page.live) page.live.retryNow(); },
});
auth.adoptFromUrl();

function sessionStorageOrNull() {
  try { return window.sessionStorage; } catch (e) { return null; } // blocked by the browser's settings
}

async function getJson(url) {
  const token = auth.get();
  const res = await fetch(url, { headers: auth.headers({ Accept: 'application/json' }),
    signal: AbortSignal.timeout(HTTP_TIMEOUT_MS) });
  if (!res.ok) {
    let text = (await res.text().catch(() => '')).trim();
    try { text = JSON.parse(text).error || text; } catch (e) { /* plain text */ }
    if (res.status === 401 && await auth.renew(token, text)) return getJson(url);
    const err = new Error(`${url.split('?')[0]}: HTTP ${res.status}${text ? ' – ' + text.slice(0, 200) : ''}`);
    err.status = res.status;
    throw err;
  }
  return res.json();
}

/** POST without a body (the replay controls); the server's error text on failure, as getJson. */
async function postJson(url) {
  const token = auth.get();
  const res = await fetch(url, { method: 'POST', headers: auth.headers({ Accept: 'application/json' }),
    signal: AbortSignal.timeout(HTTP_TIMEOUT_MS) });
  if (!res.ok) {
    let text = (await res.text().catch(() => '')).trim();
    try { text = JSON.parse(text).error || text; } catch (e) { /* plain text */ }
    if (res.status === 401 && await auth.renew(token, text)) return postJson(url);
    const err = new Error(`HTTP ${res.status}${text ? ' – ' + text.slice(0, 200) : ''}`);
    err.status = res.status;
    throw err;
  }
  return res.json();
}

/** Takes over a request index.html started early, or makes it now. */
const prefetched = window.candlecastPrefetch || { candles: {} };
function early(key, url) {
  const p = prefetched[key];
  prefetched[key] = null;
  return p ? p.catch(() => getJson(url)) : getJson(url); // asked again on failure (e.g. 401: the login prompt)
}
function takePrefetchedCandles(url) {
  const p = prefetched.candles[url];
  delete prefetched.candles[url];
  return p ? p.catch(() => getJson(url)) : null; // a failure is asked again for the server's full error text
}

/** A missing ui-config (404) or any failure leaves the built-in defaults. */
const uiConfigRequest = early('ui', '/api/ui-config').catch(() => null);
const symbolsRequest = early('symbols', '/api/symbols')
  .then((b) => (b && Array.isArray(b.symbols) ? b.symbols : []))
  .catch(() => []);

const page = {
  config: null,
  state: null,          // {layout, charts: [{symbol, tf, ind}] (visible ones first; up to 4 remembered), theme, panels, limit}
  remembered: [],       // chart choices of every position ever shown (so 4 -> 1 -> 4 restores them)
  symbols: [],
  panes: [],
  active: 0,
  live: null,          // LiveConnection: the JS client (every live stream)
  tickers: null,
  trades: null,         // TradePanel (the active chart's symbol)
  book: null,           // BookPanel
  replay: null,         // ReplayBar (shown while the feed runs a replay)
  alerts: null,         // AlertCenter (alerts on the charts, their panel, fire toasts, notices)
  time: makeTimeFormatters(undefined),
  firstCandlesMs: null,
  firstPaneMs: null,
  connState: 'connecting',
  messages: [],
};

function say(text) {
  el('message').textContent = text || '';
  el('message').title = text || '';
  if (text) page.messages.push(text);
}

function setConnState(s) {
  page.connState = s;
  const conn = el('conn');
  conn.className = 'conn ' + s;
  conn.querySelector('b').textContent = s;
  if (page.alerts) page.alerts.connection(s);
  if (s === 'connected') refreshSymbols();
}

/** Symbols can appear while the page is open (a new market in the feed): checked on every (re)connect. */
async function refreshSymbols() {
  const body = await getJson('/api/symbols').catch(() => null);
  const list = body && Array.isArray(body.symbols) ? body.symbols.filter((x) => typeof x === 'string' && SYMBOL_RE.test(x)) : [];
  if (!list.length || list.join() === page.symbols.join()) return;
  page.symbols = list;
  page.panes.forEach((p) => p.setSymbols(list));
  if (page.tickers) page.tickers.setSymbols(list);
}

function colors() {
  return page.config.themes[page.state.theme];
}

function writeUrl() {
  const qs = formatViewState(page.state, page.config);
  if (location.search !== qs) history.replaceState(null, '', location.pathname + qs + location.hash);
}

function applyTheme() {
  const c = colors();
  const root = document.documentElement;
  root.dataset.theme = page.state.theme;
  for (const [k, v] of Object.entries({ bg: c.background, text: c.text, grid: c.grid, up: c.up, down: c.down })) {
    root.style.setProperty('--' + k, v);
  }
  document.querySelector('meta[name="theme-color"]').setAttribute('content', c.background);
  el('theme').setAttribute('aria-pressed', String(page.state.theme === 'light'));
  el('theme').title = page.state.theme === 'dark' ? 'Light theme' : 'Dark theme';
  page.panes.forEach((p) => p.applyTheme(c));
}

function showTitle() {
  const p = page.panes[0];
  if (!p || !p.symbol) return;
  const last = p.store.last();
  document.title = `${p.symbol}${last ? ' ' + formatPrice(last.close, p.decimals) : ''} · ${p.tf} · Candlecast`;
}

function setActive(i) {
  page.active = i;
  page.panes.forEach((p, k) => p.root.classList.toggle('active', k === i && page.panes.length > 1));
  followActive();
}

/** The side panels show the active chart's symbol. */
function followActive() {
  const p = page.panes[page.active];
  if (!p || !page.trades) return;
  page.trades.setSymbol(p.symbol);
  page.book.setSymbol(p.symbol);
  if (page.alerts) page.alerts.setActiveSymbol(p.symbol);
}

function setPanels() {
  const on = page.state.panels;
  page.trades.setVisible(on.trades);
  page.book.setVisible(on.book);
  el('side').hidden = !on.trades && !on.book && !(page.alerts && page.alerts.panel.visible);
  for (const key of ['trades', 'book']) el('panel-' + key).checked = on[key];
  writeUrl();
}

function makePane(i) {
  const root = document.createElement('section');
  el('grid').appendChild(root);
  const pane = new ChartPane({
    root, index: i, LC: window.LightweightCharts, live: page.live, colors: colors(),
    getJson: (url) => takePrefetchedCandles(url) || getJson(url),
    limit: page.state.limit, time: page.time,
    onChange: (p, symbol, tf) => {
      const ind = page.state.charts[p.index].ind;
      page.state.charts[p.index] = { symbol, tf, ind };
      page.remembered[p.index] = page.state.charts[p.index];
      writeUrl();
      p.load(symbol, tf);
      if (page.alerts) page.alerts.follow(p);
      if (p.index === page.active) followActive();
    },
    onIndicators: (p, list) => {
      page.state.charts[p.index] = { ...page.state.charts[p.index], ind: list };
      page.remembered[p.index] = page.state.charts[p.index];
      p.setIndicators(list);
      writeUrl();
    },
    onActivate: (p) => setActive(p.index),
    onFirstDraw: firstDraw,
  });
  const c = page.state.charts[i];
  pane.setIndicators(c.ind || []);
  pane.setSymbols(page.symbols.length ? page.symbols : [c.symbol]);
  pane.load(c.symbol, c.tf);
  if (page.alerts) page.alerts.attach(pane);
  return pane;
}

function firstDraw() {
  const now = performance.now();
  if (page.firstPaneMs == null) page.firstPaneMs = now;
  if (page.firstCandlesMs == null && page.panes.length && page.panes.every((p) => p.firstDrawn)) {
    // measured when the frame with the candles has been painted
    requestAnimationFrame(() => {
      page.firstCandlesMs = performance.now();
      performance.mark('candlecast:first-candles');
    });
  }
}

function setLayout(n) {
  if (!LAYOUTS.includes(n)) return;
  const s = page.state;
  s.layout = n;
  for (let i = 0; i < n; i++) {
    s.charts[i] = s.charts[i] || page.remembered[i] || defaultChart(i, page.config, page.symbols);
    page.remembered[i] = s.charts[i];
  }
  s.charts.length = n;
  while (page.panes.length > n) {
    const gone = page.panes.pop();
    if (page.alerts) page.alerts.detach(gone);
    gone.dispose();
  }
  while (page.panes.length < n) page.panes.push(makePane(page.panes.length));
  el('grid').className = 'grid layout-' + n;
  for (const b of document.querySelectorAll('#layouts button')) {
    b.setAttribute('aria-pressed', String(Number(b.dataset.layout) === n));
  }
  setActive(Math.min(page.active, n - 1));
  writeUrl();
}

function wireControls() {
  el('layouts').addEventListener('click', (e) => {
    const b = e.target.closest('button[data-layout]');
    if (b) setLayout(Number(b.dataset.layout));
  });
  for (const key of ['trades', 'book']) {
    el('panel-' + key).addEventListener('change', (e) => {
      page.state.panels[key] = e.target.checked;
      setPanels();
    });
  }
  el('theme').addEventListener('click', () => {
    page.state.theme = page.state.theme === 'dark' ? 'light' : 'dark';
    applyTheme();
    writeUrl();
  });
  el('panel-alerts').addEventListener('change', (e) => {
    page.alerts.panel.setVisible(e.target.checked);
    setPanels();
  });
  window.addEventListener('online', () => page.live.retryNow());
  window.addEventListener('offline', () => page.live.drop());
}

/** The server's points of an analysis series over REST: {key, points} (GET /api/indicators or /api/patterns). */
async function analysis(body) {
  const spec = makeSpec(body.name, body.params);
  const q = new URLSearchParams({ symbol: body.symbol, tf: body.tf });
  if (spec.name !== 'patterns') q.set('name', spec.name);
  for (const [k, v] of Object.entries(spec.params)) q.set(k, String(v));
  if (body.limit != null) q.set('limit', String(body.limit));
  const points = await getJson(`/api/${spec.name === 'patterns' ? 'patterns' : 'indicators'}?${q}`);
  return { key: spec.key, points };
}

function installHook() {
  const chart0 = () => page.panes[0];
  window.candlecast = {
    get state() { return page.connState; },
    get layout() { return page.state ? page.state.layout : null; },
    get theme() { return page.state ? page.state.theme : null; },
    /** Per chart (layout order) the keys of its indicators. */
    get indicators() { return page.state ? page.state.charts.slice(0, page.state.layout).map((c) => (c.ind || []).map((s) => s.key)) : null; },
    get symbols() { return page.symbols.slice(); },
    get config() { return page.config; },
    get firstCandlesMs() { return page.firstCandlesMs; },
    get firstPaneMs() { return page.firstPaneMs; },
    get connects() { return page.live ? page.live.connects : 0; },
    get messages() { return page.messages.slice(); },
    get charts() { return page.panes.map((p) => p.hook()); },
    tickers: () => (page.tickers ? page.tickers.snapshot() : {}),
    get panels() { return page.state ? { ...page.state.panels } : null; },
    trades: () => (page.trades ? page.trades.hook() : null),
    book: () => (page.book ? page.book.hook() : null),
    replay: () => (page.replay ? page.replay.hook() : null),
    /** Alerts and notices: owner, alerts, panel rows, fires shown, toasts, notices, chart(i) lines and draft. */
    get alerts() { return page.alerts ? page.alerts.hook() : null; },
    /** The server's values of an analysis series ({symbol, tf, name, params, limit}) over REST, for tests to compare. */
    analysis,
    get tickerUpdates() { return page.tickers ? page.tickers.updates : 0; },
    /** Ready: every chart has its first data (or its error) and nothing is loading. */
    get ready() { return page.panes.length > 0 && page.panes.every((p) => p.firstDrawn || p.el.msg.textContent); },
    // phase-1 hooks (first chart)
    get series() { return chart0() && chart0().series; },
    get volume() { return chart0() && chart0().volume; },
    get chart() { return chart0() && chart0().chart; },
    get symbol() { return chart0() && chart0().symbol; },
    get tf() { return chart0() && chart0().tf; },
    lastBar: () => (chart0() ? chart0().hook().lastBar() : null),
    barCount: () => (chart0() ? chart0().series.data().length : 0),
  };
}

async function start() {
  installHook();
  setConnState('connecting');
  const [server, symbols] = await Promise.all([uiConfigRequest, symbolsRequest]);
  const merged = mergeUiConfig(server);
  page.config = merged.config;
  page.symbols = symbols.filter((s) => typeof s === 'string' && SYMBOL_RE.test(s));
  const parsed = parseViewState(location.search, page.config, page.symbols);
  page.state = parsed.state;
  page.remembered = parsed.state.charts.slice();
  const warnings = parsed.warnings.concat(merged.warnings);
  if (warnings.length) say(warnings.join('; '));
  if (!page.symbols.length) page.symbols = [...new Set(page.state.charts.map((c) => c.symbol))];

  const who = pageOwner(location.search, auth.get());
  if (who.warning) say(who.warning);
  page.live = new LiveConnection({
    Client: CandlecastClient, url: location.origin, token: () => auth.get(), owner: who.owner,
    WebSocket: window.WebSocket, online: () => navigator.onLine !== false,
    onState: setConnState, onProblem: (text) => say(text),
  });
  page.tickers = new TickerStrip(el('tickers'), {
    live: page.live,
    onPick: (symbol) => {
      const p = page.panes[page.active];
      if (p && p.symbol !== symbol) p.onChange(p, symbol, p.tf);
    },
  });
  page.trades = new TradePanel(el('trades'), { live: page.live });
  page.book = new BookPanel(el('book'), { live: page.live });
  startAlerts(who.owner);
  applyTheme();
  wireControls();
  setLayout(page.state.layout);
  setPanels();
  followActive();
  page.tickers.setSymbols(page.symbols);
  page.live.start();
  page.replay = new ReplayBar(el('replay'), { getJson, postJson, say });
  page.replay.start();
  setInterval(showTitle, 1000);
}

/** Alerts and notices (before the charts, which it draws on). */
function startAlerts(owner) {
  const panel = new AlertPanel(el('alerts'), {
    create: (def) => page.alerts.create(def),
    remove: (id) => page.alerts.remove(id),
  });
  const hms = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
  page.alerts = new AlertCenter({
    owner, live: page.live, auth, storage: localStorageOrNull(), panel,
    toasts: new Toasts(el('toasts')), notifier: new Notifier(window), banner: new NoticeBanner(el('notices')),
    time: (ms) => hms.format(ms), colors, say, onCreated: showAlertsPanel,
  });
  page.alerts.start();
}

/** A created alert shows the panel that lists it. */
function showAlertsPanel() {
  if (page.alerts.panel.visible) return;
  el('panel-alerts').checked = true;
  page.alerts.panel.setVisible(true);
  setPanels();
}

function localStorageOrNull() {
  try { return window.localStorage; } catch (e) { return null; }
}

start().catch((e) => {
  setConnState('offline');
  say('start failed: ' + (e && e.message));
});

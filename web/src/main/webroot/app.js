/*
 * Candlecast live chart: history over HTTP, live updates over the Vert.x SockJS event-bus bridge.
 *
 * Charts: TradingView Lightweight Charts™, Copyright (c) TradingView, Inc., https://www.tradingview.com/
 * (Apache License 2.0). Its attribution logo (layout.attributionLogo, on by default) is kept on.
 *
 * Server contract (see web/README.md):
 *   GET /api/config                                -> {"defaultSymbol":"BTCUSD","defaultTf":"1m"}   (optional)
 *   GET /api/candles?symbol=S&tf=T&limit=N[&from=ms] -> [candle, ...] oldest first
 *   SockJS /eventbus, address candles.S.T          -> candle JSON on every change
 *   candle = {"symbol","tf","t"(open time, ms),"o","h","l","c","v","n","x"(closed)}
 */
(function () {
  'use strict';

  const TIMEFRAMES = ['1s', '1m', '5m', '15m', '1h', '4h', '1d'];
  const FALLBACK = { symbol: 'BTCUSD', tf: '1m' };
  const LIMIT = 500;
  const RETRY_MIN_MS = 500;
  const RETRY_MAX_MS = 15000;
  const OFFLINE_AFTER_ATTEMPTS = 4;   // failed reconnects before the indicator says "offline"
  const HTTP_TIMEOUT_MS = 10000;
  const UP = '#26a69a', DOWN = '#ef5350';
  const UP_VOL = 'rgba(38, 166, 154, 0.5)', DOWN_VOL = 'rgba(239, 83, 80, 0.5)';

  const LC = window.LightweightCharts;
  const el = (id) => document.getElementById(id);

  // ---- chart -------------------------------------------------------------------------------------
  const chart = LC.createChart(el('chart'), {
    autoSize: true,
    layout: { background: { type: LC.ColorType.Solid, color: '#131722' }, textColor: '#d1d4dc' },
    grid: { vertLines: { color: '#1f2430' }, horzLines: { color: '#1f2430' } },
    rightPriceScale: { borderColor: '#2a2e39', scaleMargins: { top: 0.1, bottom: 0.25 } },
    timeScale: { borderColor: '#2a2e39', timeVisible: true, secondsVisible: false },
  });
  const series = chart.addSeries(LC.CandlestickSeries, {
    upColor: UP, downColor: DOWN, borderVisible: false, wickUpColor: UP, wickDownColor: DOWN,
  });
  const volume = chart.addSeries(LC.HistogramSeries, {
    priceScaleId: 'volume', priceFormat: { type: 'volume' }, lastValueVisible: false, priceLineVisible: false,
  });
  chart.priceScale('volume').applyOptions({ scaleMargins: { top: 0.8, bottom: 0 } });

  // ---- state -------------------------------------------------------------------------------------
  let symbol = null, tf = null;
  let last = null;            // last drawn bar {time (s), open, high, low, close, volume, trades, closed}
  let state = 'connecting';   // connecting | connected | reconnecting | offline
  let bus = null, attempts = 0, retryTimer = null;

  window.candlecast = {
    series, volume, chart,
    get symbol() { return symbol; },
    get tf() { return tf; },
    get state() { return state; },
    lastBar: () => (last ? { ...last } : null),
    barCount: () => series.data().length,
  };

  function setState(s) {
    state = s;
    const conn = el('conn');
    conn.className = 'conn ' + s;
    conn.querySelector('b').textContent = s;
  }

  function say(text) {
    el('message').textContent = text || '';
    if (text) console.warn('candlecast:', text);
  }

  // ---- candles -----------------------------------------------------------------------------------
  /** Candle JSON -> bar, or null when it is not a candle of this series. */
  function toBar(c) {
    if (!c || !Number.isFinite(c.t) || ![c.o, c.h, c.l, c.c].every(Number.isFinite)) return null;
    if ((c.symbol && c.symbol !== symbol) || (c.tf && c.tf !== tf)) return null;
    return { time: c.t / 1000, open: c.o, high: c.h, low: c.l, close: c.c,
             volume: Number(c.v) || 0, trades: Number(c.n) || 0, closed: c.x === true };
  }

  const candlePoint = (b) => ({ time: b.time, open: b.open, high: b.high, low: b.low, close: b.close });
  const volumePoint = (b) => ({ time: b.time, value: b.volume, color: b.close >= b.open ? UP_VOL : DOWN_VOL });

  function showTitle() {
    document.title = (last ? `${symbol} ${last.close} · ${tf}` : `${symbol} ${tf}`) + ' · Candlecast';
  }

  /** Replaces everything drawn with these candles (oldest first; out-of-order or repeated times dropped). */
  function drawAll(candles) {
    const bars = [];
    for (const c of candles) {
      const b = toBar(c);
      if (b && (bars.length === 0 || b.time > bars[bars.length - 1].time)) bars.push(b);
    }
    series.setData(bars.map(candlePoint));
    volume.setData(bars.map(volumePoint));
    last = bars.length ? bars[bars.length - 1] : null;
    showTitle();
  }

  /** Draws one candle: a new bar, or a replacement of the last one. Older bars are ignored. */
  function draw(candle) {
    const b = toBar(candle);
    if (!b || (last && b.time < last.time)) return;
    series.update(candlePoint(b));
    volume.update(volumePoint(b));
    last = b;
    showTitle();
  }

  async function getJson(url) {
    const res = await fetch(url, { headers: { Accept: 'application/json' }, signal: AbortSignal.timeout(HTTP_TIMEOUT_MS) });
    if (!res.ok) {
      const text = (await res.text().catch(() => '')).trim().slice(0, 200);
      throw new Error(`${url}: HTTP ${res.status}${text ? ' ' + text : ''}`);
    }
    return res.json();
  }

  async function fetchCandles(fromMs) {
    const q = new URLSearchParams({ symbol, tf, limit: String(LIMIT) });
    if (fromMs != null) q.set('from', String(fromMs));
    const body = await getJson('/api/candles?' + q);
    if (!Array.isArray(body)) throw new Error('/api/candles: expected a JSON array');
    return body;
  }

  /** Fills what was missed: everything when nothing is drawn, else the bars since the last one. */
  async function catchUp() {
    if (!last) return drawAll(await fetchCandles());
    const missed = await fetchCandles(last.time * 1000);
    if (missed.length >= LIMIT) return drawAll(await fetchCandles()); // more than a page missed: reload
    missed.forEach(draw);
  }

  // ---- live updates ------------------------------------------------------------------------------
  function connect() {
    retryTimer = null;
    let eb;
    try {
      eb = new EventBus('/eventbus');
    } catch (e) {
      say('event bus: ' + e.message);
      return retry();
    }
    bus = eb;
    eb.onopen = () => { if (bus === eb) subscribe(eb); };
    eb.onclose = () => { if (bus === eb) { bus = null; retry(); } };
    eb.onerror = (e) => console.warn('candlecast: event bus error', e);
  }

  function retry() {
    attempts++;
    setState(attempts > OFFLINE_AFTER_ATTEMPTS || navigator.onLine === false ? 'offline' : 'reconnecting');
    const delay = Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** attempts) * (0.75 + Math.random() / 2);
    retryTimer = setTimeout(connect, delay);
  }

  /** Registers first and buffers live bars while the missed ones are fetched, so nothing falls in between. */
  function subscribe(eb) {
    const address = `candles.${symbol}.${tf}`;
    let buffer = [];
    eb.registerHandler(address, (err, msg) => {
      if (err) return say(`event bus refused ${address}: ${err.message || err.failureType}`);
      if (buffer) buffer.push(msg.body); else draw(msg.body);
    });
    catchUp()
      .then(() => say(''), (e) => say('history: ' + e.message))
      .finally(() => {
        if (bus !== eb) return;
        buffer.forEach(draw);
        buffer = null;
        attempts = 0;
        setState('connected');
      });
  }

  window.addEventListener('online', () => {
    if (retryTimer) { clearTimeout(retryTimer); connect(); }
  });

  // ---- start -------------------------------------------------------------------------------------
  async function resolveSeries() {
    const q = new URLSearchParams(location.search);
    let s = q.get('symbol'), t = q.get('tf');
    if (!s || !t) {
      const conf = await getJson('/api/config').catch(() => ({}));
      s = s || conf.defaultSymbol || FALLBACK.symbol;
      t = t || conf.defaultTf || FALLBACK.tf;
    }
    s = String(s).trim().toUpperCase();
    if (!/^[A-Z0-9]{2,20}$/.test(s)) throw new Error(`invalid symbol '${s}' (2-20 letters or digits)`);
    if (!TIMEFRAMES.includes(t)) throw new Error(`unknown timeframe '${t}' (expected one of ${TIMEFRAMES.join(', ')})`);
    return [s, t];
  }

  async function start() {
    setState('connecting');
    try {
      [symbol, tf] = await resolveSeries();
    } catch (e) {
      setState('offline');
      return say(e.message);
    }
    el('series').textContent = `${symbol} · ${tf}`;
    chart.applyOptions({ timeScale: { secondsVisible: tf === '1s' } });
    showTitle();
    try {
      drawAll(await fetchCandles());
    } catch (e) {
      say('history: ' + e.message);
    }
    connect();
  }

  start();
})();

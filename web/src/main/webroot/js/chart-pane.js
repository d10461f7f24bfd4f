/*
 * One chart of the layout: toolbar (symbol, timeframe, indicator menu), Lightweight Charts™ with candlesticks, volume
 * histogram, the chosen indicators (IndicatorLayer: overlays on the price pane, oscillators in panes under it, pattern
 * markers on the candles; all values from the server) and a crosshair legend. Data flow:
 *   snapshot:  GET /api/candles (newest `limit`) -> series.setData()
 *   live:      the JS client's candles(symbol, tf) stream -> series.update() (same time replaces the last bar); the
 *              client resumes it after every reconnect without a gap or a duplicate; the merge rules (first paint,
 *              the stream's snapshots, stale versions) live in CandleFeed (candle-feed.js)
 *   scroll:    the view nears the oldest bar -> GET /api/candles?to=<oldest - 1 ms> -> prepend -> setData()
 */
import {
  BarStore, TIMEFRAMES, toBars, priceDecimals, formatPrice, formatVolume, formatPct, direction, MAX_BARS, TRIM_STEP,
} from './model.js';
import { CandleFeed } from './candle-feed.js';
import { indicatorColor, legendEntry } from './indicators.js';
import { IndicatorLayer } from './indicator-layer.js';
import { IndicatorMenu } from './indicator-menu.js';

/** Start loading older bars when fewer than this many bars are left of the view. */
const SCROLL_BACK_MARGIN = 20;

export class ChartPane {
  /**
   * @param {object} o
   * @param {HTMLElement} o.root      the pane's <section>
   * @param {number} o.index
   * @param {object} o.LC             window.LightweightCharts
   * @param {LiveConnection} o.live   the page's client (live.js)
   * @param {(path:string)=>Promise<any>} o.getJson
   * @param {object} o.colors         theme colours
   * @param {Array<{name, params, key}>} o.indicators  the chart's indicators (indicators.js specs)
   * @param {number} o.limit          bars per history request
   * @param {object} o.time           makeTimeFormatters()
   * @param {(pane, symbol, tf)=>void} o.onChange   the user picked another symbol/timeframe
   * @param {(pane)=>void} o.onActivate
   * @param {(pane)=>void} o.onFirstDraw
   * @param {(pane, list)=>void} o.onIndicators  the user changed the chart's indicators in its menu
   */
  constructor(o) {
    Object.assign(this, {
      root: o.root, index: o.index, LC: o.LC, live: o.live, getJson: o.getJson, colors: o.colors,
      limit: o.limit, time: o.time, onChange: o.onChange,
      onActivate: o.onActivate, onFirstDraw: o.onFirstDraw, onIndicators: o.onIndicators || (() => {}),
    });
    this.indicators = [];
    this.layers = [];          // IndicatorLayer per indicator, in the list's order
    this.symbol = null;
    this.tf = null;
    this.token = 0;            // bumps on every series switch; answers for an older token are dropped
    this.store = new BarStore('1m');
    this.sync = null;          // CandleFeed of the series shown
    this.sub = null;
    this.exhausted = false;    // no older history left
    this.loadingOlder = false;
    this.decimals = 2;
    this.hovered = null;       // bar under the crosshair
    this.counters = { fullLoads: 0, olderLoads: 0, updates: 0 };
    this.firstDrawn = false;
    this.buildDom();
    this.buildChart();
  }

  // ---- DOM -----------------------------------------------------------------------------------------------------------

  buildDom() {
    const r = this.root;
    r.classList.add('pane');
    r.dataset.index = String(this.index);
    r.innerHTML = `
      <div class="pane-bar">
        <select class="pane-symbol" aria-label="symbol"></select>
        <div class="pane-tfs" role="group" aria-label="timeframe">
          ${TIMEFRAMES.map((tf) => `<button type="button" data-tf="${tf}">${tf}</button>`).join('')}
        </div>
        <details class="pane-ind"></details>
        <span class="pane-msg" role="status"></span>
      </div>
      <div class="pane-body">
        <div class="pane-chart"></div>
        <div class="legend" aria-live="off">
          <div class="legend-row"><b class="lg-sym"></b><span class="lg-tf"></span>
            <span class="lg-ohlc"><i>O</i><span class="lg-o"></span><i>H</i><span class="lg-h"></span><i>L</i><span class="lg-l"></span><i>C</i><span class="lg-c"></span><span class="lg-chg"></span></span>
          </div>
          <div class="legend-row"><i>Vol</i><span class="lg-v"></span></div>
          <div class="legend-row lg-ind"></div>
        </div>
      </div>`;
    const q = (s) => r.querySelector(s);
    this.el = {
      select: q('.pane-symbol'), tfs: q('.pane-tfs'), msg: q('.pane-msg'), chart: q('.pane-chart'),
      sym: q('.lg-sym'), tf: q('.lg-tf'), o: q('.lg-o'), h: q('.lg-h'), l: q('.lg-l'), c: q('.lg-c'),
      chg: q('.lg-chg'), v: q('.lg-v'), ind: q('.lg-ind'),
    };
    this.menu = new IndicatorMenu(q('.pane-ind'), (list) => this.onIndicators(this, list));
    this.el.select.addEventListener('change', () => this.onChange(this, this.el.select.value, this.tf));
    this.el.tfs.addEventListener('click', (e) => {
      const tf = e.target && e.target.dataset && e.target.dataset.tf;
      if (tf && tf !== this.tf) this.onChange(this, this.symbol, tf);
    });
    r.addEventListener('pointerdown', () => this.onActivate(this), { capture: true });
  }

  setSymbols(symbols) {
    const list = symbols.includes(this.symbol) || !this.symbol ? symbols : [this.symbol, ...symbols];
    const sel = this.el.select;
    if (sel.options.length === list.length && [...sel.options].every((o, i) => o.value === list[i])) {
      sel.value = this.symbol;
      return;
    }
    sel.textContent = '';
    for (const s of list) sel.add(new Option(s, s));
    sel.value = this.symbol;
  }

  message(text) {
    this.el.msg.textContent = text || '';
    this.el.msg.title = text || '';
  }

  // ---- chart ---------------------------------------------------------------------------------------------------------

  buildChart() {
    const LC = this.LC;
    this.chart = LC.createChart(this.el.chart, {
      autoSize: true,
      layout: { attributionLogo: true, fontSize: 11 },
      rightPriceScale: { scaleMargins: { top: 0.12, bottom: 0.24 } },
      timeScale: { timeVisible: true, secondsVisible: false, rightOffset: 4, tickMarkFormatter: (t, type) => this.time.tick(t, type) },
      localization: { timeFormatter: (t) => this.time.crosshair(t, this.tf) },
      crosshair: { mode: LC.CrosshairMode.Normal },
    });
    this.series = this.chart.addSeries(LC.CandlestickSeries, { borderVisible: false });
    this.volume = this.chart.addSeries(LC.HistogramSeries, {
      priceScaleId: 'volume', priceFormat: { type: 'volume' }, lastValueVisible: false, priceLineVisible: false,
    });
    this.chart.priceScale('volume').applyOptions({ scaleMargins: { top: 0.8, bottom: 0 } });
    this.applyTheme(this.colors);
    this.chart.subscribeCrosshairMove((p) => {
      const i = p && p.time !== undefined ? this.store.indexOf(p.time) : -1;
      this.hovered = i >= 0 ? i : null;
      this.hoveredTime = p && p.time !== undefined ? p.time : null;
      this.renderLegend();
    });
    this.chart.timeScale().subscribeVisibleLogicalRangeChange((range) => {
      if (range && range.from < SCROLL_BACK_MARGIN) this.loadOlder();
    });
  }

  applyTheme(c) {
    this.colors = c;
    this.chart.applyOptions({
      layout: { background: { type: this.LC.ColorType.Solid, color: c.background }, textColor: c.text },
      grid: { vertLines: { color: c.grid }, horzLines: { color: c.grid } },
      rightPriceScale: { borderColor: c.grid },
      timeScale: { borderColor: c.grid },
    });
    this.series.applyOptions({
      upColor: c.up, downColor: c.down, wickUpColor: c.up, wickDownColor: c.down, borderVisible: false,
    });
    if (this.store.length) this.volume.setData(this.store.bars.map((b) => this.volumePoint(b)));
    (this.layers || []).forEach((l, i) => l.applyColors(indicatorColor(i, c), c));
    if (this.el.ind) this.renderIndicatorLegend();
  }

  /**
   * The chart's indicators (specs in order): layers of removed keys go, new keys get a layer (started on the shown
   * series), kept ones stay as they are (no refetch). Colours follow the position in the list.
   */
  setIndicators(list) {
    const keys = new Set(list.map((s) => s.key));
    for (const l of this.layers.filter((x) => !keys.has(x.spec.key))) l.dispose();
    const kept = new Map(this.layers.filter((x) => keys.has(x.spec.key)).map((x) => [x.spec.key, x]));
    this.indicators = list.slice();
    this.layers = list.map((spec, i) => {
      const old = kept.get(spec.key);
      if (old) return old;
      const layer = new IndicatorLayer({
        spec, LC: this.LC, chart: this.chart, candles: this.series, live: this.live,
        color: indicatorColor(i, this.colors), colors: this.colors,
        onData: () => this.renderIndicatorLegend(),
        onProblem: (_, text) => this.message(text),
        chartRange: () => (this.store.length ? { first: this.store.first().time, length: this.store.length } : null),
      });
      if (this.symbol) layer.start(this.symbol, this.tf, this.indicatorLimit());
      return layer;
    });
    this.layers.forEach((l, i) => l.applyColors(indicatorColor(i, this.colors), this.colors));
    this.menu.set(this.indicators);
    this.renderIndicatorLegend();
  }

  /** Points asked per indicator snapshot: as many as the chart has bars (at least `limit`, at most 5000). */
  indicatorLimit() {
    return Math.min(5000, Math.max(this.limit, this.store.length));
  }

  candlePoint(b) {
    return { time: b.time, open: b.open, high: b.high, low: b.low, close: b.close };
  }

  volumePoint(b) {
    return { time: b.time, value: b.volume, color: b.close >= b.open ? this.colors.volumeUp : this.colors.volumeDown };
  }

  /** Draws the whole store (snapshot, reload, scroll-back, trim). */
  redraw() {
    const bars = this.store.bars;
    this.series.setData(bars.map((b) => this.candlePoint(b)));
    this.volume.setData(bars.map((b) => this.volumePoint(b)));
    this.hovered = null;
    this.hoveredTime = null;
    this.renderLegend();
  }

  /** A snapshot or a full reload: replaces everything drawn. */
  drawAll(bars) {
    this.store.reset(bars);
    const last = this.store.last();
    if (last) this.setDecimals(priceDecimals(last.close));
    this.redraw();
    this.chart.timeScale().scrollToRealTime();
    this.counters.fullLoads++;
    for (const l of this.layers) l.cover();
    if (last && !this.firstDrawn) {
      this.firstDrawn = true;
      this.onFirstDraw(this);
    }
  }

  setDecimals(d) {
    if (d === this.decimals) return;
    this.decimals = d;
    this.series.applyOptions({ priceFormat: { type: 'price', precision: d, minMove: 10 ** -d } });
  }

  /** One bar into the store and onto the chart: update() appends or replaces the last bar. */
  drawBar(b) {
    const r = this.store.apply(b);
    if (r.kind === 'ignore') return r;
    this.counters.updates++;
    if (this.store.length > MAX_BARS) {
      // Drop the oldest bars, unless the user is looking at them (scrolled back that far).
      const range = this.chart.timeScale().getVisibleLogicalRange();
      if (range && range.from > TRIM_STEP + SCROLL_BACK_MARGIN && this.store.trim() > 0) {
        for (const l of this.layers) l.trimBefore(this.store.first().time);
        this.redraw();
        return r;
      }
    }
    this.series.update(this.candlePoint(b));
    this.volume.update(this.volumePoint(b));
    const i = this.store.length - 1;
    if (this.hovered == null || this.hovered >= i - 1) this.renderLegend();
    if (i === 0 && !this.firstDrawn) {
      this.firstDrawn = true;
      this.onFirstDraw(this);
    }
    return r;
  }

  renderLegend() {
    const e = this.el;
    e.sym.textContent = this.symbol || '';
    e.tf.textContent = this.tf || '';
    const bars = this.store.bars;
    const i = this.hovered != null && this.hovered < bars.length ? this.hovered : bars.length - 1;
    const b = bars[i];
    const d = this.decimals;
    if (!b) {
      for (const k of ['o', 'h', 'l', 'c', 'v', 'chg']) e[k].textContent = '–';
      e.chg.className = 'lg-chg';
      this.renderIndicatorLegend();
      return;
    }
    e.o.textContent = formatPrice(b.open, d);
    e.h.textContent = formatPrice(b.high, d);
    e.l.textContent = formatPrice(b.low, d);
    e.c.textContent = formatPrice(b.close, d);
    const prev = i > 0 ? bars[i - 1].close : b.open;
    const pct = prev ? ((b.close - prev) / prev) * 100 : 0;
    e.chg.textContent = formatPct(pct);
    e.chg.className = 'lg-chg ' + direction(b.close - prev);
    e.c.className = 'lg-c ' + (b.close >= b.open ? 'up' : 'down');
    e.v.textContent = formatVolume(b.volume);
    this.renderIndicatorLegend();
  }

  /** One entry per indicator: its values at the crosshair's time, else its newest point. */
  renderIndicatorLegend() {
    const box = this.el.ind;
    const time = this.hovered != null ? this.hoveredTime : null;
    while (box.children.length > this.layers.length) box.lastChild.remove();
    this.layers.forEach((layer, k) => {
      let item = box.children[k];
      if (!item) {
        item = document.createElement('span');
        item.className = 'lg-item';
        item.innerHTML = '<i></i><span class="lg-val"></span>';
        box.appendChild(item);
      }
      const v = layer.valueAt(time);
      const entry = layer.spec.name === 'patterns'
        ? legendEntry(layer.spec, null, this.decimals, v)
        : legendEntry(layer.spec, v, this.decimals);
      item.dataset.key = layer.spec.key;
      item.style.setProperty('--line', layer.color);
      item.firstChild.textContent = entry.label;
      item.lastChild.textContent = entry.values.join(' ');
    });
    box.hidden = this.layers.length === 0;
  }

  // ---- data ----------------------------------------------------------------------------------------------------------

  async fetchCandles(extra) {
    const q = new URLSearchParams({ symbol: this.symbol, tf: this.tf, limit: String(this.limit) });
    for (const [k, v] of Object.entries(extra || {})) q.set(k, String(v));
    const body = await this.getJson('/api/candles?' + q);
    if (!Array.isArray(body)) throw new Error('/api/candles: expected a JSON array');
    return toBars(body, this.symbol, this.tf);
  }

  /** Shows another series: the newest bars over HTTP for the first paint, then the client's live stream. */
  load(symbol, tf) {
    const token = ++this.token;
    if (this.sub) this.sub.close();
    if (this.sync) this.sync.close();
    this.symbol = symbol;
    this.tf = tf;
    this.store = new BarStore(tf);
    this.exhausted = false;
    this.loadingOlder = false;
    this.hovered = null;
    this.el.select.value = symbol;
    for (const btn of this.el.tfs.querySelectorAll('button')) btn.classList.toggle('active', btn.dataset.tf === tf);
    this.root.dataset.symbol = symbol;
    this.root.dataset.tf = tf;
    this.chart.applyOptions({ timeScale: { secondsVisible: tf === '1s' } });
    this.redraw();
    this.message('loading…');
    const message = (text) => { if (token === this.token) this.message(text); };
    const feed = new CandleFeed({
      store: this.store, counters: this.counters,
      fetch: () => this.fetchCandles(),
      drawAll: (bars) => this.drawSnapshot(bars),
      drawBar: (b) => this.drawBar(b),
      redraw: () => this.redraw(),
      message,
    });
    this.sync = feed;
    const painted = feed.load();
    this.sub = this.live.candles(symbol, tf, {
      onSnapshot: (s) => feed.onSnapshot(s),
      onUpdate: (c) => feed.onUpdate(c),
      onError: (e, text) => message(text),
    });
    for (const l of this.layers) l.start(symbol, tf, this.indicatorLimit());
    this.renderIndicatorLegend();
    return painted;
  }

  /** drawAll, with the first paint's performance marks. */
  drawSnapshot(bars) {
    const first = !this.firstDrawn;
    if (first) performance.mark(`candlecast:snapshot-received:${this.index}`);
    this.drawAll(bars);
    if (first) performance.mark(`candlecast:snapshot-drawn:${this.index}`);
  }

  /** Scroll-back: older bars in front of the oldest one. */
  async loadOlder() {
    if (this.loadingOlder || this.exhausted || !this.store.length) return;
    const token = this.token;
    this.loadingOlder = true;
    let more = false;
    try {
      const first = this.store.first();
      const older = await this.fetchCandles({ to: first.time * 1000 - 1 });
      if (token !== this.token) return;
      const added = this.store.prepend(older);
      if (older.length < this.limit || added === 0) this.exhausted = true;
      if (added > 0) {
        this.counters.olderLoads++;
        this.redraw();
        for (const l of this.layers) l.widen(this.store.length);
        more = true;
      }
    } catch (e) {
      if (token === this.token) this.message('older history: ' + e.message);
    } finally {
      if (token === this.token) this.loadingOlder = false;
    }
    if (more && token === this.token) {
      const range = this.chart.timeScale().getVisibleLogicalRange();
      if (range && range.from < SCROLL_BACK_MARGIN) this.loadOlder();
    }
  }

  dispose() {
    this.token++;
    if (this.sub) this.sub.close();
    if (this.sync) this.sync.close();
    this.sub = null;
    for (const l of this.layers) l.dispose();
    this.layers = [];
    this.chart.remove();
    this.root.remove();
  }

  /** What tests see (window.candlecast.charts[i]). */
  hook() {
    const pane = this;
    return {
      get symbol() { return pane.symbol; },
      get tf() { return pane.tf; },
      get chart() { return pane.chart; },
      get series() { return pane.series; },
      get volume() { return pane.volume; },
      get indicators() { return pane.indicators.map((s) => s.key); },
      /** The chart's indicator layers: key, name, place, paneIndex, counters, error, count, drawn(), points(). */
      get layers() { return pane.layers.map((l) => l.hook()); },
      layer: (key) => { const l = pane.layers.find((x) => x.spec.key === key); return l ? l.hook() : null; },
      /** The legend's indicator entries as shown: [{key, label, text}]. */
      legend: () => [...pane.el.ind.children].map((e) => ({
        key: e.dataset.key, label: e.firstChild.textContent, text: e.lastChild.textContent,
      })),
      panes: () => pane.chart.panes().length,
      get counters() { return { ...pane.counters }; },
      get exhausted() { return pane.exhausted; },
      get busy() { return (pane.sync != null && pane.sync.busy) || pane.loadingOlder; },
      get message() { return pane.el.msg.textContent; },
      barCount: () => pane.series.data().length,
      lastBar: () => { const b = pane.store.last(); return b ? { ...b } : null; },
      /** The store's bars (time s, o/h/l/c, volume, trades, closed). */
      bars: () => pane.store.bars.map((b) => ({ ...b })),
      /** What the chart series actually hold: [{time, open, high, low, close, volume}]. */
      drawn: () => {
        const vol = pane.volume.data();
        return pane.series.data().map((c, i) => ({
          time: c.time, open: c.open, high: c.high, low: c.low, close: c.close, volume: vol[i] ? vol[i].value : null,
        }));
      },
      /** The drawn line of indicator `sma:n` (empty when the chart does not show it). */
      smaData: (n) => {
        const l = pane.layers.find((x) => x.spec.key === `sma:${n}`);
        return l ? l.series.value.data().map((p) => ({ time: p.time, value: p.value })) : [];
      },
    };
  }
}

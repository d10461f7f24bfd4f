/*
 * One indicator on one chart: its chart series (lines on the price pane, or lines/histogram in a pane of its own
 * under it, or markers on the candles for the patterns), its points and its live subscription. Data flow:
 *   subscribe the JS client's indicator(symbol, tf, name, params, {limit}) (patterns: patterns(…)) stream; the
 *             client resumes it after every reconnect
 *   snapshot  the stream's snapshot (the newest `limit` points) -> setData; a resumed one (`recovered:true`)
 *             continues the points like live ones
 *   live      one point at a time: one with the newest t replaces it (the open window's provisional value), a newer
 *             one appends, an older one is ignored (PointStore); patterns: new detections become markers
 *   cover     a full snapshot that starts after the chart's oldest bar is asked again with a longer limit (the
 *             chart and the indicator are fetched apart; coverLimit), as is one the chart's scroll-back outgrew
 * Nothing is computed here: every value is the server's.
 */
import { coverLimit, KINDS, PointStore, PatternStore } from './indicators.js';
import { pointOf } from './live.js';

/** Height of an oscillator pane relative to the price pane (stretch factor 1). */
const PANE_STRETCH = 0.32;

export class IndicatorLayer {
  /**
   * @param {object} o
   * @param {{name, params, key}} o.spec
   * @param {object} o.LC        window.LightweightCharts
   * @param {object} o.chart     the chart (IChartApi)
   * @param {object} o.candles   the candlestick series (markers go there)
   * @param {LiveConnection} o.live  the page's client (live.js)
   * @param {string} o.color
   * @param {object} o.colors    theme colours (up/down/text)
   * @param {(layer)=>void} o.onData     points changed (legend)
   * @param {(layer, text)=>void} o.onProblem
   * @param {()=>({first:number,length:number}|null)} [o.chartRange]  the chart's oldest bar time (s) and bar count
   */
  constructor(o) {
    Object.assign(this, {
      spec: o.spec, LC: o.LC, chart: o.chart, candles: o.candles, live: o.live, color: o.color, colors: o.colors,
      onData: o.onData || (() => {}), onProblem: o.onProblem || (() => {}), chartRange: o.chartRange || (() => null),
    });
    this.kind = KINDS[this.spec.name];
    this.store = this.kind.place === 'markers' ? new PatternStore() : new PointStore(this.kind.fields);
    this.series = {};          // field -> ISeriesApi
    this.markers = null;       // ISeriesMarkersPluginApi (patterns)
    this.sub = null;
    this.token = 0;
    this.symbol = null;
    this.tf = null;
    this.limit = 500;
    this.full = false;         // the last snapshot held `limit` points (the server may have older ones)
    this.counters = { snapshots: 0, updates: 0, failures: 0 };
    this.error = null;
    this.build();
  }

  build() {
    const LC = this.LC;
    const line = { lineWidth: 1, priceLineVisible: false, lastValueVisible: false, crosshairMarkerVisible: false };
    if (this.kind.place === 'markers') {
      this.markers = LC.createSeriesMarkers(this.candles, []);
      return;
    }
    if (this.kind.place === 'overlay') {
      for (const f of this.kind.fields) {
        this.series[f] = this.chart.addSeries(LC.LineSeries, { ...line, lineStyle: f === 'middle' ? 2 : 0 }, 0);
      }
      this.applyColors(this.color, this.colors);
      return;
    }
    // An oscillator: a new pane under the others.
    const pane = this.chart.panes().length;
    const own = { ...line, lastValueVisible: true, crosshairMarkerVisible: true };
    if (this.kind.scale === 'volume') own.priceFormat = { type: 'volume' };
    if (this.spec.name === 'macd') {
      this.series.hist = this.chart.addSeries(LC.HistogramSeries, { priceLineVisible: false, lastValueVisible: false }, pane);
      this.series.macd = this.chart.addSeries(LC.LineSeries, own, pane);
      this.series.signal = this.chart.addSeries(LC.LineSeries, { ...own, lastValueVisible: false }, pane);
    } else {
      for (const f of this.kind.fields) this.series[f] = this.chart.addSeries(LC.LineSeries, own, pane);
    }
    if (this.spec.name === 'rsi' || this.spec.name === 'stoch') {
      const first = this.series[this.kind.fields[0]];
      for (const price of this.spec.name === 'rsi' ? [70, 30] : [80, 20]) {
        first.createPriceLine({ price, lineWidth: 1, lineStyle: 2, axisLabelVisible: false, color: 'rgba(128,128,128,0.6)' });
      }
    }
    const p = this.firstSeries().getPane();
    p.setStretchFactor(PANE_STRETCH);
    this.applyColors(this.color, this.colors);
  }

  firstSeries() {
    return this.series[Object.keys(this.series)[0]];
  }

  /** The pane index of an oscillator (0 for overlays and markers). */
  paneIndex() {
    const s = this.firstSeries();
    return s ? s.getPane().paneIndex() : 0;
  }

  applyColors(color, colors) {
    this.color = color;
    this.colors = colors;
    if (this.markers) {
      this.markers.setMarkers(this.store.markers(colors));
      return;
    }
    for (const [f, s] of Object.entries(this.series)) {
      if (f === 'hist') continue;
      // The second line of MACD (signal) and Stochastic (%D): dashed in the theme's text colour.
      const second = f === 'signal' || f === 'd';
      s.applyOptions(second ? { color: colors.text, lineStyle: 2 } : { color });
    }
    if (this.series.hist) this.drawAll();
  }

  /** Shows the series of (symbol, tf): subscribes to it; the snapshot comes first. */
  start(symbol, tf, limit) {
    this.stop();
    this.symbol = symbol;
    this.tf = tf;
    this.limit = limit;
    this.full = false;
    this.store.reset([]);
    this.drawAll();
    this.subscribe();
  }

  subscribe() {
    const token = ++this.token;
    this.sub = this.live.analysis(this.symbol, this.tf, this.spec, this.limit, {
      onSnapshot: (s) => this.onSnapshot(token, s),
      onUpdate: (p) => this.onLive(token, p),
      onError: (e, text) => this.failed(token, e, text),
    });
  }

  /** Closes the subscription; resolves when the server was told. */
  stop() {
    this.token++;
    const sub = this.sub;
    this.sub = null;
    return sub ? sub.close() : Promise.resolve();
  }

  /**
   * More history on the chart (scroll-back, or a snapshot that started after its oldest bar): the series again with a
   * larger limit (at most 5000). While an earlier widening is still resubscribing, its subscription takes the new one.
   */
  widen(limit) {
    const next = Math.min(5000, Math.max(this.limit, limit));
    if (next === this.limit || !this.symbol) return;
    this.limit = next;
    if (!this.sub) return;
    const token = this.token + 1;
    this.stop().then(() => { if (this.token === token && !this.sub) this.subscribe(); });
  }

  onSnapshot(token, s) {
    if (token !== this.token || !s) return;
    const points = (Array.isArray(s.points) ? s.points : []).map(pointOf).filter(Boolean);
    this.counters.snapshots++;
    this.error = null;
    if (s.recovered === true) {
      for (const p of points) this.applyLive(this.bodyOf(p));
    } else {
      this.full = points.length >= this.limit;
      this.store.reset(points);
      this.drawAll();
    }
    this.onData(this);
    this.cover();
  }

  /** Widens when the chart has bars older than the (full) snapshot reached: they would have no indicator values. */
  cover() {
    if (this.markers || !this.sub) return;
    const first = this.store.length ? this.store.points[0].time : null;
    const next = coverLimit(this.chartRange(), { first, full: this.full, limit: this.limit });
    if (next) this.widen(next);
  }

  onLive(token, point) {
    if (token !== this.token) return;
    const p = pointOf(point);
    if (p && this.applyLive(this.bodyOf(p))) this.onData(this);
  }

  failed(token, e, text) {
    if (token !== this.token) return;
    this.counters.failures++;
    this.error = (e && e.message) || String(e);
    this.onProblem(this, text);
  }

  /** A point as the store takes it: {points: [p]}, or for patterns {patterns: [detection…]}. */
  bodyOf(p) {
    if (!this.markers) return { points: [p] };
    return { patterns: Array.isArray(p.patterns) ? p.patterns : [p] };
  }

  /**
   * One live body onto the store and the chart: {points: [point…]} (the owner's points of one fold batch, in window
   * order, each through the store's merge rule) or, for patterns, {patterns: [detection…]}. True when something
   * changed.
   */
  applyLive(body) {
    if (this.markers) {
      if (!this.store.apply(body)) return false;
      this.counters.updates++;
      this.markers.setMarkers(this.store.markers(this.colors));
      return true;
    }
    let changed = false;
    for (const raw of Array.isArray(body.points) ? body.points : []) {
      const r = this.store.apply(raw);
      if (r.kind === 'ignore') continue;
      this.counters.updates++;
      changed = true;
      const p = r.point;
      for (const [f, s] of Object.entries(this.series)) {
        if (p[f] === undefined) continue;
        s.update(f === 'hist' ? this.histPoint(p) : { time: p.time, value: p[f] });
      }
    }
    return changed;
  }

  histPoint(p) {
    return { time: p.time, value: p.hist, color: p.hist >= 0 ? this.colors.volumeUp : this.colors.volumeDown };
  }

  drawAll() {
    if (this.markers) {
      this.markers.setMarkers(this.store.markers(this.colors));
      return;
    }
    for (const [f, s] of Object.entries(this.series)) {
      if (f === 'hist') s.setData(this.store.points.filter((p) => p.hist !== undefined).map((p) => this.histPoint(p)));
      else s.setData(this.store.line(f));
    }
  }

  /** The chart dropped its bars older than `time` (s): so do the indicator's points (and markers). */
  trimBefore(time) {
    if (this.markers) this.store.items = this.store.items.filter((d) => d.time >= time);
    else this.store.trimBefore(time);
    this.drawAll();
  }

  /** The point (or detections) at `time` (s), or the newest when `time` is null. */
  valueAt(time) {
    if (this.markers) {
      const items = this.store.items;
      const t = time != null ? time : items.length ? items[items.length - 1].time : null;
      return t == null ? [] : this.store.at(t);
    }
    return time != null ? this.store.at(time) : this.store.last();
  }

  dispose() {
    this.stop();
    if (this.markers) {
      this.markers.detach();
      this.markers = null;
    }
    for (const s of Object.values(this.series)) this.chart.removeSeries(s);
    this.series = {};
  }

  /** What tests see. */
  hook() {
    const layer = this;
    return {
      key: layer.spec.key,
      name: layer.spec.name,
      get place() { return layer.kind.place; },
      get paneIndex() { return layer.paneIndex(); },
      /** snapshots, updates, failures; resumes: reconnects after which the client resumed the series without a gap. */
      get counters() { return { ...layer.counters, resumes: layer.sub ? layer.sub.stats.resumes || 0 : 0 }; },
      get error() { return layer.error; },
      get count() { return layer.store.length; },
      /** Points asked of the server (grows with the chart's scroll-back, at most 5000). */
      get limit() { return layer.limit; },
      /** Drawn data per field: {field: [{time, value}]} (patterns: the markers). */
      drawn: () => {
        if (layer.markers) return { markers: layer.markers.markers().map((m) => ({ ...m })) };
        const out = {};
        for (const [f, s] of Object.entries(layer.series)) out[f] = s.data().map((d) => ({ time: d.time, value: d.value }));
        return out;
      },
      points: () => (layer.markers ? layer.store.items.map((d) => ({ ...d })) : layer.store.points.map((p) => ({ ...p }))),
    };
  }
}

// IndicatorLayer against a fake chart and a fake live connection: the subscription, its snapshot, the merge rule of
// live points on the drawn series, resumed and unrecovered snapshots, stop/restart on a new series, widen.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IndicatorLayer } from '../../main/webroot/js/indicator-layer.js';
import { makeSpec } from '../../main/webroot/js/indicators.js';

function fakeChart() {
  const panes = [{ index: 0 }];
  const all = [];
  const chart = {
    all,
    panes: () => panes,
    addSeries(type, options, paneIndex = 0) {
      while (panes.length <= paneIndex) panes.push({ index: panes.length });
      const pane = panes[paneIndex];
      const s = {
        type, options: { ...options }, data_: [], pane, lines: [],
        setData(d) { this.data_ = d.slice(); },
        update(p) {
          const last = this.data_[this.data_.length - 1];
          if (last && last.time === p.time) this.data_[this.data_.length - 1] = p;
          else if (!last || p.time > last.time) this.data_.push(p);
          else throw new Error('Cannot update oldest data');
        },
        data() { return this.data_; },
        applyOptions(o) { Object.assign(this.options, o); },
        createPriceLine(o) { this.lines.push(o); },
        getPane: () => ({ paneIndex: () => panes.indexOf(pane), setStretchFactor: (f) => { pane.stretch = f; } }),
      };
      all.push(s);
      return s;
    },
    removeSeries(s) {
      all.splice(all.indexOf(s), 1);
      if (s.pane.index !== 0 && !all.some((x) => x.pane === s.pane)) panes.splice(panes.indexOf(s.pane), 1);
    },
  };
  return chart;
}

const LC = {
  LineSeries: 'Line', HistogramSeries: 'Histogram',
  createSeriesMarkers: (series, markers) => {
    let m = markers;
    return { setMarkers: (x) => { m = x; }, markers: () => m, detach: () => { m = null; } };
  },
};

/** The page's LiveConnection as the layer uses it: analysis(symbol, tf, spec, limit, handlers). */
function fakeLive() {
  const live = {
    subs: [],
    analysis(symbol, tf, spec, limit, h) {
      const sub = { symbol, tf, key: spec.key, name: spec.name, params: spec.params, limit, h, closed: false };
      live.subs.push(sub);
      return { ready: Promise.resolve(true), close: () => { sub.closed = true; return Promise.resolve(); } };
    },
  };
  return live;
}

const colors = { up: 'U', down: 'D', text: 'T', volumeUp: 'VU', volumeDown: 'VD', sma50: 'A', sma200: 'B' };
const tick = () => new Promise((r) => setImmediate(r));
const pt = (min, closed, value) => ({ t: min * 60000, closed, value });

function layer(spec, chart = fakeChart(), live = fakeLive(), problems = [], chartRange = undefined) {
  const l = new IndicatorLayer({
    spec: makeSpec(spec.name, spec.params), LC, chart, candles: {}, live, color: 'C', colors,
    onProblem: (_, text) => problems.push(text), chartRange,
  });
  return { l, chart, live, problems };
}

/** A client IndicatorPoint of a raw point. */
const ip = (raw) => ({ t: raw.t, closed: raw.closed, values: {}, raw });

test('subscribes the series, draws its snapshot, applies live points by the merge rule', () => {
  const { l, chart, live } = layer({ name: 'rsi', params: { period: 14 } });
  assert.equal(chart.panes().length, 2, 'an oscillator gets its own pane');
  assert.deepEqual(chart.all[0].lines.map((x) => x.price), [70, 30]);
  l.start('BTCUSD', '1m', 500);
  const s = live.subs[0];
  assert.deepEqual([s.symbol, s.tf, s.name, s.params, s.limit], ['BTCUSD', '1m', 'rsi', { period: 14 }, 500]);
  s.h.onSnapshot({ symbol: 'BTCUSD', tf: '1m', key: 'rsi:14', recovered: null, fields: ['value'],
    points: [pt(1, true, 10), pt(2, true, 20), pt(3, false, 30)].map(ip) });
  assert.deepEqual(chart.all[0].data().map((p) => [p.time, p.value]), [[60, 10], [120, 20], [180, 30]]);
  // live: same t replaces, newer appends, older ignored
  for (const p of [pt(3, true, 33), pt(4, false, 40), pt(2, true, 99)]) s.h.onUpdate(ip(p));
  s.h.onUpdate({ t: 300000, closed: false, values: { value: 50 } }); // a point without raw: its values
  s.h.onUpdate(null);
  assert.deepEqual(chart.all[0].data().map((p) => [p.time, p.value]), [[60, 10], [120, 20], [180, 33], [240, 40], [300, 50]]);
  assert.equal(l.valueAt(null).value, 50);
  assert.equal(l.valueAt(120).value, 20);
  assert.deepEqual(l.counters, { snapshots: 1, updates: 3, failures: 0 });
});

test('a resumed snapshot continues the points; an unrecovered one replaces them; a new series drops the old', () => {
  const { l, chart, live } = layer({ name: 'sma', params: { period: 2 } });
  assert.equal(chart.panes().length, 1, 'an overlay stays on the price pane');
  l.start('BTCUSD', '1m', 500);
  const s = live.subs[0];
  s.h.onSnapshot({ recovered: null, points: [pt(1, true, 1), pt(2, false, 2)].map(ip) });
  s.h.onSnapshot({ recovered: true, points: [pt(2, true, 2.5), pt(3, false, 3)].map(ip) });
  assert.deepEqual(chart.all[0].data(), [{ time: 60, value: 1 }, { time: 120, value: 2.5 }, { time: 180, value: 3 }]);
  s.h.onSnapshot({ recovered: false, points: [pt(9, true, 9)].map(ip) });
  assert.deepEqual(chart.all[0].data(), [{ time: 540, value: 9 }]);
  assert.equal(l.counters.snapshots, 3);
  l.start('ETHUSD', '5m', 800);
  assert.equal(s.closed, true);
  assert.deepEqual([live.subs[1].symbol, live.subs[1].tf, live.subs[1].limit], ['ETHUSD', '5m', 800]);
  s.h.onSnapshot({ recovered: null, points: [pt(10, true, 10)].map(ip) }); // the old series, too late
  s.h.onUpdate(ip(pt(11, false, 11)));
  assert.deepEqual(chart.all[0].data(), [], 'nothing of the old series is drawn');
  live.subs[1].h.onSnapshot({ recovered: null, points: [pt(5, true, 5)].map(ip) });
  assert.deepEqual(chart.all[0].data(), [{ time: 300, value: 5 }]);
});

test('a refused subscription is reported and counted; macd has a histogram coloured by sign', () => {
  const problems = [];
  const { l, chart, live } = layer({ name: 'macd', params: {} }, fakeChart(), fakeLive(), problems);
  assert.deepEqual(chart.all.map((s) => s.type), ['Histogram', 'Line', 'Line']);
  l.start('BTCUSD', '1m', 500);
  const e = new Error('analysis unavailable');
  live.subs[0].h.onError(e, 'macd:12:26:9: analysis unavailable');
  assert.deepEqual(problems, ['macd:12:26:9: analysis unavailable']);
  assert.equal(l.counters.failures, 1);
  assert.equal(l.error, 'analysis unavailable');
  live.subs[0].h.onSnapshot({ recovered: null, points: [{ t: 60000, closed: true, macd: 1, signal: 2, hist: -1 }, { t: 120000, closed: false, macd: 3, signal: 1, hist: 2 }].map(ip) });
  assert.deepEqual(chart.all[0].data(), [{ time: 60, value: -1, color: 'VD' }, { time: 120, value: 2, color: 'VU' }]);
  assert.equal(l.error, null);
  l.dispose();
  assert.equal(live.subs[0].closed, true);
  assert.equal(chart.all.length, 0);
  assert.equal(chart.panes().length, 1, 'its pane went with its series');
});

test('patterns: detections become markers on the candles; widen subscribes again with a longer limit', async () => {
  const { l, live } = layer({ name: 'patterns', params: {} });
  l.start('BTCUSD', '1m', 500);
  live.subs[0].h.onSnapshot({ recovered: null, points: [ip({ t: 60000, closed: true, pattern: 'doji', direction: 'neutral', inputs: {} })] });
  live.subs[0].h.onUpdate(ip({ type: 'patterns', t: 180000, closed: true, patterns: [{ t: 120000, pattern: 'hammer', direction: 'bullish' }, { t: 180000, pattern: 'doji', direction: 'neutral' }] }));
  live.subs[0].h.onUpdate(ip({ t: 240000, closed: true, pattern: 'doji', direction: 'neutral' })); // one detection
  assert.deepEqual(l.markers.markers().map((m) => [m.time, m.shape]), [[60, 'circle'], [120, 'arrowUp'], [180, 'circle'], [240, 'circle']]);
  assert.deepEqual(l.valueAt(60).map((d) => d.pattern), ['doji']);
  l.widen(1200);
  assert.equal(live.subs[0].closed, true);
  await tick();
  assert.equal(live.subs[1].limit, 1200);
  l.widen(900);
  await tick();
  assert.equal(live.subs.length, 2, 'never shorter');
  l.widen(99999);
  await tick();
  assert.equal(live.subs[2].limit, 5000);
  l.start('ETHUSD', '1m', 500);
  l.widen(2000);
  l.start('BTCUSD', '1m', 500); // restarted before the widened subscription went out: it never does
  await tick();
  assert.deepEqual(live.subs.slice(3).map((s) => [s.symbol, s.limit, s.closed]), [['ETHUSD', 500, true], ['BTCUSD', 500, false]]);
});

test('a full snapshot starting after the chart\'s oldest bar is asked again until it reaches it; widenings meanwhile are kept', async () => {
  let range = { first: 60, length: 10 }; // the chart: bars at minutes 1..10
  const { l, live } = layer({ name: 'sma', params: { period: 1 } }, fakeChart(), fakeLive(), [], () => range);
  l.start('BTCUSD', '1m', 4);
  // the server folded windows between the chart's fetch and this one: 4 points from minute 7
  live.subs[0].h.onSnapshot({ recovered: null, points: [pt(7, true, 7), pt(8, true, 8), pt(9, true, 9), pt(10, false, 10)].map(ip) });
  assert.equal(live.subs[0].closed, true, 'asked again');
  l.widen(20); // a scroll-back while the new subscription is on its way: it takes the longer limit
  await tick();
  assert.equal(live.subs.length, 2);
  assert.equal(live.subs[1].limit, 20);
  const ten = Array.from({ length: 10 }, (_, i) => pt(i + 1, i < 9, i + 1));
  live.subs[1].h.onSnapshot({ recovered: null, points: ten.map(ip) }); // short of 20: every point the server has
  await tick();
  assert.equal(live.subs.length, 2, 'reaches the oldest bar: no further round');
  assert.equal(l.hook().count, 10);
  // the chart reloads with older bars than a full line: drawAll asks the layer to cover them
  l.start('BTCUSD', '1m', 10);
  live.subs[2].h.onSnapshot({ recovered: null, points: ten.map(ip) });
  await tick();
  assert.equal(live.subs.length, 3, 'covers the chart');
  range = { first: 0, length: 30 };
  l.cover();
  await tick();
  assert.deepEqual(live.subs.slice(3).map((s) => s.limit), [31]);
});

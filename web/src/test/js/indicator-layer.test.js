// IndicatorLayer against a fake chart and a fake bus: registration first, snapshot request, live points held while
// the snapshot is on its way, the merge rule on the drawn series, re-fetch on reconnect, stop/restart on a new series.
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

function fakeBus() {
  const bus = {
    open: true, subs: [], requests: [],
    subscribe(address, onMessage, onOpen) {
      const sub = { address, onMessage, onOpen, closed: false };
      bus.subs.push(sub);
      return { close: () => { sub.closed = true; } };
    },
    request(address, body) {
      return new Promise((resolve, reject) => bus.requests.push({ address, body, resolve, reject }));
    },
  };
  return bus;
}

const colors = { up: 'U', down: 'D', text: 'T', volumeUp: 'VU', volumeDown: 'VD', sma50: 'A', sma200: 'B' };
const tick = () => new Promise((r) => setImmediate(r));
const pt = (min, closed, value) => ({ t: min * 60000, closed, value });

function layer(spec, chart = fakeChart(), bus = fakeBus(), problems = []) {
  const l = new IndicatorLayer({
    spec: makeSpec(spec.name, spec.params), LC, chart, candles: {}, bus, color: 'C', colors,
    onProblem: (_, text) => problems.push(text),
  });
  return { l, chart, bus, problems };
}

test('registers the series address, asks the snapshot on open, applies live points held meanwhile', async () => {
  const { l, chart, bus } = layer({ name: 'rsi', params: { period: 14 } });
  assert.equal(chart.panes().length, 2, 'an oscillator gets its own pane');
  assert.deepEqual(chart.all[0].lines.map((x) => x.price), [70, 30]);
  l.start('BTCUSD', '1m', 500);
  assert.equal(bus.subs[0].address, 'analysis.BTCUSD.1m.rsi:14');
  bus.subs[0].onOpen();
  assert.deepEqual(bus.requests[0].body, { symbol: 'BTCUSD', tf: '1m', name: 'rsi', params: { period: 14 }, limit: 500 });
  assert.equal(bus.requests[0].address, 'candlecast.analysis');
  // live points while the snapshot is on its way: held
  bus.subs[0].onMessage({ symbol: 'BTCUSD', tf: '1m', key: 'rsi:14', points: [pt(3, false, 33)] });
  bus.subs[0].onMessage({ symbol: 'BTCUSD', tf: '1m', key: 'rsi:14', points: [pt(4, false, 44)] });
  assert.deepEqual(chart.all[0].data(), []);
  bus.requests[0].resolve({ key: 'rsi:14', points: [pt(1, true, 10), pt(2, true, 20), pt(3, false, 30)] });
  await tick();
  assert.deepEqual(chart.all[0].data().map((p) => [p.time, p.value]), [[60, 10], [120, 20], [180, 33], [240, 44]]);
  // live: same t replaces, newer appends, older ignored
  bus.subs[0].onMessage({ points: [pt(4, true, 45), pt(5, false, 50)] }); // one batch: a close, then a newer window
  bus.subs[0].onMessage({ points: [pt(2, true, 99)] });
  bus.subs[0].onMessage({ symbol: 'ETHUSD', points: [pt(6, false, 1)] });
  bus.subs[0].onMessage({ points: 'many' });
  assert.deepEqual(chart.all[0].data().map((p) => [p.time, p.value]), [[60, 10], [120, 20], [180, 33], [240, 45], [300, 50]]);
  assert.equal(l.valueAt(null).value, 50);
  assert.equal(l.valueAt(120).value, 20);
  assert.deepEqual(l.counters, { snapshots: 1, updates: 4, failures: 0 });
  // a batch of points in window order: the provisional of 5 closes, 6 and 7 close, 8 is provisional
  bus.subs[0].onMessage({ points: [pt(5, true, 51), pt(6, true, 60), pt(7, true, 70), pt(8, false, 80)] });
  assert.deepEqual(chart.all[0].data().map((p) => [p.time, p.value]).slice(-4), [[300, 51], [360, 60], [420, 70], [480, 80]]);
  assert.deepEqual(l.counters, { snapshots: 1, updates: 8, failures: 0 });
});

test('a reconnect asks the snapshot again; a new series stops the old subscription and drops its late answers', async () => {
  const { l, chart, bus } = layer({ name: 'sma', params: { period: 2 } });
  assert.equal(chart.panes().length, 1, 'an overlay stays on the price pane');
  l.start('BTCUSD', '1m', 500);
  bus.subs[0].onOpen();
  bus.requests[0].resolve({ points: [pt(1, true, 1)] });
  await tick();
  bus.subs[0].onOpen(); // reconnect
  assert.equal(bus.requests.length, 2);
  l.start('ETHUSD', '5m', 800);
  assert.equal(bus.subs[0].closed, true);
  assert.equal(bus.subs[1].address, 'analysis.ETHUSD.5m.sma:2');
  bus.requests[1].resolve({ points: [pt(9, true, 9)] }); // the old series' answer, too late
  bus.subs[0].onMessage({ points: [pt(10, false, 10)] });
  await tick();
  assert.deepEqual(chart.all[0].data(), [], 'nothing of the old series is drawn');
  bus.subs[1].onOpen();
  assert.equal(bus.requests[2].body.limit, 800);
  bus.requests[2].resolve({ points: [pt(5, true, 5)] });
  await tick();
  assert.deepEqual(chart.all[0].data(), [{ time: 300, value: 5 }]);
});

test('a refused snapshot is reported, counted and drops the held points; macd has a histogram coloured by sign', async () => {
  const problems = [];
  const { l, chart, bus } = layer({ name: 'macd', params: {} }, fakeChart(), fakeBus(), problems);
  assert.deepEqual(chart.all.map((s) => s.type), ['Histogram', 'Line', 'Line']);
  l.start('BTCUSD', '1m', 500);
  bus.subs[0].onOpen();
  bus.subs[0].onMessage({ points: [{ t: 60000, closed: false, macd: 1, signal: 2, hist: -1 }] });
  const e = new Error('analysis unavailable'); e.code = 503;
  bus.requests[0].reject(e);
  await tick();
  assert.deepEqual(problems, ['macd:12:26:9: analysis unavailable']);
  assert.equal(l.counters.failures, 1);
  assert.equal(l.error, 'analysis unavailable');
  bus.subs[0].onOpen();
  bus.requests[1].resolve({ points: [{ t: 60000, closed: true, macd: 1, signal: 2, hist: -1 }, { t: 120000, closed: false, macd: 3, signal: 1, hist: 2 }] });
  await tick();
  assert.deepEqual(chart.all[0].data(), [{ time: 60, value: -1, color: 'VD' }, { time: 120, value: 2, color: 'VU' }]);
  assert.equal(l.error, null);
  l.dispose();
  assert.equal(chart.all.length, 0);
  assert.equal(chart.panes().length, 1, 'its pane went with its series');
});

test('patterns: detections become markers on the candles; widen asks a longer snapshot', async () => {
  const { l, bus } = layer({ name: 'patterns', params: {} });
  l.start('BTCUSD', '1m', 500);
  bus.subs[0].onOpen();
  bus.requests[0].resolve({ points: [{ t: 60000, closed: true, pattern: 'doji', direction: 'neutral', inputs: {} }] });
  await tick();
  bus.subs[0].onMessage({ patterns: [{ t: 120000, pattern: 'hammer', direction: 'bullish' }, { t: 180000, pattern: 'doji', direction: 'neutral' }] });
  assert.deepEqual(l.markers.markers().map((m) => [m.time, m.shape]), [[60, 'circle'], [120, 'arrowUp'], [180, 'circle']]);
  assert.deepEqual(l.valueAt(null).map((d) => d.pattern), ['doji']);
  l.widen(1200);
  assert.equal(bus.requests[1].body.limit, 1200);
  l.widen(900);
  assert.equal(bus.requests.length, 2, 'never shorter');
  l.widen(99999);
  assert.equal(bus.requests[2].body.limit, 5000);
});

test('widen before the bus opens: the snapshot asked on open takes the longer limit', () => {
  const { l, bus } = layer({ name: 'sma', params: { period: 5 } });
  bus.open = false;
  l.start('BTCUSD', '1m', 500);
  l.widen(781);
  assert.equal(bus.requests.length, 0, 'nothing sent before the bus is open');
  bus.open = true;
  bus.subs[0].onOpen();
  assert.equal(bus.requests[0].body.limit, 781);
});

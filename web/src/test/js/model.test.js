// Unit tests of the page's pure logic (node --test; run by Maven in the test phase).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  mergeUiConfig, DEFAULT_UI_CONFIG, parseViewState, formatViewState, parseChartSpec, defaultChart, toBar, toBars,
  BarStore, retryState, priceDecimals, formatPrice, formatVolume, formatPct,
  formatSigned, direction, makeTimeFormatters, toTicker, isNewerTicker, MAX_BARS, TRIM_STEP, TIMEFRAMES, nextWindow,
} from '../../main/webroot/js/model.js';

const config = mergeUiConfig(null).config;
const keys = (list) => list.map((s) => s.key);
const series = (charts) => charts.map((c) => ({ symbol: c.symbol, tf: c.tf }));
const candle = (t, o, h, l, c, extra = {}) => ({ symbol: 'BTCUSD', tf: '1m', t, o, h, l, c, v: 1.5, n: 3, x: true, ...extra });
const bar = (time, close) => ({ time, open: close, high: close, low: close, close, volume: 1, trades: 1, closed: false });

// ---- ui-config -----------------------------------------------------------------------------------------------------

test('ui-config: missing document gives the defaults', () => {
  const { config: c, warnings } = mergeUiConfig(null);
  assert.deepEqual(c.themes, DEFAULT_UI_CONFIG.themes);
  assert.equal(c.layout, 1);
  assert.deepEqual(warnings, []);
});

test('ui-config: server values override field by field, bad ones are dropped with a warning', () => {
  const { config: c, warnings } = mergeUiConfig({
    defaultSymbol: 'ethusd', defaultTf: '5m', layout: 4, theme: 'light',
    themes: { light: { up: '#00ff00', down: 42 }, dark: { sma50: 'red' } },
    indicators: { sma50: false, sma200: true },
  });
  assert.equal(c.defaultSymbol, 'ETHUSD');
  assert.equal(c.defaultTf, '5m');
  assert.equal(c.layout, 4);
  assert.equal(c.theme, 'light');
  assert.equal(c.themes.light.up, '#00ff00');
  assert.equal(c.themes.light.down, DEFAULT_UI_CONFIG.themes.light.down);
  assert.equal(c.themes.dark.sma50, 'red');
  assert.equal(c.themes.dark.up, DEFAULT_UI_CONFIG.themes.dark.up);
  assert.deepEqual(keys(c.indicators), ['sma:200'], 'the older {sma50, sma200} object still works');
  assert.deepEqual(warnings, ['ui-config: bad colour themes.light.down']);
});

test('ui-config: indicators as a list of keys; bad entries are dropped with a warning', () => {
  const { config: c, warnings } = mergeUiConfig({ indicators: ['rsi:14', 'bb:20:2.5', 'foo:1', 'rsi:14', 7] });
  assert.deepEqual(keys(c.indicators), ['rsi:14', 'bb:20:2.5']);
  assert.equal(warnings.length, 2);
  assert.match(warnings[0], /ui-config: bad indicator 'foo:1'/);
  assert.match(warnings[1], /must be strings/);
  assert.deepEqual(keys(mergeUiConfig(null).config.indicators), ['sma:50', 'sma:200']);
  assert.deepEqual(mergeUiConfig({ indicators: 'rsi' }).warnings, ['ui-config: bad indicators']);
});

test('ui-config: invalid scalars are reported and ignored', () => {
  const { config: c, warnings } = mergeUiConfig({ defaultSymbol: 'no way', defaultTf: '7m', layout: 3, theme: 'blue' });
  assert.equal(c.defaultSymbol, 'BTCUSD');
  assert.equal(c.defaultTf, '1m');
  assert.equal(c.layout, 1);
  assert.equal(c.theme, 'dark');
  assert.equal(warnings.length, 4);
  assert.deepEqual(mergeUiConfig([1, 2]).warnings, ['ui-config is not a JSON object']);
});

test('ui-config: the defaults are not shared with the result', () => {
  const { config: c } = mergeUiConfig({});
  c.themes.dark.up = 'x';
  assert.notEqual(DEFAULT_UI_CONFIG.themes.dark.up, 'x');
});

// ---- URL state -----------------------------------------------------------------------------------------------------

test('view: empty URL opens the configured default chart', () => {
  const { state, warnings } = parseViewState('', config, ['BTCUSD', 'ETHUSD']);
  assert.deepEqual({ ...state, charts: series(state.charts) }, {
    layout: 1, charts: [{ symbol: 'BTCUSD', tf: '1m' }], theme: 'dark', panels: { trades: true, book: true }, limit: 500,
  });
  assert.deepEqual(keys(state.charts[0].ind), ['sma:50', 'sma:200']);
  assert.deepEqual(warnings, []);
});

test('view: a 4-chart URL round-trips through format and parse unchanged', () => {
  const search = '?layout=4&charts=BTCUSD.1m,ETHUSD.5m,BTCUSD.1s,ETHUSD.1h&theme=light&ind=sma:200;rsi:14,macd:12:26:9;none;bb:20:2.5';
  const { state, warnings } = parseViewState(search, config, ['BTCUSD', 'ETHUSD']);
  assert.deepEqual(warnings, []);
  assert.equal(state.layout, 4);
  assert.deepEqual(state.charts.map((c) => `${c.symbol}.${c.tf}`), ['BTCUSD.1m', 'ETHUSD.5m', 'BTCUSD.1s', 'ETHUSD.1h']);
  assert.deepEqual(state.charts.map((c) => keys(c.ind)), [['sma:200'], ['rsi:14', 'macd:12:26:9'], [], ['bb:20:2.5']]);
  assert.equal(formatViewState(state), search);
  assert.deepEqual(parseViewState(formatViewState(state), config, []).state, state);
});

test('view: missing charts of a layout come from the defaults, extra ones are ignored', () => {
  const { state } = parseViewState('?layout=4&charts=ETHUSD.1d', config, ['BTCUSD', 'ETHUSD', 'SOLUSD']);
  assert.deepEqual(series(state.charts), [
    { symbol: 'ETHUSD', tf: '1d' }, { symbol: 'ETHUSD', tf: '1m' }, { symbol: 'SOLUSD', tf: '1s' },
    { symbol: 'BTCUSD', tf: '1h' },
  ]);
  const two = parseViewState('?layout=2&charts=ETHUSD.1d,BTCUSD.1s,SOLUSD.1m', config, []).state;
  assert.equal(two.charts.length, 2);
  assert.equal(formatViewState(two), '?layout=2&charts=ETHUSD.1d,BTCUSD.1s&theme=dark&ind=sma:50,sma:200');
});

test('view: the layout follows the number of charts when the URL gives no layout', () => {
  assert.equal(parseViewState('?charts=BTCUSD.1m,ETHUSD.1m', config, []).state.layout, 2);
  assert.equal(parseViewState('?charts=BTCUSD.1m,ETHUSD.1m,BTCUSD.5m', config, []).state.layout, 4);
});

test('view: bad values become defaults and are reported', () => {
  const { state, warnings } = parseViewState('?layout=3&charts=BTCUSD.7m,eth$.1m&theme=pink&sma=20&limit=5', config, []);
  assert.equal(state.layout, 1);
  assert.deepEqual(series(state.charts), [{ symbol: 'BTCUSD', tf: '1m' }]);
  assert.equal(state.theme, 'dark');
  assert.deepEqual(keys(state.charts[0].ind), ['sma:50', 'sma:200']);
  assert.equal(state.limit, 500);
  assert.equal(warnings.length, 6);
  assert.match(warnings.join('\n'), /unknown layout '3'/);
  assert.match(warnings.join('\n'), /bad chart 'BTCUSD\.7m'/);
});

test('view: phase-1 links ?symbol=&tf= still open that chart', () => {
  assert.deepEqual(series(parseViewState('?symbol=ethusd&tf=5m', config, []).state.charts), [{ symbol: 'ETHUSD', tf: '5m' }]);
  const bad = parseViewState('?symbol=ETHUSD&tf=2m', config, []);
  assert.deepEqual(series(bad.state.charts), [{ symbol: 'BTCUSD', tf: '1m' }]);
  assert.match(bad.warnings[0], /unknown timeframe '2m'/);
});

test('view: the older sma= still works (every chart) and is written as ind=; ind wins over sma', () => {
  const { state } = parseViewState('?sma=none&limit=50', config, []);
  assert.deepEqual(keys(state.charts[0].ind), []);
  assert.equal(state.limit, 50);
  assert.equal(formatViewState(state), '?layout=1&charts=BTCUSD.1m&theme=dark&ind=none&limit=50');
  const two = parseViewState('?layout=2&charts=BTCUSD.1m,ETHUSD.1m&sma=200', config, []).state;
  assert.deepEqual(two.charts.map((c) => keys(c.ind)), [['sma:200'], ['sma:200']]);
  assert.equal(formatViewState(two), '?layout=2&charts=BTCUSD.1m,ETHUSD.1m&theme=dark&ind=sma:200');
  assert.deepEqual(keys(parseViewState('?sma=50&ind=rsi', config, []).state.charts[0].ind), ['rsi:14']);
});

test('view: ind= one list for every chart, per chart with ;, missing parts take the default, bad entries reported', () => {
  const all = parseViewState('?layout=2&ind=sma:20,rsi:14,macd:12:26:9', config, []);
  assert.deepEqual(all.warnings, []);
  assert.deepEqual(all.state.charts.map((c) => keys(c.ind)), [['sma:20', 'rsi:14', 'macd:12:26:9'], ['sma:20', 'rsi:14', 'macd:12:26:9']]);
  const per = parseViewState('?layout=4&ind=rsi;;stochastic:5', config, []);
  assert.deepEqual(per.state.charts.map((c) => keys(c.ind)), [['rsi:14'], [], ['stoch:5:3'], ['sma:50', 'sma:200']]);
  const bad = parseViewState('?ind=rsi:0,sma:50,foo', config, []);
  assert.deepEqual(keys(bad.state.charts[0].ind), ['sma:50']);
  assert.equal(bad.warnings.length, 2);
  assert.match(bad.warnings[0], /bad indicator 'rsi:0': rsi parameter 'period' must be an integer from 1 to 500, got 0/);
  assert.match(bad.warnings[1], /bad indicator 'foo': unknown indicator 'foo'/);
});

test('chart spec parsing', () => {
  assert.deepEqual(parseChartSpec('btcusd:15m'), { symbol: 'BTCUSD', tf: '15m' });
  assert.deepEqual(parseChartSpec(' ETHUSD.4h '), { symbol: 'ETHUSD', tf: '4h' });
  assert.equal(parseChartSpec('ETHUSD.2h'), null);
  assert.equal(parseChartSpec('E.1m'), null);
  assert.equal(parseChartSpec(''), null);
  assert.equal(parseChartSpec(undefined), null);
});

test('default charts without a symbol list use the default symbol', () => {
  assert.deepEqual(series([defaultChart(1, config, [])]), [{ symbol: 'BTCUSD', tf: '1m' }]);
  assert.deepEqual(series([defaultChart(3, config, ['ETHUSD'])]), [{ symbol: 'ETHUSD', tf: '1h' }]);
  assert.deepEqual(keys(defaultChart(3, config, ['ETHUSD']).ind), ['sma:50', 'sma:200']);
});

// ---- candles -> bars -----------------------------------------------------------------------------------------------

test('toBar converts ms to s and checks the series', () => {
  assert.deepEqual(toBar(candle(60000, 1, 2, 0.5, 1.5), 'BTCUSD', '1m'),
    { time: 60, open: 1, high: 2, low: 0.5, close: 1.5, volume: 1.5, trades: 3, closed: true });
  assert.equal(toBar(candle(60000, 1, 2, 0.5, 1.5), 'ETHUSD', '1m'), null);
  assert.equal(toBar(candle(60000, 1, 2, 0.5, 1.5), 'BTCUSD', '5m'), null);
  assert.equal(toBar(candle(60500, 1, 2, 0.5, 1.5), 'BTCUSD', '1m'), null, 'not on a second');
  assert.equal(toBar({ ...candle(60000, 1, 2, 0.5, 1.5), c: 'x' }, 'BTCUSD', '1m'), null);
  assert.equal(toBar(null, 'BTCUSD', '1m'), null);
  const noMeta = toBar({ t: 1000, o: 1, h: 1, l: 1, c: 1 }, 'BTCUSD', '1s');
  assert.deepEqual(noMeta, { time: 1, open: 1, high: 1, low: 1, close: 1, volume: 0, trades: 0, closed: false });
});

test('toBars drops malformed, repeated and out-of-order candles', () => {
  const bars = toBars([candle(60000, 1, 1, 1, 1), candle(60000, 2, 2, 2, 2), { t: 'x' }, candle(0, 1, 1, 1, 1),
    candle(120000, 3, 3, 3, 3)], 'BTCUSD', '1m');
  assert.deepEqual(bars.map((b) => b.time), [60, 120]);
  assert.deepEqual(toBars('nope', 'BTCUSD', '1m'), []);
});

test('BarStore: live updates append, replace the last bar, ignore older ones, flag gaps', () => {
  const s = new BarStore('1m');
  assert.deepEqual(s.apply(bar(60, 1)), { kind: 'append', gap: false });
  assert.deepEqual(s.apply(bar(60, 2)), { kind: 'replace', gap: false });
  assert.deepEqual(s.apply(bar(0, 9)), { kind: 'ignore', gap: false });
  assert.deepEqual(s.apply(bar(120, 3)), { kind: 'append', gap: false });
  assert.deepEqual(s.apply(bar(300, 4)), { kind: 'append', gap: true });
  assert.deepEqual(s.bars.map((b) => [b.time, b.close]), [[60, 2], [120, 3], [300, 4]]);
  assert.equal(s.indexOf(120), 1);
  assert.equal(s.indexOf(121), -1);
  assert.throws(() => new BarStore('7m'));
});

test('BarStore: a catch-up joins only if it starts at the last bar', () => {
  const s = new BarStore('1s');
  assert.equal(s.joins([bar(5, 1)]), true, 'empty store');
  s.reset([bar(1, 1), bar(2, 1)]);
  assert.equal(s.joins([]), true);
  assert.equal(s.joins([bar(2, 1), bar(3, 1)]), true);
  assert.equal(s.joins([bar(3, 1)]), false, 'the bar at 2 may have changed and anything before 3 is unknown');
});

test('BarStore: prepend takes only strictly older bars', () => {
  const s = new BarStore('1s');
  s.reset([bar(10, 1), bar(11, 1)]);
  assert.equal(s.prepend([bar(7, 1), bar(8, 1), bar(8, 2), bar(10, 5), bar(12, 1)]), 2);
  assert.deepEqual(s.bars.map((b) => b.time), [7, 8, 10, 11]);
  assert.equal(s.bars[1].close, 1);
});

test('BarStore: trim keeps memory bounded', () => {
  const s = new BarStore('1s');
  const bars = [];
  for (let i = 0; i <= MAX_BARS; i++) bars.push(bar(i, 1));
  s.reset(bars);
  assert.equal(s.trim(), TRIM_STEP + 1);
  assert.equal(s.length, MAX_BARS - TRIM_STEP);
  assert.equal(s.first().time, TRIM_STEP + 1);
  assert.equal(s.trim(), 0);
});

// ---- reconnect -----------------------------------------------------------------------------------------------------

test('indicator: reconnecting, then offline after 4 failed attempts or when the browser is offline', () => {
  assert.equal(retryState(1), 'reconnecting');
  assert.equal(retryState(4), 'reconnecting');
  assert.equal(retryState(5), 'offline');
  assert.equal(retryState(1, false), 'offline');
});

// ---- formatting ----------------------------------------------------------------------------------------------------

test('number formatting', () => {
  assert.equal(priceDecimals(60000), 2);
  assert.equal(priceDecimals(0.5), 4);
  assert.equal(priceDecimals(0.1), 4);
  assert.equal(priceDecimals(2.81e-8), 11, 'bonding-curve tokens priced in SOL');
  assert.equal(priceDecimals(1e-20), 12);
  assert.equal(formatPrice(2.81e-8, 11), '0.00000002810');
  assert.equal(formatPrice(60012.3, 2), '60,012.30');
  assert.equal(formatPrice(NaN, 2), '–');
  assert.equal(formatVolume(1234567), '1.23M');
  assert.equal(formatVolume(4321), '4.32K');
  assert.equal(formatVolume(123.45), '123.5');
  assert.equal(formatVolume(1.23456), '1.235');
  assert.equal(formatVolume(0.012345), '0.0123');
  assert.equal(formatVolume(0), '0');
  assert.equal(formatPct(1.234), '+1.23%');
  assert.equal(formatPct(-0.5), '-0.50%');
  assert.equal(formatPct(-0.001), '0.00%');
  assert.equal(formatPct(0.001), '0.00%');
  assert.equal(formatSigned(-12.5, 2), '−12.50');
  assert.equal(formatSigned(3, 2), '+3.00');
  assert.equal(direction(-1), 'down');
  assert.equal(direction(0), 'flat');
});

test('time labels are in the viewer time zone while bar times stay UTC', () => {
  const t = Date.UTC(2024, 2, 5, 13, 7, 9) / 1000; // Tue 5 Mar 2024 13:07:09 UTC
  const utc = makeTimeFormatters('en-GB', 'UTC');
  const kolkata = makeTimeFormatters('en-GB', 'Asia/Kolkata'); // UTC+5:30
  assert.equal(utc.tick(t, 3), '13:07');
  assert.equal(kolkata.tick(t, 3), '18:37');
  assert.equal(kolkata.tick(t, 4), '18:37:09');
  assert.equal(utc.tick(t, 0), '2024');
  assert.equal(utc.tick(t, 1), 'Mar');
  assert.equal(utc.tick(t, 2), '5 Mar');
  assert.equal(kolkata.crosshair(t, '1s'), 'Tue, 5 Mar 24, 18:37:09');
  assert.equal(kolkata.crosshair(t, '1m'), 'Tue, 5 Mar 24, 18:37');
  assert.equal(utc.crosshair(t, '1d'), 'Tue, 5 Mar 24');
  assert.equal(utc.tick({ year: 2024, month: 3, day: 5 }, 2), '5 Mar');
});

// ---- tickers -------------------------------------------------------------------------------------------------------

test('tickers: parsed, derived change when missing, rejected when unusable', () => {
  const full = { symbol: 'BTCUSD', last: 101, open24h: 100, change: 1, changePct: 1, high: 102, low: 99, volume: 5, time: 10 };
  assert.deepEqual(toTicker(full), full);
  const derived = toTicker({ symbol: 'BTCUSD', last: 99, open24h: 100 });
  assert.equal(derived.change, -1);
  assert.equal(derived.changePct, -1);
  assert.equal(toTicker({ symbol: 'btc', last: 1 }), null);
  assert.equal(toTicker({ symbol: 'BTCUSD', last: 'x' }), null);
  assert.equal(toTicker(null), null);
  assert.equal(isNewerTicker(null, full), true);
  assert.equal(isNewerTicker({ time: 11 }, full), false);
  assert.equal(isNewerTicker({ time: 10 }, full), true);
});

test('panels: from the config, the URL overrides them, written only when they differ from the config', () => {
  const { config } = mergeUiConfig({ panels: { trades: true, book: false } });
  assert.deepEqual(config.panels, { trades: true, book: false });
  assert.deepEqual(parseViewState('', config, []).state.panels, { trades: true, book: false });
  const both = parseViewState('?panels=trades,book', config, []);
  assert.deepEqual(both.state.panels, { trades: true, book: true });
  assert.match(formatViewState(both.state, config), /&panels=trades,book$/);
  assert.deepEqual(parseViewState(formatViewState(both.state, config), config, []).state, both.state);
  const none = parseViewState('?panels=none', config, []);
  assert.deepEqual(none.state.panels, { trades: false, book: false });
  assert.match(formatViewState(none.state, config), /&panels=none$/);
  assert.doesNotMatch(formatViewState(parseViewState('', config, []).state, config), /panels/);
  const bad = parseViewState('?panels=trades,chat', config, []);
  assert.deepEqual(bad.state.panels, config.panels);
  assert.match(bad.warnings.join(), /bad panels 'trades,chat'/);
  const w = mergeUiConfig({ panels: { trades: 'yes' } });
  assert.deepEqual(w.config.panels, DEFAULT_UI_CONFIG.panels);
  assert.match(w.warnings.join(), /bad panels.trades/);
  assert.match(mergeUiConfig({ panels: 3 }).warnings.join(), /bad panels/);
});

// ---- calendar timeframes (1w, 1M) ------------------------------------------------------------------------------

test('timeframes: 1w and 1M are offered; 1M (months) and 1m (minutes) stay apart', () => {
  assert.ok(TIMEFRAMES.includes('1w') && TIMEFRAMES.includes('1M'));
  assert.deepEqual(parseChartSpec('btcusd.1M'), { symbol: 'BTCUSD', tf: '1M' });
  assert.deepEqual(parseChartSpec('ETHUSD:1w'), { symbol: 'ETHUSD', tf: '1w' });
  assert.deepEqual(parseChartSpec('ETHUSD.1m'), { symbol: 'ETHUSD', tf: '1m' });
  assert.equal(parseChartSpec('ETHUSD.1W'), null);
});

test('nextWindow: calendar months (leap February, year end), weeks of 7 days', () => {
  const s = (iso) => Date.parse(iso) / 1000;
  assert.equal(nextWindow(s('2024-02-01T00:00:00Z'), '1M'), s('2024-03-01T00:00:00Z'));
  assert.equal(nextWindow(s('2025-02-01T00:00:00Z'), '1M'), s('2025-03-01T00:00:00Z'));
  assert.equal(nextWindow(s('2025-12-01T00:00:00Z'), '1M'), s('2026-01-01T00:00:00Z'));
  assert.equal(nextWindow(s('2025-12-29T00:00:00Z'), '1w'), s('2026-01-05T00:00:00Z'));
  assert.equal(nextWindow(s('2024-02-29T00:00:00Z'), '1d'), s('2024-03-01T00:00:00Z'));
});

test('BarStore 1M: the next month is no gap whatever its length, a skipped month is', () => {
  const s = (iso) => Date.parse(iso) / 1000;
  const store = new BarStore('1M');
  store.apply(bar(s('2024-01-01T00:00:00Z'), 1));
  assert.deepEqual(store.apply(bar(s('2024-02-01T00:00:00Z'), 2)), { kind: 'append', gap: false });
  assert.deepEqual(store.apply(bar(s('2024-03-01T00:00:00Z'), 3)), { kind: 'append', gap: false });
  assert.deepEqual(store.apply(bar(s('2024-05-01T00:00:00Z'), 4)), { kind: 'append', gap: true });
});

// The page's indicator logic: kinds and keys (checked against common's AnalysisSpec.java, the server's definition),
// the ind= URL parameter, point merging, pattern markers and legend texts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  KINDS, MAX_PER_CHART, analysisKey, formatParam, makeSpec, parseIndicator, parseIndicatorList, formatIndicatorList,
  parseIndParam, formatIndParam, indicatorsFromConfig, PointStore, PatternStore, legendEntry, indicatorLabel,
  kindName, indicatorColor, coverLimit,
} from '../../main/webroot/js/indicators.js';

const repo = new URL('../../../../', import.meta.url);

/** The kinds as AnalysisSpec.Kind declares them: {wire: {params, defaults, fields}}. */
function javaKinds() {
  const src = readFileSync(new URL('common/src/main/java/candlecast/common/analysis/AnalysisSpec.java', repo), 'utf8')
    .replace(/\s+/g, ' ');
  const out = {};
  const re = /[A-Z]+\( ?"([a-z]+)", new String\[\] \{([^}]*)\}, new double\[\] \{([^}]*)\},((?: ?"[a-z_]+",?)+)\)/g;
  for (const m of src.matchAll(re)) {
    const strings = (t) => [...t.matchAll(/"([a-z_]+)"/g)].map((x) => x[1]);
    out[m[1]] = {
      params: strings(m[2]),
      defaults: m[3].trim() ? m[3].split(',').map(Number) : [],
      fields: strings(m[4]),
    };
  }
  return out;
}

test('the kinds mirror AnalysisSpec.Kind: names, parameters in order, defaults and fields (risk is not drawn; the menu lists overlays first)', () => {
  const java = javaKinds();
  assert.ok(Object.keys(java).length >= 12, 'parsed the Java enum');
  assert.deepEqual(Object.keys(KINDS).sort(), Object.keys(java).filter((k) => k !== 'risk').sort());
  for (const [k, v] of Object.entries(KINDS)) {
    assert.deepEqual({ params: v.params, defaults: v.defaults, fields: v.fields }, java[k], k);
  }
});

test('analysisKey: parameters in declared order, defaults filled, integers without a fraction (AnalysisSpec.key())', () => {
  assert.equal(analysisKey('rsi', { period: 14 }), 'rsi:14');
  assert.equal(analysisKey('rsi', {}), 'rsi:14');
  assert.equal(analysisKey('macd', { signal: 9, slow: 26, fast: 12 }), 'macd:12:26:9');
  assert.equal(analysisKey('bb', { period: 20, mult: 2.0 }), 'bb:20:2');
  assert.equal(analysisKey('bb', { mult: 2.5 }), 'bb:20:2.5');
  assert.equal(analysisKey('vwap'), 'vwap');
  assert.equal(analysisKey('patterns', { lookback: 20 }), 'patterns:20');
  assert.equal(analysisKey('Stochastic', { k: 5 }), 'stoch:5:3');
  assert.equal(analysisKey('bollinger', { period: '30' }), 'bb:30:2');
  assert.throws(() => analysisKey('foo', {}), /unknown indicator 'foo'/);
});

test('formatParam writes numbers as Java Double.toString does (integers plain, small ones in E notation)', () => {
  assert.equal(formatParam(20), '20');
  assert.equal(formatParam(2.5), '2.5');
  assert.equal(formatParam(0.1), '0.1');
  assert.equal(formatParam(0.001), '0.001');
  assert.equal(formatParam(0.0005), '5.0E-4');
  assert.equal(formatParam(0.00025), '2.5E-4');
});

test('makeSpec validates as AnalysisSpec.parse does, with its messages', () => {
  assert.deepEqual(makeSpec('macd', { fast: '5' }), { name: 'macd', params: { fast: 5, slow: 26, signal: 9 }, key: 'macd:5:26:9' });
  assert.throws(() => makeSpec('rsi', { period: 0 }), /rsi parameter 'period' must be an integer from 1 to 500, got 0/);
  assert.throws(() => makeSpec('rsi', { period: 501 }), /from 1 to 500, got 501/);
  assert.throws(() => makeSpec('sma', { period: 2.5 }), /got 2\.5/);
  assert.throws(() => makeSpec('sma', { period: 'x' }), /sma parameter 'period' must be a number, got 'x'/);
  assert.throws(() => makeSpec('sma', { period: '' }), /must be a number/);
  assert.throws(() => makeSpec('sma', { length: 3 }), /unknown parameter 'length' for sma \(parameters: period\)/);
  assert.throws(() => makeSpec('vwap', { period: 3 }), /\(parameters: none\)/);
  assert.throws(() => makeSpec('bb', { mult: 0 }), /bb parameter 'mult' must be in \(0, 10\]/);
  assert.throws(() => makeSpec('bb', { mult: 10.5 }), /must be in \(0, 10\]/);
  assert.throws(() => makeSpec('macd', { fast: 26, slow: 26 }), /macd parameter 'fast' must be below 'slow'/);
  assert.throws(() => makeSpec('sma', { period: Infinity }), /must be finite/);
  assert.equal(makeSpec('bb', { mult: 10 }).key, 'bb:20:10');
});

test('parseIndicator: name, aliases, trailing parameters may be left out, too many refused', () => {
  assert.equal(parseIndicator('rsi').key, 'rsi:14');
  assert.equal(parseIndicator(' RSI:7 ').key, 'rsi:7');
  assert.equal(parseIndicator('macd:8').key, 'macd:8:26:9');
  assert.equal(parseIndicator('bollinger:20:2.5').key, 'bb:20:2.5');
  assert.equal(parseIndicator('patterns').key, 'patterns:20');
  assert.throws(() => parseIndicator('rsi:14:2'), /rsi takes 1 parameter\(s\): period/);
  assert.throws(() => parseIndicator('vwap:3'), /vwap takes no parameters/);
  assert.throws(() => parseIndicator('risk:30'), /unknown indicator 'risk'/);
  assert.equal(kindName('BBANDS'), 'bb');
});

test('lists: repeats dropped silently, bad entries named, at most MAX_PER_CHART, none = empty', () => {
  const r = parseIndicatorList('sma:50, rsi ,sma:50.0,rsi:14,,nope');
  assert.deepEqual(r.list.map((s) => s.key), ['sma:50', 'rsi:14']);
  assert.equal(r.warnings.length, 1);
  assert.deepEqual(parseIndicatorList('none').list, []);
  assert.deepEqual(parseIndicatorList('').list, []);
  const many = parseIndicatorList(Array.from({ length: MAX_PER_CHART + 2 }, (_, i) => `sma:${i + 1}`).join(','));
  assert.equal(many.list.length, MAX_PER_CHART);
  assert.equal(many.warnings.length, 2);
  assert.equal(formatIndicatorList(r.list), 'sma:50,rsi:14');
  assert.equal(formatIndicatorList([]), 'none');
});

test('ind= per chart: format(parse(x)) is canonical and parses back to the same lists', () => {
  const defaults = parseIndicatorList('sma:50').list;
  for (const [layout, text, canonical] of [
    [1, 'rsi,macd', 'rsi:14,macd:12:26:9'],
    [2, 'rsi', 'rsi:14'],
    [2, 'rsi;rsi', 'rsi:14'],
    [2, 'rsi;none', 'rsi:14;none'],
    [4, 'rsi;;bb:20:2', 'rsi:14;none;bb:20:2;sma:50'],
  ]) {
    const lists = parseIndParam(text, layout, defaults).charts;
    assert.equal(lists.length, layout);
    const out = formatIndParam(lists);
    assert.equal(out, canonical, text);
    assert.deepEqual(parseIndParam(out, layout, defaults).charts, lists, text);
  }
  assert.deepEqual(parseIndParam(null, 2, defaults).charts.map(formatIndicatorList), ['sma:50', 'sma:50']);
  assert.equal(parseIndParam('foo', 4, defaults).warnings.length, 1, 'a list for every chart is reported once');
});

test('ui-config indicators: list of keys, or the older {sma50, sma200} object', () => {
  assert.deepEqual(indicatorsFromConfig(['rsi:14', 'macd:12:26:9']).list.map((s) => s.key), ['rsi:14', 'macd:12:26:9']);
  assert.deepEqual(indicatorsFromConfig({ sma50: true, sma200: true }).list.map((s) => s.key), ['sma:50', 'sma:200']);
  assert.deepEqual(indicatorsFromConfig({ sma50: false }).list, []);
  assert.equal(indicatorsFromConfig(undefined), null);
  assert.equal(indicatorsFromConfig(5).list, null);
});

// ---- points ----------------------------------------------------------------------------------------------------------

test('PointStore: the provisional point is replaced by one with the same t, newer ones append, older are ignored', () => {
  const s = new PointStore(['value']);
  s.reset([{ t: 60000, closed: true, value: 1 }, { t: 120000, closed: false, value: 2 }]);
  assert.equal(s.length, 2);
  let r = s.apply({ symbol: 'BTCUSD', tf: '1m', key: 'sma:2', t: 120000, closed: false, value: 2.5 });
  assert.equal(r.kind, 'replace');
  assert.deepEqual(s.last(), { t: 120000, time: 120, closed: false, value: 2.5 });
  r = s.apply({ t: 120000, closed: true, value: 2.25 });
  assert.equal(r.kind, 'replace');
  assert.equal(s.last().closed, true);
  r = s.apply({ t: 180000, closed: false, value: 3 });
  assert.equal(r.kind, 'append');
  assert.equal(s.apply({ t: 60000, closed: true, value: 9 }).kind, 'ignore');
  assert.equal(s.at(60).value, 1, 'an older point changes nothing');
  assert.equal(s.apply({ t: 240000, value: 'x' }).kind, 'ignore');
  assert.equal(s.apply({ t: 240500, value: 1 }).kind, 'ignore', 'not on a second');
  assert.equal(s.apply(null).kind, 'ignore');
  assert.deepEqual(s.line('value'), [{ time: 60, value: 1 }, { time: 120, value: 2.25 }, { time: 180, value: 3 }]);
  assert.equal(s.at(90), null);
  assert.equal(s.trimBefore(120), 1);
  assert.equal(s.points[0].time, 120);
});

test('PointStore: a snapshot keeps strictly increasing, well-formed points; multi-field points keep their fields', () => {
  const s = new PointStore(['macd', 'signal', 'hist']);
  s.reset([
    { t: 60000, closed: true, macd: 1, signal: 0.5, hist: 0.5 },
    { t: 60000, closed: true, macd: 9, signal: 9, hist: 9 },
    { t: 0, closed: true, macd: 1 },
    { t: 120000, closed: true, foo: 1 },
    { t: 180000, closed: false, macd: -1, signal: null, hist: 0 },
  ]);
  assert.deepEqual(s.points.map((p) => p.time), [60, 180]);
  assert.deepEqual(s.points[1], { t: 180000, time: 180, closed: false, macd: -1, hist: 0 });
  assert.deepEqual(s.line('signal'), [{ time: 60, value: 0.5 }]);
});

test('PatternStore: detections by (t, pattern), sorted, markers by direction', () => {
  const s = new PatternStore(3);
  s.reset([
    { t: 120000, closed: true, pattern: 'doji', direction: 'neutral', inputs: {} },
    { t: 60000, closed: true, pattern: 'hammer', direction: 'bullish' },
  ]);
  assert.equal(s.apply({ t: 120000, closed: true, patterns: [{ t: 120000, pattern: 'doji', direction: 'neutral' }] }), 0);
  assert.equal(s.apply({ patterns: [{ t: 180000, pattern: 'bearish_engulfing', direction: 'bearish' }, { t: 'x' }] }), 1);
  const colors = { up: 'U', down: 'D', text: 'T' };
  assert.deepEqual(s.markers(colors).map((m) => [m.time, m.position, m.shape, m.color, m.text]), [
    [60, 'belowBar', 'arrowUp', 'U', 'H'],
    [120, 'aboveBar', 'circle', 'T', 'D'],
    [180, 'aboveBar', 'arrowDown', 'D', 'BE'],
  ]);
  s.apply({ patterns: [{ t: 240000, pattern: 'breakout_high', direction: 'bullish' }] });
  assert.deepEqual(s.items.map((d) => d.time), [120, 180, 240], 'the oldest dropped beyond the maximum');
  assert.deepEqual(s.at(180).map((d) => d.pattern), ['bearish_engulfing']);
});

// ---- legend ----------------------------------------------------------------------------------------------------------

test('legend: label with parameters, values per field, dashes without a point', () => {
  const rsi = makeSpec('rsi', {});
  assert.equal(indicatorLabel(rsi), 'RSI 14');
  assert.deepEqual(legendEntry(rsi, { value: 55.3149 }, 2), { label: 'RSI 14', values: ['55.31'] });
  assert.deepEqual(legendEntry(rsi, null, 2), { label: 'RSI 14', values: ['–'] });
  const macd = makeSpec('macd', {});
  assert.deepEqual(legendEntry(macd, { macd: 12.3456, signal: -1, hist: 13.3456 }, 2).values, ['12.35', '-1.00', '13.35']);
  assert.equal(indicatorLabel(macd), 'MACD 12 26 9');
  const bb = makeSpec('bb', { mult: 2.5 });
  assert.equal(indicatorLabel(bb), 'BB 20 2.5');
  assert.deepEqual(legendEntry(bb, { upper: 101234.5, middle: 100000, lower: 98765.5 }, 2).values,
    ['101,234.50', '100,000.00', '98,765.50']);
  assert.deepEqual(legendEntry(bb, { upper: 1 }, 2).values, ['1.00', '–', '–']);
  assert.deepEqual(legendEntry(makeSpec('obv', {}), { value: -1234567 }, 2).values, ['−1.23M']);
  assert.deepEqual(legendEntry(makeSpec('stoch', {}), { k: 80, d: 75.555 }, 2).values, ['80.00', '75.56']);
  assert.deepEqual(legendEntry(makeSpec('vwap', {}), { value: 0.000123456 }, 7).values, ['0.0001235']);
  const pat = makeSpec('patterns', {});
  assert.deepEqual(legendEntry(pat, null, 2, [{ pattern: 'doji' }, { pattern: 'golden_cross' }]),
    { label: 'Patterns 20', values: ['Doji, Golden cross'] });
  assert.deepEqual(legendEntry(pat, null, 2, []).values, ['–']);
});

test('line colours: the theme\'s two line colours first, then the palette', () => {
  const c = { sma50: 'A', sma200: 'B' };
  assert.equal(indicatorColor(0, c), 'A');
  assert.equal(indicatorColor(1, c), 'B');
  assert.notEqual(indicatorColor(2, c), indicatorColor(3, c));
});

test('coverLimit: a full snapshot that starts after the chart\'s oldest bar is asked again, in bounded rounds', () => {
  const chart = { first: 600, length: 777 };
  // the chart was painted, then the server folded 277 more windows before the indicator's snapshot of 500
  assert.equal(coverLimit(chart, { first: 600 + 277 * 60, full: true, limit: 500 }), 778);
  assert.equal(coverLimit(chart, { first: 600, full: true, limit: 500 }), null, 'reaches the oldest bar');
  assert.equal(coverLimit(chart, { first: 540, full: true, limit: 500 }), null, 'reaches before it');
  assert.equal(coverLimit(chart, { first: 1800, full: false, limit: 500 }), null, 'short: the server has no older points');
  assert.equal(coverLimit(null, { first: 1800, full: true, limit: 500 }), null, 'no chart bars yet');
  assert.equal(coverLimit({ first: 0, length: 0 }, { first: 1800, full: true, limit: 500 }), null);
  assert.equal(coverLimit(chart, { first: null, full: true, limit: 500 }), null, 'no points');
  // asked for as many as the chart has already (windows without a bar): half as many again, capped
  assert.equal(coverLimit(chart, { first: 1800, full: true, limit: 778 }), 1167);
  assert.equal(coverLimit(chart, { first: 1800, full: true, limit: 4000 }), 5000);
  assert.equal(coverLimit(chart, { first: 1800, full: true, limit: 5000 }), null, 'at the cap');
  let limit = 500;
  let rounds = 0;
  for (let next; (next = coverLimit({ first: 0, length: 3000 }, { first: 60, full: true, limit })); rounds++) limit = next;
  assert.equal(limit, 5000);
  assert.ok(rounds <= 4, `${rounds} rounds`);
});

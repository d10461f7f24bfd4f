// Alerts on the page, pure logic: form -> definition with the server's rules (the contract's table, written here
// independently of alerts.js), the drawn line -> kind, texts of alerts and fires, the owner the page acts for.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  ALERT_KINDS, makeCondition, makeDefinition, parseWindow, lineCondition, alertLines, describeCondition, fireText,
  firePrice, alertRow, tokenSubject, pageOwner, DEFAULT_OWNER, withFires, noteFire,
} from '../../main/webroot/js/alerts.js';

/** docs/PROTOCOL.md "Alerts" condition rules: field -> [min, max, minOpen, integer, default]. */
const RULES = {
  price_above: { level: [0, Infinity, true, false, undefined] },
  price_below: { level: [0, Infinity, true, false, undefined] },
  move_up: { pct: [0, 100, true, false, undefined], window: [1000, 3600000, false, true, 300000] },
  move_down: { pct: [0, 100, true, false, undefined], window: [1000, 3600000, false, true, 300000] },
  volume_spike: { n: [2, 200, false, true, 20], k: [0, 1000, true, false, 3] },
  breakout_high: { n: [1, 200, false, true, 20] },
  breakout_low: { n: [1, 200, false, true, 20] },
  rsi_above: { period: [2, 50, false, true, 14], level: [0, 100, false, false, 70] },
  rsi_below: { period: [2, 50, false, true, 14], level: [0, 100, false, false, 30] },
  sma_cross_above: { period: [2, 200, false, true, 20] },
  sma_cross_below: { period: [2, 200, false, true, 20] },
};
const CANDLE_KINDS = ['volume_spike', 'breakout_high', 'breakout_low', 'rsi_above', 'rsi_below', 'sma_cross_above', 'sma_cross_below'];

/** A valid raw form for `kind`: every field at a value inside its range. */
function validRaw(kind) {
  const raw = {};
  for (const [f, [min, max]] of Object.entries(RULES[kind])) raw[f] = Number.isFinite(max) ? (min + max) / 2 : min + 1;
  if (raw.window !== undefined) raw.window = Math.round(raw.window);
  for (const f of ['n', 'period']) if (raw[f] !== undefined) raw[f] = Math.round(raw[f]);
  return raw;
}

test('the kinds are the contract\'s eleven, with exactly its fields (tf for the candle kinds)', () => {
  assert.deepEqual(Object.keys(ALERT_KINDS).sort(), Object.keys(RULES).sort());
  for (const kind of Object.keys(RULES)) {
    const fields = ALERT_KINDS[kind].fields.map((f) => f.name).sort();
    const expected = Object.keys(RULES[kind]).concat(CANDLE_KINDS.includes(kind) ? ['tf'] : []).sort();
    assert.deepEqual(fields, expected, kind);
  }
});

test('every field: its bounds are accepted or refused as the contract says, and the error names the field', () => {
  for (const [kind, fields] of Object.entries(RULES)) {
    for (const [f, [min, max, minOpen, integer]] of Object.entries(fields)) {
      const at = (v) => makeCondition(kind, { ...validRaw(kind), [f]: v });
      if (minOpen) assert.throws(() => at(min), new RegExp(`^Error: ${f}: `), `${kind}.${f} = ${min}`);
      else assert.equal(at(min)[f], min, `${kind}.${f} = ${min}`);
      assert.throws(() => at(min - 1), new RegExp(`^Error: ${f}: `), `${kind}.${f} below`);
      if (Number.isFinite(max)) {
        assert.equal(at(max)[f], max, `${kind}.${f} = max`);
        assert.throws(() => at(max + 1), new RegExp(`^Error: ${f}: `), `${kind}.${f} above`);
      }
      if (integer && f !== 'window') assert.throws(() => at(min + 1.5), /whole number/, `${kind}.${f} fraction`);
      assert.throws(() => at('abc'), new RegExp(`^Error: ${f}: `), `${kind}.${f} text`);
      assert.throws(() => at('Infinity'), new RegExp(`^Error: ${f}: `), `${kind}.${f} infinite`);
    }
  }
});

test('empty fields take the contract\'s defaults; fields without one are required', () => {
  for (const [kind, fields] of Object.entries(RULES)) {
    for (const [f, rule] of Object.entries(fields)) {
      const raw = { ...validRaw(kind), [f]: '' };
      if (rule[4] === undefined) assert.throws(() => makeCondition(kind, raw), new RegExp(`^Error: ${f}: required`));
      else assert.equal(makeCondition(kind, raw)[f], rule[4], `${kind}.${f}`);
    }
    if (CANDLE_KINDS.includes(kind)) {
      assert.equal(makeCondition(kind, validRaw(kind)).tf, '1m');
      assert.equal(makeCondition(kind, { ...validRaw(kind), tf: '4h' }).tf, '4h');
      assert.throws(() => makeCondition(kind, { ...validRaw(kind), tf: '1w' }), /^Error: tf: /);
    } else {
      assert.equal(makeCondition(kind, { ...validRaw(kind), tf: '1h' }).tf, undefined, 'no tf on trade kinds');
    }
  }
  assert.throws(() => makeCondition('price_cross', {}), /^Error: kind: unknown kind "price_cross"/);
});

test('window: 30s, 5m, 1h and plain milliseconds', () => {
  for (const [text, ms] of [['30s', 30000], ['5m', 300000], ['1h', 3600000], ['1500', 1500], ['2500ms', 2500], [' 2m ', 120000]]) {
    assert.equal(parseWindow(text), ms, text);
    assert.equal(makeCondition('move_up', { pct: 2, window: text }).window, ms, text);
  }
  assert.ok(Number.isNaN(parseWindow('5 minutes')));
  assert.throws(() => makeCondition('move_up', { pct: 2, window: '2h' }), /^Error: window: must be 1000 to 3600000/);
  assert.throws(() => makeCondition('move_up', { pct: 2, window: '0.5s' }), /^Error: window: /);
  assert.throws(() => makeCondition('move_up', { pct: 2, window: '1.0005s' }), /^Error: window: whole milliseconds/);
});

test('makeDefinition: symbol, mode, cool-down only for rearm (seconds in the form, ms on the wire), note', () => {
  const d = makeDefinition({ symbol: 'BTCUSD', kind: 'price_above', level: '50000', mode: 'once', note: '  tp  ' });
  assert.deepEqual(d, { symbol: 'BTCUSD', condition: { kind: 'price_above', level: 50000 }, mode: 'once', note: 'tp' });
  assert.deepEqual(JSON.parse(JSON.stringify(d)), d, 'plain JSON');
  const r = makeDefinition({ symbol: 'ETHUSD', kind: 'rsi_below', period: '7', level: '25', tf: '5m', mode: 'rearm', cooldown: '90' });
  assert.deepEqual(r, { symbol: 'ETHUSD', condition: { kind: 'rsi_below', tf: '5m', period: 7, level: 25 }, mode: 'rearm', cooldownMs: 90000 });
  assert.equal(makeDefinition({ symbol: 'ETHUSD', kind: 'price_below', level: 1, mode: 'rearm', cooldown: '' }).cooldownMs, 60000);
  assert.equal(makeDefinition({ symbol: 'ETHUSD', kind: 'price_below', level: 1, mode: 'rearm', cooldown: '604800' }).cooldownMs, 604800000);
  assert.throws(() => makeDefinition({ symbol: 'ETHUSD', kind: 'price_below', level: 1, mode: 'rearm', cooldown: '604801' }), /^Error: cooldownMs: /);
  assert.throws(() => makeDefinition({ symbol: 'ETHUSD', kind: 'price_below', level: 1, mode: 'rearm', cooldown: '-1' }), /^Error: cooldownMs: /);
  assert.throws(() => makeDefinition({ symbol: 'ETHUSD', kind: 'price_below', level: 1, mode: 'twice' }), /^Error: mode: /);
  assert.throws(() => makeDefinition({ symbol: 'btc', kind: 'price_below', level: 1 }), /^Error: symbol: /);
  assert.throws(() => makeDefinition({ symbol: 'ETHUSD', kind: 'price_below', level: 1, note: 'x'.repeat(201) }), /^Error: note: /);
  assert.equal(makeDefinition({ symbol: 'ETHUSD', kind: 'price_below', level: 1, note: 'x'.repeat(200) }).note.length, 200);
  assert.equal(makeDefinition({ symbol: 'ETHUSD', kind: 'price_below', level: 1 }).mode, 'once', 'default mode');
});

test('a dragged line: above the last price -> price_above, at or below -> price_below; no price yet -> below', () => {
  for (let i = 0; i < 200; i++) {
    const last = 1 + Math.random() * 1000;
    const level = last * (0.9 + Math.random() * 0.2);
    assert.deepEqual(lineCondition(level, last), { kind: level > last ? 'price_above' : 'price_below', level });
  }
  assert.equal(lineCondition(100, 100).kind, 'price_below');
  assert.equal(lineCondition(100, null).kind, 'price_below');
  assert.throws(() => lineCondition(0, 10), /^Error: level: /);
  assert.throws(() => lineCondition(NaN, 10), /^Error: level: /);
});

test('alertLines: the armed price alerts of the symbol only', () => {
  const a = (id, symbol, kind, state, extra = {}) => ({ id, symbol, state, condition: { kind, level: 10, ...extra } });
  const list = [
    a('a1', 'BTCUSD', 'price_above', 'armed'), a('a2', 'BTCUSD', 'price_below', 'fired'),
    a('a3', 'ETHUSD', 'price_below', 'armed'), a('a4', 'BTCUSD', 'rsi_above', 'armed', { tf: '1m' }),
    a('a5', 'BTCUSD', 'price_below', 'armed', { level: 7 }), a('a6', 'BTCUSD', 'price_below', 'expired'),
  ];
  assert.deepEqual(alertLines(list, 'BTCUSD'), [
    { id: 'a1', kind: 'price_above', level: 10 }, { id: 'a5', kind: 'price_below', level: 7 },
  ]);
  assert.deepEqual(alertLines(null, 'BTCUSD'), []);
});

test('describeCondition names every kind with its numbers', () => {
  for (const kind of Object.keys(RULES)) {
    const c = makeCondition(kind, validRaw(kind));
    const text = describeCondition(c);
    assert.notEqual(text, kind, `${kind} has a text`);
    for (const [f, v] of Object.entries(c)) {
      if (f === 'kind' || f === 'window') continue;
      const shown = f === 'level' && kind.startsWith('price') ? v.toLocaleString('en-US', { minimumFractionDigits: 2 }) : String(v);
      assert.ok(text.includes(shown), `${kind}: "${text}" shows ${f}=${shown}`);
    }
  }
  assert.equal(describeCondition({ kind: 'move_down', pct: 2, window: 300000 }), 'down 2% in 5m');
});

test('fireText: symbol, condition, the crossing trade\'s price and the fire time; candle kinds use the close', () => {
  const fire = {
    type: 'alert', fire: 'al-1|t:99', alert: 'al-1', owner: 'bob', symbol: 'BTCUSD', kind: 'price_above',
    condition: { kind: 'price_above', level: 50000 }, note: 'take profit',
    trade: { id: 7, t: 1767200012345, price: 50001.5, amount: 0.1, offset: 99 }, candle: null,
    value: 50001.5, threshold: 50000, firedAt: 1767200012345, recordedAt: 1767200012360, seq: 1, final: true,
  };
  const t = fireText(fire, (ms) => `T${ms}`);
  assert.equal(t.id, 'al-1|t:99');
  assert.equal(t.title, 'BTCUSD price above 50,000.00');
  assert.equal(t.body, 'at 50,001.50 · T1767200012345 · take profit');
  assert.equal(t.price, 50001.5);
  const candle = { ...fire, fire: 'al-2|c:1m:60000', kind: 'rsi_above', condition: { kind: 'rsi_above', tf: '1m', period: 14, level: 70 },
    trade: null, candle: { tf: '1m', t: 60000, o: 1, h: 2, l: 0.5, c: 0.75, v: 3 }, seq: 3, note: '' };
  assert.equal(firePrice(candle), 0.75);
  const c = fireText(candle, () => 'T');
  assert.equal(c.title, 'BTCUSD RSI(14) 1m above 70');
  assert.equal(c.body, 'at 0.7500 · T · #3');
});

test('alertRow: state, fired mark with the last fire\'s price, note', () => {
  const r = alertRow({ id: 'al-1', symbol: 'ETHUSD', condition: { kind: 'price_below', level: 2500 }, state: 'fired',
    mode: 'once', note: 'dip', fireCount: 1, lastFire: { trade: { price: 2499.5 } } });
  assert.deepEqual(r, { id: 'al-1', symbol: 'ETHUSD', text: 'price below 2,500.00 – dip', state: 'fired', mode: 'once',
    fired: true, fireCount: 1, lastPrice: 2499.5 });
  assert.equal(alertRow({ id: 'x', condition: { kind: 'move_up', pct: 1, window: 60000 }, state: 'armed' }).fired, false);
});

test('the owner: the token\'s subject, else ?owner= when valid, else "default"', () => {
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const jwt = (claims) => `${b64({ alg: 'HS256' })}.${b64(claims)}.sig`;
  const atob = (s) => Buffer.from(s, 'base64').toString('binary');
  assert.equal(tokenSubject(jwt({ sub: 'alice', n: '>>>??' }), atob), 'alice');
  assert.equal(tokenSubject('nonsense', atob), null);
  assert.equal(tokenSubject(jwt({ role: 'x' }), atob), null);
  assert.deepEqual(pageOwner('?owner=bob', jwt({ sub: 'alice' }), atob), { owner: 'alice' });
  assert.deepEqual(pageOwner('?charts=BTCUSD.1m&owner=bob.smith@x', null, atob), { owner: 'bob.smith@x' });
  assert.deepEqual(pageOwner('', null, atob), { owner: DEFAULT_OWNER });
  const bad = pageOwner('?owner=' + encodeURIComponent('a b'), null, atob);
  assert.equal(bad.owner, DEFAULT_OWNER);
  assert.match(bad.warning, /owner "a b" ignored/);
  assert.equal(pageOwner('?owner=' + 'x'.repeat(65), null, atob).owner, DEFAULT_OWNER);
  assert.equal(pageOwner('?owner=' + 'x'.repeat(64), null, atob).owner, 'x'.repeat(64));
});

test('withFires: a fire the list does not show yet marks its alert; the list wins once it has caught up', () => {
  const rec = (id, mode, extra = {}) => ({ id, mode, state: 'armed', fireCount: 0, lastFire: null, ...extra });
  const list = [rec('a', 'once'), rec('b', 'rearm'), rec('c', 'rearm'), rec('d', 'once')];
  const fires = new Map();
  noteFire(fires, { alert: 'a', seq: 1, final: true, fire: 'a|t:1' });
  noteFire(fires, { alert: 'b', seq: 2, final: false, fire: 'b|t:9' });
  noteFire(fires, { alert: 'b', seq: 1, final: false, fire: 'b|t:5' }); // older: ignored
  noteFire(fires, { alert: 'c', seq: 3, final: true, fire: 'c|t:3' });  // rearm + final = expired
  const out = withFires(list, fires);
  assert.deepEqual(out.map((a) => [a.id, a.state, a.fireCount, a.lastFire && a.lastFire.fire]), [
    ['a', 'fired', 1, 'a|t:1'], ['b', 'armed', 2, 'b|t:9'], ['c', 'expired', 3, 'c|t:3'], ['d', 'armed', 0, null],
  ]);
  assert.equal(out[3], list[3], 'untouched records are the same objects');
  const caughtUp = [rec('a', 'once', { state: 'fired', fireCount: 1, lastFire: { fire: 'a|t:1', seq: 1 } })];
  assert.equal(withFires(caughtUp, fires)[0], caughtUp[0]);
});

/**
 * The server's rules as common's AlertCondition.java declares them: {kind: {field: {min, max, minOpen, int, def}}}
 * (def undefined = required there). Read from the source, so the page's copy cannot drift silently.
 */
function javaRules() {
  const src = readFileSync(new URL('../../../../common/src/main/java/candlecast/common/alerts/AlertCondition.java',
    import.meta.url), 'utf8').replace(/\s+/g, ' ');
  const num = (t) => (t.trim() === 'Double.MAX_VALUE' ? Infinity : Number(t));
  const calls = (text) => {
    const out = {};
    for (const m of text.matchAll(/AlertFields\.intIn\(c, "[^"]+", "(\w+)", (\d+), (\d+), (\d+)\)/g)) {
      out[m[1]] = { min: +m[2], max: +m[3], minOpen: false, int: true, def: +m[4] };
    }
    for (const m of text.matchAll(/AlertFields\.double(In|Required)\(c, "[^"]+", "(\w+)", ([\w.]+), (true|false), ([\w.]+)(?:, ([\w.]+))?\)/g)) {
      out[m[2]] = { min: num(m[3]), max: num(m[5]), minOpen: m[4] === 'false', int: false, def: m[6] === undefined ? undefined : num(m[6]) };
    }
    return out;
  };
  const method = (name) => src.slice(src.indexOf(`private static AlertCondition ${name}(`)).split('private static')[1];
  const rules = {};
  const sw = src.slice(src.indexOf('return switch (kind)'), src.indexOf('private static AlertCondition price('));
  for (const m of sw.matchAll(/case ([A-Z_, ]+) ->(.*?)(?=case [A-Z_]+[,\s]|\};)/g)) {
    let fields = calls(m[2]);
    if (m[2].includes('price(kind, c)')) fields = calls(method('price'));
    if (m[2].includes('move(kind, c)')) {
      fields = calls(method('move'));
      const w = (k) => Number(src.match(new RegExp(`${k} = ([\\d_]+)`))[1].replace(/_/g, ''));
      fields.window = { min: w('MIN_WINDOW_MS'), max: w('MAX_WINDOW_MS'), minOpen: false, int: true, def: undefined };
    }
    if (m[2].includes('tf(c)')) fields.tf = 'tf';
    for (const k of m[1].split(',')) rules[k.trim().toLowerCase()] = fields;
  }
  return rules;
}

test('the kinds, fields, ranges and defaults mirror common\'s AlertCondition.java (the server\'s validation)', () => {
  const java = javaRules();
  assert.deepEqual(Object.keys(ALERT_KINDS).sort(), Object.keys(java).sort(), 'kinds');
  for (const [kind, k] of Object.entries(ALERT_KINDS)) {
    assert.deepEqual(k.fields.map((f) => f.name).sort(), Object.keys(java[kind]).sort(), `${kind} fields`);
    for (const f of k.fields) {
      const j = java[kind][f.name];
      if (f.tf) { assert.equal(j, 'tf'); continue; }
      const min = f.min === undefined ? -Infinity : f.min;
      const max = f.max === undefined ? Infinity : f.max;
      assert.deepEqual([min, max, !!f.minOpen, !!(f.int || f.window)], [j.min, j.max, j.minOpen, j.int], `${kind}.${f.name}`);
      // A server default is the form's default; where the server requires the field the form pre-fills a value.
      if (j.def !== undefined) assert.equal(f.def, j.def, `${kind}.${f.name} default`);
    }
  }
});

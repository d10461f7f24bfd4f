import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelay, restartDelay, endpoints, codeForStatus, candleFromRest, candleFromFrame, tradeFrom }
  from '../../dist/index.js';

test('back-off is full jitter under min(max, initial × 2^attempt)', () => {
  const top = () => 0.999999;
  for (let attempt = 0; attempt < 12; attempt++) {
    const ceiling = Math.min(15000, 500 * 2 ** attempt);
    assert.equal(backoffDelay(attempt, {}, top), Math.floor(0.999999 * ceiling), 'attempt ' + attempt);
    assert.equal(backoffDelay(attempt, {}, () => 0), 0);
  }
  assert.equal(backoffDelay(3, { initialMs: 100, maxMs: 1000 }, top), Math.floor(0.999999 * 800));
  assert.equal(backoffDelay(4, { initialMs: 100, maxMs: 1000 }, top), Math.floor(0.999999 * 1000));
  // spread: many draws cover the range instead of sitting on the ceiling
  const draws = Array.from({ length: 2000 }, () => backoffDelay(2, {}));
  assert.ok(Math.min(...draws) < 200 && Math.max(...draws) > 1800 && Math.max(...draws) < 2000);
  for (let i = 0; i < 100; i++) {
    const d = restartDelay();
    assert.ok(d >= 0 && d < 500);
  }
});

test('endpoints derive /ws and the REST base from either URL', () => {
  assert.deepEqual(endpoints('http://localhost:8080'), { ws: 'ws://localhost:8080/ws', http: 'http://localhost:8080' });
  assert.deepEqual(endpoints('https://h.example/'), { ws: 'wss://h.example/ws', http: 'https://h.example' });
  assert.deepEqual(endpoints('ws://h:1/ws'), { ws: 'ws://h:1/ws', http: 'http://h:1' });
  assert.deepEqual(endpoints('wss://h/prefix/ws'), { ws: 'wss://h/prefix/ws', http: 'https://h/prefix' });
  assert.deepEqual(endpoints('http://h/prefix'), { ws: 'ws://h/prefix/ws', http: 'http://h/prefix' });
  assert.throws(() => endpoints('ftp://h'), TypeError);
  assert.throws(() => endpoints('not a url'));
});

test('REST status codes map to the contract codes', () => {
  const table = [[400, 'x', 'bad_request'], [401, 'x', 'unauthorized'], [403, 'x', 'forbidden'],
    [404, 'unknown symbol NOPE', 'unknown_symbol'], [404, 'no such alert', 'not_found'], [410, 'x', 'gone'],
    [429, 'x', 'rate_limited'], [503, 'x', 'unavailable'], [502, 'x', 'http_502'], [500, 'x', 'http_500']];
  for (const [status, text, code] of table) assert.equal(codeForStatus(status, text), code, String(status));
});

test('models: REST candle letters and frame fields become the same Candle', () => {
  const rest = { symbol: 'BTCUSD', tf: '1m', t: 1700000040000, o: 1.5, h: 2, l: 1, c: 1.75, v: 3.25, n: 4, x: true, partial: true, src: 'exchange' };
  const frame = { t: 1700000040000, open: 1.5, high: 2, low: 1, close: 1.75, volume: 3.25, trades: 4, closed: true, partial: true, src: 'exchange', unix_timestamp: 1700000040 };
  const a = candleFromRest(rest);
  const b = candleFromFrame(frame, 'BTCUSD', '1m');
  assert.deepEqual(a, b);
  assert.deepEqual(a, { symbol: 'BTCUSD', tf: '1m', t: 1700000040000, open: 1.5, high: 2, low: 1, close: 1.75, volume: 3.25,
    trades: 4, closed: true, partial: true, src: 'exchange', time: 1700000040 });
  const plain = candleFromRest({ ...rest, partial: undefined, src: undefined, x: false });
  assert.equal(plain.partial, false);
  assert.equal(plain.closed, false);
  assert.equal('src' in plain, false);
  assert.deepEqual(tradeFrom({ id: 7, t: 5, p: 1.5, q: 0.25, side: 'sell' }, 'ETHUSD'),
    { symbol: 'ETHUSD', id: 7, t: 5, price: 1.5, amount: 0.25, side: 'sell' });
});

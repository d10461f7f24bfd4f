// The `gap` notices of the JSON protocol, routed by `channel`: a candles gap resubscribes that candle series from
// the gap's `from` (and nothing else); a trades gap (or one without a channel, older servers) restarts the tape.
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { CandlecastClient } from '../../dist/index.js';
import { FakeSocket, until, candleFrame, element } from './fake-socket.mjs';

beforeEach(() => FakeSocket.reset());

const T = 1_700_000_040_000;   // a minute's open time
const M = 60000;
const W = (i) => T + i * M;
const tr = (id) => ({ id, t: T + id, p: 100 + id, q: 0.5, side: 'buy' });

async function setup() {
  const c = new CandlecastClient({ url: 'http://node', WebSocket: FakeSocket, random: () => 0, requestTimeoutMs: 500 });
  const p = c.connect();
  await until(() => FakeSocket.instances.length > 0, 1000, 'a socket');
  FakeSocket.last.open();
  await p;
  const errors = [];
  c.onError((e) => errors.push(e));
  return { c, ws: FakeSocket.last, errors };
}

async function reconnect() {
  const n = FakeSocket.instances.length;
  FakeSocket.last.drop(1006);
  await until(() => FakeSocket.instances.length > n, 2000, 'the reconnect');
  FakeSocket.last.open();
  return FakeSocket.last;
}

/** A live BTCUSD trades subscription holding trades 1 and 2; its updates' ids go to `ids`. */
async function liveTrades(c, ws, ids = []) {
  const sub = c.trades('BTCUSD', { onUpdate: (t) => ids.push(t.id) });
  const cmd = ws.lastSent('subscribe', (f) => f.channel === 'trades');
  ws.push({ type: 'subscription', status: 'subscribed', channel: 'trades', symbol: 'BTCUSD', batch: 100, id: cmd.id });
  ws.push({ type: 'snapshot', channel: 'trades', symbol: 'BTCUSD', id: cmd.id, count: 2, trades: [tr(1), tr(2)] });
  await sub.ready;
  return sub;
}

/** A live candle subscription whose snapshot is `candles` (frames); every candle delivered goes to `seen`. */
async function liveCandles(c, ws, tf, candles, seen = []) {
  const sub = c.candles('BTCUSD', tf, {
    onSnapshot: (s) => seen.push(...s.candles),
    onUpdate: (k) => seen.push(k),
  });
  const cmd = ws.lastSent('subscribe', (f) => f.tf === tf && f.channel === undefined);
  ws.push({ type: 'subscription', status: 'subscribed', symbol: 'BTCUSD', tf, id: cmd.id });
  ws.push({ type: 'snapshot', symbol: 'BTCUSD', tf, id: cmd.id, time_window_seconds: 60, candles: candles.map(element) });
  await sub.ready;
  return sub;
}

const candleGap = (from, to, extra = {}) => ({ type: 'gap', channel: 'candles', symbol: 'BTCUSD', tf: '1m', from, to, ...extra });
const closedTs = (seen) => seen.filter((k) => k.closed).map((k) => k.t);
const ascending = (n) => Array.from({ length: n }, (_, i) => W(i));
const tradesCommands = (ws, type) => ws.sent.filter((f) => f.type === type && f.channel === 'trades');

test('a candles gap resubscribes that series with since = from, not the trades of the symbol; every closed window once, in order', async () => {
  const { c, ws, errors } = await setup();
  const tradeIds = [];
  const tape = await liveTrades(c, ws, tradeIds);
  const seen = [];
  const sub = await liveCandles(c, ws, '1m', [candleFrame('BTCUSD', '1m', W(0), 3, true),
    candleFrame('BTCUSD', '1m', W(1), 2, true), candleFrame('BTCUSD', '1m', W(2), 1, false)], seen);
  ws.push(candleFrame('BTCUSD', '1m', W(2), 4, true));
  ws.push(candleFrame('BTCUSD', '1m', W(3), 1, false));
  // the closes of W3..W5 were lost between the tiers and history could not give them: the gateway says so
  ws.push(candleGap(W(3), W(6)));
  assert.deepEqual(tradesCommands(ws, 'unsubscribe'), [], 'the trades subscription of the symbol is not touched');
  const unsub = ws.lastSent('unsubscribe');
  assert.deepEqual(unsub, { type: 'unsubscribe', symbol: 'BTCUSD', tf: '1m', id: unsub.id });
  ws.push(candleFrame('BTCUSD', '1m', W(6), 1, false));      // before the resubscribe: the resume sends it again
  ws.push({ type: 'subscription', status: 'unsubscribed', symbol: 'BTCUSD', tf: '1m', id: unsub.id });
  const resub = ws.lastSent('subscribe');
  assert.deepEqual(resub, { type: 'subscribe', symbol: 'BTCUSD', tf: '1m', since: W(3), id: resub.id });
  ws.push({ type: 'subscription', status: 'subscribed', symbol: 'BTCUSD', tf: '1m', id: resub.id });
  ws.push({ type: 'snapshot', symbol: 'BTCUSD', tf: '1m', id: resub.id, recovered: true, candles: [
    candleFrame('BTCUSD', '1m', W(2), 4, true),      // delivered before the gap (a server answering from further back)
    candleFrame('BTCUSD', '1m', W(3), 2, true), candleFrame('BTCUSD', '1m', W(4), 5, true),
    candleFrame('BTCUSD', '1m', W(5), 1, true), candleFrame('BTCUSD', '1m', W(6), 2, false)].map(element) });
  ws.push(candleFrame('BTCUSD', '1m', W(5), 1, true));       // the seam: already delivered
  ws.push(candleFrame('BTCUSD', '1m', W(6), 2, false));      // the same version: dropped
  ws.push(candleFrame('BTCUSD', '1m', W(6), 3, true));
  ws.push(candleFrame('BTCUSD', '1m', W(7), 1, false));
  ws.push({ type: 'trades', symbol: 'BTCUSD', trades: [tr(3)] });

  const closed = closedTs(seen);
  assert.deepEqual(closed, ascending(closed.length), 'each closed window once, in window order, none missing');
  assert.equal(closed.at(-1), W(6));
  assert.deepEqual(seen.filter((k) => !k.closed).map((k) => [k.t, k.trades]), [[W(2), 1], [W(3), 1], [W(6), 2], [W(7), 1]]);
  assert.deepEqual(sub.stats, { unrecovered: 0, resumes: 1, gaps: 1 });
  assert.deepEqual(tradeIds, [3], 'the tape goes on: no restart, no snapshot again');
  assert.equal(tradesCommands(ws, 'subscribe').length, 1);
  assert.deepEqual(tape.stats, { unrecovered: 0, resumes: 0, gaps: 0 });
  assert.deepEqual(errors, []);
  await c.close();
});

test('a connection lost between the candles gap and its snapshot resumes from the gap\'s from', async () => {
  const { c, ws } = await setup();
  const seen = [];
  const sub = await liveCandles(c, ws, '1m', [candleFrame('BTCUSD', '1m', W(0), 3, true)], seen);
  ws.push(candleGap(W(1), W(3)));
  const unsub = ws.lastSent('unsubscribe');
  ws.push({ type: 'subscription', status: 'unsubscribed', symbol: 'BTCUSD', tf: '1m', id: unsub.id });
  assert.equal(ws.lastSent('subscribe').since, W(1));
  const ws2 = await reconnect();
  const again = ws2.lastSent('subscribe');
  assert.equal(again.since, W(1), 'the gap\'s from, not the newest closed window + 1');
  ws2.push({ type: 'subscription', status: 'subscribed', symbol: 'BTCUSD', tf: '1m', id: again.id });
  ws2.push({ type: 'snapshot', symbol: 'BTCUSD', tf: '1m', id: again.id, recovered: true, candles: [
    element(candleFrame('BTCUSD', '1m', W(1), 1, true)), element(candleFrame('BTCUSD', '1m', W(2), 1, true))] });
  assert.deepEqual(closedTs(seen), ascending(3));
  const ws3 = await reconnect();
  assert.equal(ws3.lastSent('subscribe').since, W(2) + 1, 'after the snapshot: the newest closed window + 1 again');
  assert.deepEqual(sub.stats, { unrecovered: 0, resumes: 1, gaps: 1 });
  await c.close();
});

test('a trades gap, or one without a channel (older servers), restarts the tape and not the candles; other channels are ignored', async () => {
  const { c, ws, errors } = await setup();
  const tradeIds = [];
  const tape = await liveTrades(c, ws, tradeIds);
  const seen = [];
  const candles = await liveCandles(c, ws, '1m', [candleFrame('BTCUSD', '1m', W(0), 3, true)], seen);
  const restart = async (gap, expectSince, next) => {
    ws.push(gap);
    const unsub = ws.lastSent('unsubscribe');
    assert.deepEqual(unsub, { type: 'unsubscribe', channel: 'trades', symbol: 'BTCUSD', id: unsub.id });
    ws.push({ type: 'subscription', status: 'unsubscribed', channel: 'trades', symbol: 'BTCUSD', id: unsub.id });
    const resub = ws.lastSent('subscribe');
    assert.deepEqual(resub, { type: 'subscribe', channel: 'trades', symbol: 'BTCUSD', since: expectSince, id: resub.id });
    ws.push({ type: 'subscription', status: 'subscribed', channel: 'trades', symbol: 'BTCUSD', batch: 100, id: resub.id });
    ws.push({ type: 'snapshot', channel: 'trades', symbol: 'BTCUSD', id: resub.id, recovered: true, count: 1, trades: [tr(next)] });
  };
  await restart({ type: 'gap', channel: 'trades', symbol: 'BTCUSD', since: 2, dropped: 3 }, 2, 3);
  await restart({ type: 'gap', symbol: 'BTCUSD', since: 3, dropped: 1 }, 3, 4);
  const sent = ws.sent.length;
  ws.push({ type: 'gap', channel: 'book', symbol: 'BTCUSD', since: 4 });   // no stream of this client has such gaps
  ws.push({ type: 'trades', symbol: 'BTCUSD', trades: [tr(5)] });
  ws.push(candleFrame('BTCUSD', '1m', W(1), 1, true));
  assert.equal(ws.sent.length, sent, 'nothing sent for a gap of another channel');
  assert.deepEqual(tradeIds, [3, 4, 5]);
  assert.deepEqual(tape.stats, { unrecovered: 0, resumes: 2, gaps: 2 });
  assert.deepEqual(closedTs(seen), ascending(2));
  assert.equal(ws.sent.filter((f) => f.type === 'unsubscribe' && f.tf !== undefined).length, 0, 'the candles are not touched');
  assert.deepEqual(candles.stats, { unrecovered: 0, resumes: 0, gaps: 0 });
  assert.deepEqual(errors, []);
  await c.close();
});

test('a malformed candles gap is dropped with a bad_response error (each case); both streams go on', async () => {
  const { c, ws, errors } = await setup();
  const tradeIds = [];
  const tape = await liveTrades(c, ws, tradeIds);
  const seen = [];
  const sub = await liveCandles(c, ws, '1m', [candleFrame('BTCUSD', '1m', W(0), 3, true)], seen);
  const { from: _f, ...noFrom } = candleGap(W(1), W(2));
  const { to: _t, ...noTo } = candleGap(W(1), W(2));
  const { tf: _tf, ...noTf } = candleGap(W(1), W(2));
  const { symbol: _s, ...noSymbol } = candleGap(W(1), W(2));
  const malformed = [
    ['no from', noFrom],
    ['no to', noTo],
    ['no tf', noTf],
    ['no symbol', noSymbol],
    ['from not an integer', candleGap(W(1) + 0.5, W(2))],
    ['from a string', candleGap(String(W(1)), W(2))],
    ['to not an integer', candleGap(W(1), W(2) + 0.5)],
    ['to null', candleGap(W(1), null)],
    ['from = to', candleGap(W(1), W(1))],
    ['from > to', candleGap(W(2), W(1))],
    ['from negative', candleGap(-M, W(2))],
    ['tf not a string', candleGap(W(1), W(2), { tf: 1 })],
  ];
  const sent = ws.sent.length;
  for (const [what, frame] of malformed) {
    const before = errors.length;
    ws.push(frame);
    assert.equal(ws.sent.length, sent, what + ': nothing sent (no restart of either stream)');
    assert.equal(errors.length, before + 1, what + ': reported once');
    assert.equal(errors.at(-1).code, 'bad_response', what);
    assert.match(errors.at(-1).message, /candles gap/, what);
  }
  ws.push(candleFrame('BTCUSD', '1m', W(1), 2, true));
  ws.push({ type: 'trades', symbol: 'BTCUSD', trades: [tr(3)] });
  assert.deepEqual(closedTs(seen), ascending(2));
  assert.deepEqual(tradeIds, [3]);
  assert.deepEqual(sub.stats, { unrecovered: 0, resumes: 0, gaps: 0 });
  assert.deepEqual(tape.stats, { unrecovered: 0, resumes: 0, gaps: 0 });
  await c.close();
});

test('a candles gap of a series not subscribed, or before the snapshot, is ignored', async () => {
  const { c, ws, errors } = await setup();
  const tradeIds = [];
  const tape = await liveTrades(c, ws, tradeIds);
  const seen = [];
  const sub = await liveCandles(c, ws, '1m', [candleFrame('BTCUSD', '1m', W(0), 3, true)], seen);
  const hourly = c.candles('BTCUSD', '1h');
  const hcmd = ws.lastSent('subscribe');
  ws.push({ type: 'subscription', status: 'subscribed', symbol: 'BTCUSD', tf: '1h', id: hcmd.id });
  const sent = ws.sent.length;
  ws.push(candleGap(W(1), W(3), { symbol: 'ETHUSD' }));
  ws.push(candleGap(W(1), W(3), { tf: '5m' }));
  ws.push(candleGap(T - 3600000, T, { tf: '1h' }));           // still waiting for its snapshot: it comes after the hole
  ws.push({ type: 'snapshot', symbol: 'BTCUSD', tf: '1h', id: hcmd.id, candles: [] });
  await hourly.ready;
  ws.push(candleFrame('BTCUSD', '1m', W(1), 1, true));
  ws.push({ type: 'trades', symbol: 'BTCUSD', trades: [tr(3)] });
  assert.equal(ws.sent.length, sent, 'nothing sent');
  assert.deepEqual(closedTs(seen), ascending(2));
  assert.deepEqual(tradeIds, [3]);
  for (const s of [sub, hourly, tape]) assert.deepEqual(s.stats, { unrecovered: 0, resumes: 0, gaps: 0 });
  assert.deepEqual(errors, []);
  await c.close();
});

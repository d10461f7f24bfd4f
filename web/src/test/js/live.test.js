// LiveConnection (live.js) against a fake client: the connection indicator, the offline handling of the sockets, the
// subscriptions' failures, and the model conversions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  LiveConnection, pageState, offlineAware, OfflineSocket, barOf, barsOf, tradeOf, pointOf, fireOf,
} from '../../main/webroot/js/live.js';
import { OFFLINE_AFTER_ATTEMPTS } from '../../main/webroot/js/model.js';
import { REPLAY_TRADES } from '../../main/webroot/js/shared-stream.js';
import { FakeClient, FakeSocket } from './fake-client.js';

const tick = () => new Promise((r) => setImmediate(r));

function connection(o = {}) {
  const states = [];
  const problems = [];
  let online = true;
  const live = new LiveConnection({
    Client: FakeClient, url: 'http://page', token: () => 'tok', owner: 'alice', WebSocket: FakeSocket,
    online: () => online, onState: (s) => states.push(s), onProblem: (t) => problems.push(t), ...o,
  });
  return { live, client: FakeClient.last, states, problems, setOnline: (v) => { online = v; } };
}

test('pageState: the client state, offline when the browser is or after too many attempts', () => {
  assert.equal(pageState('idle', null), 'connecting');
  assert.equal(pageState('connecting', { attempt: 0 }), 'connecting');
  assert.equal(pageState('connected', {}), 'connected');
  assert.equal(pageState('reconnecting', { attempt: 1 }), 'reconnecting');
  assert.equal(pageState('reconnecting', { attempt: OFFLINE_AFTER_ATTEMPTS }), 'reconnecting');
  assert.equal(pageState('reconnecting', { attempt: OFFLINE_AFTER_ATTEMPTS + 1 }), 'offline');
  assert.equal(pageState('reconnecting', {}), 'reconnecting');
  assert.equal(pageState('closed', {}), 'offline');
  for (const s of ['idle', 'connecting', 'connected', 'reconnecting']) assert.equal(pageState(s, {}, false), 'offline');
});

test('the client gets the page origin, the token function, the owner and a wrapped WebSocket', () => {
  const { client } = connection();
  assert.equal(client.options.url, 'http://page');
  assert.equal(client.options.token(), 'tok');
  assert.equal(client.options.owner, 'alice');
  assert.notEqual(client.options.WebSocket, FakeSocket);
  assert.ok(new client.options.WebSocket('ws://x') instanceof FakeSocket);
});

test('the indicator follows the client; connects counts every return to connected; errors are reported', () => {
  const { live, client, states, problems } = connection();
  client.state('connecting', { attempt: 0 });
  client.state('connected', { attempt: 0 });
  client.state('connected', { attempt: 0 });
  client.state('reconnecting', { attempt: 1, delayMs: 300, error: { code: 'connection_lost', message: 'gone' } });
  for (let a = 2; a <= OFFLINE_AFTER_ATTEMPTS + 1; a++) client.state('reconnecting', { attempt: a });
  client.state('connected', { attempt: 0 });
  assert.deepEqual(states, ['connected', 'reconnecting', 'offline', 'connected']);
  assert.equal(live.connects, 2);
  assert.deepEqual(problems, ['connection: gone']);
});

test('offline: drop() closes the open sockets, and no socket opens until the browser is back', async () => {
  FakeSocket.made = [];
  const { live, client, states, setOnline } = connection();
  const WS = client.options.WebSocket;
  const a = new WS('ws://page/ws');
  client.state('connected');
  setOnline(false);
  live.drop();
  assert.deepEqual(a.closedWith, { code: 4000, reason: 'offline' });
  assert.equal(live.sockets.size, 0);
  assert.deepEqual(states, ['connected', 'offline']);
  const b = new WS('ws://page/ws');
  assert.ok(b instanceof OfflineSocket, 'no real socket while offline');
  assert.equal(FakeSocket.made.length, 1);
  const seen = [];
  b.onerror = () => seen.push('error');
  b.addEventListener('close', (e) => seen.push('close ' + e.code));
  b.onclose = () => seen.push('onclose');
  await new Promise((r) => setTimeout(r, 5));
  assert.deepEqual(seen, ['error', 'onclose', 'close 1006']);
  assert.throws(() => b.send('x'));
  setOnline(true);
  live.retryNow();
  assert.equal(states.at(-1), 'connected', 'the client still says connected: the indicator follows it');
  assert.equal(client.reconnects, 1, 'the client skips its back-off wait');
  assert.ok(new WS('ws://page/ws') instanceof FakeSocket);
});

test('offlineAware keeps the base class constants and tracks only open sockets', () => {
  class Base extends FakeSocket {}
  Base.OPEN = 1;
  const set = new Set();
  const W = offlineAware(Base, set, () => true, globalThis);
  assert.equal(W.OPEN, 1);
  const s = new W('u');
  assert.equal(set.size, 1);
  s.close(1000, 'bye');
  assert.equal(set.size, 0);
});

test('a refused subscription goes to its onError once and never rejects unhandled', async () => {
  const { live, client, problems } = connection();
  const errors = [];
  const sub = live.candles('BTCUSD', '1m', { onSnapshot() {}, onUpdate() {}, onError: (e, text) => errors.push(text) });
  const s = client.open('candles')[0];
  assert.deepEqual(s.args, { symbol: 'BTCUSD', tf: '1m' });
  s.refuse(Object.assign(new Error('unknown symbol'), { code: 'unknown_symbol' }));
  assert.equal(await sub.ready, false);
  assert.deepEqual(errors, ['BTCUSD 1m: unknown symbol']);
  // without onError: the page's problem line
  const t = live.ticker('ETHUSD', { onUpdate() {} });
  client.open('ticker')[0].refuse(new Error('ticker_unavailable'));
  assert.equal(await t.ready, false);
  assert.deepEqual(problems, ['ticker ETHUSD: ticker_unavailable']);
  // errors the client reports later go the same way
  s.h.onError(new Error('later'));
  assert.equal(errors.at(-1), 'BTCUSD 1m: later');
  await sub.close();
  assert.equal(s.closed, true);
});

test('subscriptions reach the client with their options; analysis picks the patterns channel', async () => {
  const { live, client } = connection();
  const h = { onSnapshot() {}, onUpdate() {} };
  live.trades('BTCUSD', h);
  live.book('BTCUSD', 10, h);
  live.analysis('BTCUSD', '1m', { name: 'rsi', params: { period: 14 }, key: 'rsi:14' }, 600, h);
  live.analysis('BTCUSD', '1m', { name: 'patterns', params: { lookback: 20 }, key: 'patterns:20' }, 500, h);
  live.alerts(1234, h);
  live.alerts(null, h);
  assert.deepEqual(client.subs.map((s) => [s.kind, s.args]), [
    ['trades', { symbol: 'BTCUSD' }],
    ['book', { symbol: 'BTCUSD', depth: 10 }],
    ['indicator', { symbol: 'BTCUSD', tf: '1m', name: 'rsi', params: { period: 14 }, limit: 600 }],
    ['patterns', { symbol: 'BTCUSD', tf: '1m', params: { lookback: 20 }, limit: 500 }],
    ['alerts', { since: 1234 }],
    ['alerts', { since: undefined }],
  ]);
  const notices = [];
  live.onNotice((n) => notices.push(n));
  client.notice({ id: 'n-1' });
  assert.deepEqual(notices, [{ id: 'n-1' }]);
  await live.start();
  assert.equal(client.connects, 1);
  await tick();
});

test('a client that throws on subscribe is reported, and the subscription is inert', async () => {
  const { live, client } = connection();
  client.book = () => { throw new Error('closed'); };
  const errors = [];
  const sub = live.book('BTCUSD', 10, { onUpdate() {}, onError: (e, text) => errors.push(text) });
  assert.equal(await sub.ready, false);
  await sub.close();
  assert.deepEqual(errors, ['book BTCUSD: closed']);
});

test('models: candles to bars, trades to tape elements, points and fires as the server sent them', () => {
  const c = { symbol: 'BTCUSD', tf: '1m', t: 60000, open: 1, high: 3, low: 0.5, close: 2, volume: 7, trades: 4, closed: true, partial: false, time: 60 };
  assert.deepEqual(barOf(c), { time: 60, open: 1, high: 3, low: 0.5, close: 2, volume: 7, trades: 4, closed: true });
  assert.equal(barOf({ ...c, t: 60001 }), null);
  assert.equal(barOf({ ...c, high: NaN }), null);
  assert.deepEqual(barOf({ ...c, volume: undefined, trades: undefined, closed: undefined }),
    { time: 60, open: 1, high: 3, low: 0.5, close: 2, volume: 0, trades: 0, closed: false });
  assert.deepEqual(barsOf([{ ...c, t: 120000 }, c, { ...c, t: 180000 }, null]).map((b) => b.time), [120, 180]);
  assert.deepEqual(barsOf(undefined), []);
  assert.deepEqual(tradeOf({ symbol: 'BTCUSD', id: 5, t: 9, price: 100, amount: 0.5, side: 'buy' }),
    { id: 5, t: 9, p: 100, q: 0.5, side: 'buy' });
  assert.equal(tradeOf(null), null);
  const raw = { type: 'indicator', t: 60000, closed: false, value: 55 };
  assert.equal(pointOf({ t: 60000, closed: false, values: { value: 55 }, raw }), raw);
  assert.deepEqual(pointOf({ t: 60000, closed: true, values: { macd: 1, signal: 2 } }), { t: 60000, closed: true, macd: 1, signal: 2 });
  assert.deepEqual(pointOf({ t: 1, closed: true, pattern: 'doji' }), { t: 1, closed: true, pattern: 'doji' });
  assert.equal(pointOf(null), null);
  const fire = { type: 'alert', fire: 'al-1|t:5', owner: 'alice', recordedAt: 9 };
  assert.equal(fireOf({ fire: 'al-1|t:5', raw: fire }), fire);
  assert.deepEqual(fireOf({ fire: 'x', owner: 'alice' }), { type: 'alert', fire: 'x', owner: 'alice' });
  assert.equal(fireOf(undefined), null);
});

test('two page parts on the same series share one client subscription; a late one gets the state so far', async () => {
  const { live, client } = connection();
  const a = [];
  const b = [];
  const rec = (out) => ({ onSnapshot: (s) => out.push(['snap', s.recovered, s.candles.map((c) => [c.t, c.trades])]), onUpdate: (c) => out.push(['upd', c.t, c.trades]) });
  const c = (t, trades) => ({ t, trades, open: 1, high: 1, low: 1, close: 1, closed: false });
  const sa = live.candles('BTCUSD', '1m', rec(a));
  const s = client.open('candles')[0];
  s.h.onSnapshot({ symbol: 'BTCUSD', tf: '1m', recovered: null, candles: [c(0, 1), c(60000, 2)] });
  s.h.onUpdate(c(60000, 3));
  s.h.onUpdate(c(120000, 1));
  s.h.onUpdate(c(0, 9)); // an older window again (re-marked): replaced in place
  const sb = live.candles('BTCUSD', '1m', rec(b));
  assert.equal(client.subs.length, 1, 'one client subscription');
  assert.deepEqual(b, [['snap', null, [[0, 9], [60000, 3], [120000, 1]]]]);
  s.h.onUpdate(c(120000, 2));
  assert.deepEqual(a.at(-1), ['upd', 120000, 2]);
  assert.deepEqual(b.at(-1), ['upd', 120000, 2]);
  s.accept();
  assert.equal(await sb.ready, true);
  await sa.close();
  assert.equal(s.closed, false, 'still shown by the other');
  await sa.close();
  await sb.close();
  assert.equal(s.closed, true, 'the last one closed it');
  live.candles('BTCUSD', '1m', rec([]));
  assert.equal(client.subs.length, 2, 'a new stream after the last left');
});

test('shared streams: a refused one is forgotten; errors reach every member; tickers and books replay the newest', async () => {
  const { live, client, problems } = connection();
  const errs = [];
  const one = live.trades('BTCUSD', { onSnapshot() {}, onUpdate() {}, onError: (e, t) => errs.push('1 ' + t) });
  const two = live.trades('BTCUSD', { onSnapshot() {}, onUpdate() {} });
  client.open('trades')[0].refuse(new Error('unknown_symbol'));
  assert.equal(await one.ready, false);
  assert.equal(await two.ready, false);
  assert.deepEqual(errs, ['1 trades BTCUSD: unknown_symbol']);
  assert.deepEqual(problems, ['trades BTCUSD: unknown_symbol'], 'the member without onError: the page line');
  live.trades('BTCUSD', { onSnapshot() {}, onUpdate() {} });
  assert.equal(client.subs.length, 2, 'subscribed again');

  const seen = [];
  live.ticker('ETHUSD', { onUpdate: (t) => seen.push(['a', t.last]) });
  const k = client.open('ticker')[0];
  k.h.onUpdate({ symbol: 'ETHUSD', last: 1 });
  k.h.onUpdate({ symbol: 'ETHUSD', last: 2 });
  live.ticker('ETHUSD', { onUpdate: (t) => seen.push(['b', t.last]) });
  assert.deepEqual(seen, [['a', 1], ['a', 2], ['b', 2]]);
  live.book('ETHUSD', 10, { onUpdate() {} });
  live.book('ETHUSD', 25, { onUpdate() {} });
  assert.equal(client.open('book').length, 2, 'another depth is another stream');
});

test('shared analysis streams replay points by time and pattern detections by time and name', () => {
  const { live, client } = connection();
  const spec = { name: 'patterns', params: { lookback: 20 }, key: 'patterns:20' };
  live.analysis('BTCUSD', '1m', spec, 500, { onSnapshot() {}, onUpdate() {} });
  const p = client.open('patterns')[0];
  const d = (t, pattern) => ({ t, closed: true, values: {}, raw: { t, closed: true, pattern } });
  p.h.onSnapshot({ key: 'patterns:20', recovered: null, fields: ['patterns'], points: [d(60000, 'doji')] });
  p.h.onUpdate(d(120000, 'doji'));
  p.h.onUpdate(d(120000, 'hammer'));
  p.h.onUpdate(d(60000, 'doji'));
  let replay = null;
  live.analysis('BTCUSD', '1m', spec, 500, { onSnapshot: (s) => { replay = s; }, onUpdate() {} });
  assert.equal(replay.key, 'patterns:20');
  assert.deepEqual(replay.points.map((x) => [x.t, x.raw.pattern]), [[60000, 'doji'], [120000, 'doji'], [120000, 'hammer']]);

  const rsi = { name: 'rsi', params: { period: 14 }, key: 'rsi:14' };
  live.analysis('BTCUSD', '1m', rsi, 500, { onSnapshot() {}, onUpdate() {} });
  const r = client.open('indicator')[0];
  const v = (t, value, closed) => ({ t, closed, values: { value }, raw: { t, closed, value } });
  r.h.onSnapshot({ key: 'rsi:14', recovered: null, points: [v(0, 1, true), v(60000, 2, false)] });
  r.h.onUpdate(v(60000, 3, true));
  r.h.onUpdate(v(120000, 4, false));
  live.analysis('BTCUSD', '1m', rsi, 500, { onSnapshot: (s) => { replay = s; }, onUpdate() {} });
  assert.deepEqual(replay.points.map((x) => [x.t, x.values.value]), [[0, 1], [60000, 3], [120000, 4]]);
});

test('a shared trades stream keeps the newest trades for a late member, bounded', () => {
  const { live, client } = connection();
  live.trades('BTCUSD', { onSnapshot() {}, onUpdate() {} });
  const s = client.open('trades')[0];
  const t = (id) => ({ symbol: 'BTCUSD', id, t: id, price: 1, amount: 1, side: 'buy' });
  s.h.onSnapshot({ symbol: 'BTCUSD', recovered: null, trades: [1, 2].map(t) });
  for (let id = 3; id <= REPLAY_TRADES * 2; id++) s.h.onUpdate(t(id));
  let replay = null;
  live.trades('BTCUSD', { onSnapshot: (x) => { replay = x; }, onUpdate() {} });
  assert.ok(replay.trades.length >= REPLAY_TRADES && replay.trades.length <= REPLAY_TRADES * 1.25);
  assert.equal(replay.trades.at(-1).id, REPLAY_TRADES * 2);
  const ids = replay.trades.map((x) => x.id);
  assert.deepEqual(ids, ids.map((_, i) => ids[0] + i), 'contiguous, newest last');
});

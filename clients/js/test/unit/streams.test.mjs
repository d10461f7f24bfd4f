import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { CandlecastClient, alertResumeSince, ALERT_RESUME_MARGIN_MS } from '../../dist/index.js';
import { FakeSocket, until, candleFrame, element } from './fake-socket.mjs';

beforeEach(() => FakeSocket.reset());

async function setup(extra = {}) {
  const c = new CandlecastClient({ url: 'http://node', WebSocket: FakeSocket, random: () => 0, requestTimeoutMs: 200, ...extra });
  const before = FakeSocket.instances.length;
  const p = c.connect();
  await until(() => FakeSocket.instances.length > before, 1000, 'a socket');
  FakeSocket.last.open();
  await p;
  return { c, ws: FakeSocket.last };
}

async function reconnect(c, code = 1006) {
  const n = FakeSocket.instances.length;
  FakeSocket.last.drop(code);
  await until(() => FakeSocket.instances.length > n, 2000, 'the reconnect');
  FakeSocket.last.open();
  return FakeSocket.last;
}

const T = 1_700_000_000_000;

test('candles: snapshot, updates, resume from the newest closed window without gap or duplicate', async () => {
  const { c, ws } = await setup();
  const snaps = [];
  const ups = [];
  const sub = c.candles('btc-usd', '1s', { onSnapshot: (s) => snaps.push(s), onUpdate: (k) => ups.push(k) });
  const cmd = ws.lastSent('subscribe');
  assert.deepEqual(cmd, { type: 'subscribe', symbol: 'btc-usd', tf: '1s', id: cmd.id });
  ws.push({ type: 'subscription', status: 'subscribed', symbol: 'BTCUSD', tf: '1s', id: cmd.id });
  ws.push({ type: 'snapshot', symbol: 'BTCUSD', tf: '1s', id: cmd.id, time_window_seconds: 1,
    candles: [element(candleFrame('BTCUSD', '1s', T, 3, true)), element(candleFrame('BTCUSD', '1s', T + 1000, 2, false))] });
  await sub.ready;
  assert.equal(snaps.length, 1);
  assert.equal(snaps[0].recovered, null);
  assert.deepEqual(snaps[0].candles.map((k) => [k.symbol, k.t, k.closed, k.time]), [['BTCUSD', T, true, T / 1000], ['BTCUSD', T + 1000, false, T / 1000 + 1]]);
  ws.push(candleFrame('BTCUSD', '1s', T + 1000, 4, false));
  ws.push(candleFrame('BTCUSD', '1s', T + 1000, 5, true));
  ws.push(candleFrame('BTCUSD', '1s', T + 2000, 1, false));
  ws.push(candleFrame('ETHUSD', '1s', T + 2000, 1, false));   // not subscribed: ignored
  assert.deepEqual(ups.map((k) => [k.t, k.trades, k.closed]), [[T + 1000, 4, false], [T + 1000, 5, true], [T + 2000, 1, false]]);

  const states = [];
  c.onState((s) => states.push(s));
  const ws2 = await reconnect(c);
  const again = ws2.lastSent('subscribe');
  assert.equal(again.since, T + 1001, 'since = newest closed + 1');
  assert.equal(c.state, 'reconnecting', 'not connected before the subscription is restored');
  ws2.push({ type: 'subscription', status: 'subscribed', symbol: 'BTCUSD', tf: '1s', id: again.id });
  ws2.push({ type: 'snapshot', symbol: 'BTCUSD', tf: '1s', id: again.id, recovered: true, candles: [
    element(candleFrame('BTCUSD', '1s', T + 2000, 1, false)),    // the same version of the open window: dropped
    element(candleFrame('BTCUSD', '1s', T + 2000, 3, true)),     // its close
    element(candleFrame('BTCUSD', '1s', T + 3000, 2, false))] });
  assert.equal(c.state, 'connected');
  assert.deepEqual(states, ['reconnecting', 'connected']);
  ws2.push(candleFrame('BTCUSD', '1s', T + 2000, 3, true));       // a duplicate close: dropped
  ws2.push(candleFrame('BTCUSD', '1s', T + 3000, 2, false));      // same version: dropped
  ws2.push(candleFrame('BTCUSD', '1s', T + 3000, 2, false, { partial: true })); // newly partial: delivered
  assert.deepEqual(ups.slice(3).map((k) => [k.t, k.trades, k.closed, k.partial]),
    [[T + 2000, 3, true, false], [T + 3000, 2, false, false], [T + 3000, 2, false, true]]);
  assert.equal(snaps.length, 1, 'a recovered resume is no new snapshot');
  assert.deepEqual(sub.stats, { unrecovered: 0, resumes: 1, gaps: 0 });
  await c.close();
});

test('candles: a closed window re-marked partial passes once; an unrecoverable resume is a recovered:false snapshot', async () => {
  const { c, ws } = await setup();
  const snaps = [];
  const ups = [];
  const sub = c.candles('BTCUSD', '1m', { onSnapshot: (s) => snaps.push(s), onUpdate: (k) => ups.push(k) });
  const cmd = ws.lastSent('subscribe');
  ws.push({ type: 'subscription', status: 'subscribed', symbol: 'BTCUSD', tf: '1m', id: cmd.id });
  ws.push({ type: 'snapshot', symbol: 'BTCUSD', tf: '1m', id: cmd.id, candles: [element(candleFrame('BTCUSD', '1m', T, 3, true))] });
  await sub.ready;
  ws.push(candleFrame('BTCUSD', '1m', T, 3, true, { partial: true }));
  ws.push(candleFrame('BTCUSD', '1m', T, 3, true, { partial: true }));
  assert.equal(ups.length, 1);
  assert.equal(ups[0].partial, true);
  const ws2 = await reconnect(c);
  const again = ws2.lastSent('subscribe');
  assert.equal(again.since, T + 1);
  ws2.push({ type: 'subscription', status: 'subscribed', symbol: 'BTCUSD', tf: '1m', id: again.id });
  ws2.push({ type: 'snapshot', symbol: 'BTCUSD', tf: '1m', id: again.id, recovered: false,
    candles: [element(candleFrame('BTCUSD', '1m', T + 600000, 1, false))] });
  assert.equal(snaps.length, 2);
  assert.equal(snaps[1].recovered, false);
  assert.deepEqual(sub.stats, { unrecovered: 1, resumes: 0, gaps: 0 });
  const ws3 = await reconnect(c);
  assert.equal(ws3.lastSent('subscribe').since, T + 600000, 'no closed window yet: the first candle of the new snapshot');
  await c.close();
});

test('a subscribe the server refuses rejects ready and is not restored; errors after the ack keep it', async () => {
  const { c, ws } = await setup();
  const errors = [];
  const bad = c.candles('NOPE', '1m', { onError: (e) => errors.push(e.code) });
  const cmd = ws.lastSent('subscribe');
  ws.push({ type: 'error', code: 'unknown_symbol', message: 'unknown symbol NOPE', id: cmd.id });
  await assert.rejects(bad.ready, (e) => e.code === 'unknown_symbol');
  assert.deepEqual(errors, ['unknown_symbol']);
  const kept = c.ticker('BTCUSD', { onError: (e) => errors.push(e.code) });
  const tcmd = ws.lastSent('subscribe');
  ws.push({ type: 'subscription', status: 'subscribed', channel: 'ticker', symbol: 'BTCUSD', id: tcmd.id });
  ws.push({ type: 'error', code: 'ticker_unavailable', message: 'none yet', id: tcmd.id });
  await kept.ready;
  assert.deepEqual(errors, ['unknown_symbol', 'ticker_unavailable']);
  const ws2 = await reconnect(c);
  assert.deepEqual(ws2.sent.filter((f) => f.type === 'subscribe').map((f) => f.channel), ['ticker']);
  await c.close();
});

test('a subscription that gets no answer times out (fresh) and is dropped', async () => {
  const { c, ws } = await setup({ requestTimeoutMs: 30 });
  const sub = c.candles('BTCUSD', '1m');
  await assert.rejects(sub.ready, (e) => e.code === 'timeout');
  void ws;
  await c.close();
});

test('trades: a snapshot spread over frames is one Snapshot; resume since the last id; a gap marker resubscribes', async () => {
  const { c, ws } = await setup();
  const snaps = [];
  const ups = [];
  const sub = c.trades('BTCUSD', { batch: 2, onSnapshot: (s) => snaps.push(s), onUpdate: (t) => ups.push(t.id) });
  const cmd = ws.lastSent('subscribe');
  assert.deepEqual(cmd, { type: 'subscribe', channel: 'trades', symbol: 'BTCUSD', batch: 2, id: cmd.id });
  const tr = (id) => ({ id, t: T + id, p: 100 + id, q: 0.5, side: 'buy' });
  ws.push({ type: 'subscription', status: 'subscribed', channel: 'trades', symbol: 'BTCUSD', batch: 2, id: cmd.id });
  ws.push({ type: 'snapshot', channel: 'trades', symbol: 'BTCUSD', id: cmd.id, count: 5, trades: [tr(1), tr(2)] });
  ws.push({ type: 'trades', symbol: 'BTCUSD', trades: [tr(3), tr(4)] });
  let ready = false;
  sub.ready.then(() => { ready = true; });
  await new Promise((r) => setImmediate(r));
  assert.equal(ready, false, 'not ready before the snapshot is complete');
  ws.push({ type: 'trades', symbol: 'BTCUSD', trades: [tr(5)] });
  await sub.ready;
  assert.deepEqual(snaps.map((s) => [s.recovered, s.trades.map((t) => t.id)]), [[null, [1, 2, 3, 4, 5]]]);
  assert.deepEqual(snaps[0].trades[0], { symbol: 'BTCUSD', id: 1, t: T + 1, price: 101, amount: 0.5, side: 'buy' });
  ws.push({ type: 'trades', symbol: 'BTCUSD', trades: [tr(6), tr(7)] });
  const ws2 = await reconnect(c);
  const again = ws2.lastSent('subscribe');
  assert.equal(again.since, 7);
  ws2.push({ type: 'subscription', status: 'subscribed', channel: 'trades', symbol: 'BTCUSD', batch: 2, id: again.id });
  ws2.push({ type: 'snapshot', channel: 'trades', symbol: 'BTCUSD', id: again.id, recovered: true, count: 3, trades: [tr(8), tr(9)] });
  assert.equal(c.state, 'reconnecting');
  ws2.push({ type: 'trades', symbol: 'BTCUSD', trades: [tr(10)] });
  assert.equal(c.state, 'connected');
  ws2.push({ type: 'trades', symbol: 'BTCUSD', trades: [tr(10), tr(11)] });   // 10 again: dropped
  ws2.push({ type: 'gap', channel: 'trades', symbol: 'BTCUSD', since: 11, dropped: 4 });
  const unsub = ws2.lastSent('unsubscribe');
  assert.deepEqual({ ...unsub, id: undefined }, { type: 'unsubscribe', channel: 'trades', symbol: 'BTCUSD', id: undefined });
  ws2.push({ type: 'trades', symbol: 'BTCUSD', trades: [tr(16)] });  // after the gap, before the resubscribe: dropped
  ws2.push({ type: 'subscription', status: 'unsubscribed', channel: 'trades', symbol: 'BTCUSD', id: unsub.id });
  const resub = ws2.lastSent('subscribe');
  assert.equal(resub.since, 11);
  ws2.push({ type: 'subscription', status: 'subscribed', channel: 'trades', symbol: 'BTCUSD', batch: 2, id: resub.id });
  ws2.push({ type: 'snapshot', channel: 'trades', symbol: 'BTCUSD', id: resub.id, recovered: true, count: 2, trades: [tr(12), tr(13)] });
  ws2.push({ type: 'trades', symbol: 'BTCUSD', trades: [tr(14)] });
  assert.deepEqual(ups, [6, 7, 8, 9, 10, 11, 12, 13, 14]);
  assert.deepEqual(sub.stats, { unrecovered: 0, resumes: 2, gaps: 1 });
  await c.close();
});

test('ticker: the same ticker after a reconnect is not delivered twice; book: seq never goes back', async () => {
  const { c, ws } = await setup();
  const tickers = [];
  const books = [];
  c.ticker('BTCUSD', { onUpdate: (t) => tickers.push(t) });
  const tk = ws.lastSent('subscribe');
  ws.push({ type: 'subscription', status: 'subscribed', channel: 'ticker', symbol: 'BTCUSD', id: tk.id });
  const ticker = { type: 'ticker', symbol: 'BTCUSD', last: 10, open24h: 9, change: 1, changePct: 11.1, high: 11, low: 8, volume: 5, trades: 7, time: T, bid: 9.5, ask: 10.5, spread: 1 };
  ws.push(ticker);
  const bk = c.book('BTCUSD', { depth: 25, onUpdate: (b) => books.push(b.seq) });
  const bcmd = ws.lastSent('subscribe');
  assert.equal(bcmd.depth, 25);
  ws.push({ type: 'subscription', status: 'subscribed', channel: 'book', symbol: 'BTCUSD', depth: 25, id: bcmd.id });
  ws.push({ type: 'snapshot', channel: 'book', symbol: 'BTCUSD', depth: 25, id: bcmd.id, seq: 5, time: T, bids: [[1, 2]], asks: [[3, 4]] });
  await bk.ready;
  ws.push({ type: 'book', symbol: 'BTCUSD', depth: 25, seq: 6, time: T, bids: [], asks: [] });
  const ws2 = await reconnect(c);
  const [t2, b2] = ws2.sent.filter((f) => f.type === 'subscribe');
  ws2.push({ type: 'subscription', status: 'subscribed', channel: 'ticker', symbol: 'BTCUSD', id: t2.id });
  ws2.push(ticker);
  ws2.push({ ...ticker, last: 11, time: T + 1 });
  ws2.push({ type: 'subscription', status: 'subscribed', channel: 'book', symbol: 'BTCUSD', depth: 25, id: b2.id });
  ws2.push({ type: 'snapshot', channel: 'book', symbol: 'BTCUSD', depth: 25, id: b2.id, seq: 6, time: T, bids: [], asks: [] });
  ws2.push({ type: 'book', symbol: 'BTCUSD', depth: 25, seq: 9, time: T, bids: [], asks: [] });
  assert.deepEqual(tickers.map((t) => t.last), [10, 11]);
  assert.deepEqual(tickers[0], { symbol: 'BTCUSD', last: 10, open24h: 9, change: 1, changePct: 11.1, high: 11, low: 8, volume: 5, trades: 7, time: T, bid: 9.5, ask: 10.5, spread: 1 });
  assert.deepEqual(books, [5, 6, 9]);
  assert.equal(c.state, 'connected');
  const ws3 = await reconnect(c);
  const b3 = ws3.sent.filter((f) => f.type === 'subscribe')[1];
  ws3.push({ type: 'subscription', status: 'subscribed', channel: 'book', symbol: 'BTCUSD', depth: 25, id: b3.id });
  ws3.push({ type: 'snapshot', channel: 'book', symbol: 'BTCUSD', depth: 25, id: b3.id, seq: 2, time: T, bids: [], asks: [] });
  ws3.push({ type: 'book', symbol: 'BTCUSD', depth: 25, seq: 3, time: T, bids: [], asks: [] });
  assert.deepEqual(books, [5, 6, 9, 2, 3], 'a snapshot older than the last book: the books topic was re-created');
  await c.close();
});

test('indicator: resume delivers only points after the last closed one; a snapshot that starts later is unrecovered', async () => {
  const { c, ws } = await setup();
  const snaps = [];
  const ups = [];
  const sub = c.indicator('BTCUSD', '1m', 'rsi', { period: 14 }, { limit: 3, onSnapshot: (s) => snaps.push(s), onUpdate: (p) => ups.push([p.t, p.closed, p.values.value]) });
  const cmd = ws.lastSent('subscribe');
  assert.deepEqual(cmd, { type: 'subscribe', channel: 'indicator', symbol: 'BTCUSD', tf: '1m', name: 'rsi', params: { period: 14 }, limit: 3, id: cmd.id });
  const ack = { type: 'subscription', status: 'subscribed', channel: 'indicator', symbol: 'BTCUSD', tf: '1m', name: 'rsi', key: 'rsi:14', params: { period: 14 } };
  const pt = (i, closed, value) => ({ t: T + i * 60000, closed, value });
  ws.push({ ...ack, id: cmd.id });
  ws.push({ type: 'snapshot', channel: 'indicator', symbol: 'BTCUSD', tf: '1m', key: 'rsi:14', name: 'rsi', fields: ['value'], id: cmd.id, points: [pt(0, true, 50), pt(1, false, 51)] });
  await sub.ready;
  assert.deepEqual(snaps[0].points.map((p) => [p.key, p.t, p.closed, p.values]), [['rsi:14', T, true, { value: 50 }], ['rsi:14', T + 60000, false, { value: 51 }]]);
  ws.push({ type: 'indicator', symbol: 'BTCUSD', tf: '1m', key: 'rsi:14', ...pt(1, true, 52) });
  const ws2 = await reconnect(c);
  const again = ws2.lastSent('subscribe');
  ws2.push({ ...ack, id: again.id });
  ws2.push({ type: 'snapshot', channel: 'indicator', symbol: 'BTCUSD', tf: '1m', key: 'rsi:14', fields: ['value'], id: again.id, points: [pt(0, true, 50), pt(1, true, 52), pt(2, true, 53), pt(3, false, 54)] });
  assert.deepEqual(ups, [[T + 60000, true, 52], [T + 120000, true, 53], [T + 180000, false, 54]]);
  const ws3 = await reconnect(c);
  const third = ws3.lastSent('subscribe');
  ws3.push({ ...ack, id: third.id });
  ws3.push({ type: 'snapshot', channel: 'indicator', symbol: 'BTCUSD', tf: '1m', key: 'rsi:14', fields: ['value'], id: third.id, points: [pt(5, true, 60)] });
  assert.equal(snaps.length, 2);
  assert.equal(snaps[1].recovered, false);
  assert.deepEqual(sub.stats, { unrecovered: 1, resumes: 1, gaps: 0 });
  await sub.close();
  assert.deepEqual({ ...ws3.lastSent('unsubscribe'), id: 0 }, { type: 'unsubscribe', channel: 'indicator', symbol: 'BTCUSD', tf: '1m', key: 'rsi:14', id: 0 });
  await c.close();
});

test('patterns: every detection of a window once, across a resume', async () => {
  const { c, ws } = await setup();
  const ups = [];
  const sub = c.patterns('BTCUSD', '1m', { lookback: 5 }, { onUpdate: (p) => ups.push([p.t, p.raw.pattern]) });
  const cmd = ws.lastSent('subscribe');
  const ack = { type: 'subscription', status: 'subscribed', channel: 'patterns', symbol: 'BTCUSD', tf: '1m', key: 'patterns:5' };
  ws.push({ ...ack, id: cmd.id });
  ws.push({ type: 'snapshot', channel: 'patterns', symbol: 'BTCUSD', tf: '1m', key: 'patterns:5', fields: ['patterns'], id: cmd.id, points: [] });
  await sub.ready;
  ws.push({ type: 'patterns', symbol: 'BTCUSD', tf: '1m', key: 'patterns:5', t: T, closed: true, patterns: [{ t: T, pattern: 'doji', direction: 'neutral' }, { t: T, pattern: 'hammer', direction: 'bullish' }] });
  const ws2 = await reconnect(c);
  const again = ws2.lastSent('subscribe');
  ws2.push({ ...ack, id: again.id });
  ws2.push({ type: 'snapshot', channel: 'patterns', symbol: 'BTCUSD', tf: '1m', key: 'patterns:5', id: again.id, points: [
    { t: T, closed: true, pattern: 'doji' }, { t: T, closed: true, pattern: 'hammer' },
    { t: T + 60000, closed: true, pattern: 'doji' }, { t: T + 60000, closed: true, pattern: 'breakout_high' }] });
  assert.deepEqual(ups, [[T, 'doji'], [T, 'hammer'], [T + 60000, 'doji'], [T + 60000, 'breakout_high']]);
  await c.close();
});

test('alerts: resume since the largest recordedAt; fires deduplicated by id', async () => {
  const { c, ws } = await setup();
  const fires = [];
  c.alerts({ since: 100, onUpdate: (f) => fires.push(f.fire) });
  const cmd = ws.lastSent('subscribe');
  assert.deepEqual(cmd, { type: 'subscribe', channel: 'alerts', since: 100, id: cmd.id });
  ws.push({ type: 'subscription', status: 'subscribed', channel: 'alerts', owner: 'alice', id: cmd.id });
  const fire = (n, at) => ({ type: 'alert', fire: 'al-1|t:' + n, alert: 'al-1', owner: 'alice', symbol: 'BTCUSD', kind: 'price_above', value: 1, threshold: 1, firedAt: at - 5, recordedAt: at, seq: n, final: false });
  ws.push(fire(1, 200));
  ws.push(fire(2, 300));
  const ws2 = await reconnect(c);
  const again = ws2.lastSent('subscribe');
  assert.equal(again.since, 300);
  ws2.push({ type: 'subscription', status: 'subscribed', channel: 'alerts', owner: 'alice', id: again.id });
  ws2.push(fire(2, 300));
  ws2.push(fire(3, 400));
  assert.deepEqual(fires, ['al-1|t:1', 'al-1|t:2', 'al-1|t:3']);
  await c.close();
});

test('alerts without a fire resume since the server time of the first acked connection minus the margin', async () => {
  const c = new CandlecastClient({ url: 'http://node', WebSocket: FakeSocket, random: () => 0, requestTimeoutMs: 200 });
  const p = c.connect();
  await until(() => FakeSocket.instances.length > 0, 1000, 'a socket');
  const serverTime = T + 5000;
  FakeSocket.last.open(serverTime);
  await p;
  const ws = FakeSocket.last;
  const fires = [];
  c.alerts({ onUpdate: (f) => fires.push(f.fire) });
  const cmd = ws.lastSent('subscribe');
  assert.equal(cmd.since, undefined, 'the first subscribe asks for live fires only');
  ws.push({ type: 'subscription', status: 'subscribed', channel: 'alerts', owner: 'alice', id: cmd.id });
  const n = FakeSocket.instances.length;
  ws.drop(1006);
  await until(() => FakeSocket.instances.length > n, 2000, 'the reconnect');
  const ws2 = FakeSocket.last;
  ws2.open(T + 60000);
  const again = ws2.lastSent('subscribe');
  assert.equal(again.since, serverTime - ALERT_RESUME_MARGIN_MS, "the first ack's connection time, not the new one's");
  ws2.push({ type: 'subscription', status: 'subscribed', channel: 'alerts', owner: 'alice', id: again.id });
  ws2.push({ type: 'alert', fire: 'al-1|t:9', alert: 'al-1', owner: 'alice', symbol: 'BTCUSD', kind: 'price_above', value: 1, threshold: 1, firedAt: T + 7000, recordedAt: T + 7001, seq: 1, final: true });
  assert.deepEqual(fires, ['al-1|t:9']);
  const ws3 = await reconnect(c);
  assert.equal(ws3.lastSent('subscribe').since, T + 7001);
  await c.close();
});

test('alertResumeSince: delivered since first, else first-ack server time minus the margin (not below 0), else none', () => {
  assert.equal(alertResumeSince(undefined, undefined), undefined);
  assert.equal(alertResumeSince(undefined, T), T - ALERT_RESUME_MARGIN_MS);
  assert.equal(alertResumeSince(undefined, ALERT_RESUME_MARGIN_MS / 2), 0);
  assert.equal(alertResumeSince(42, T), 42);
  assert.equal(alertResumeSince(0, undefined), 0);
});

test('async iterator yields the snapshot then updates; leaving the loop unsubscribes', async () => {
  const { c, ws } = await setup();
  const sub = c.candles('BTCUSD', '1s');
  const it = sub[Symbol.asyncIterator]();
  const cmd = ws.lastSent('subscribe');
  ws.push({ type: 'subscription', status: 'subscribed', symbol: 'BTCUSD', tf: '1s', id: cmd.id });
  ws.push({ type: 'snapshot', symbol: 'BTCUSD', tf: '1s', id: cmd.id, candles: [] });
  ws.push(candleFrame('BTCUSD', '1s', T, 1, false));
  ws.push(candleFrame('BTCUSD', '1s', T, 2, true));
  const kinds = [];
  for await (const item of { [Symbol.asyncIterator]: () => it }) {
    kinds.push(item.kind === 'snapshot' ? 'snapshot:' + item.data.candles.length : item.data.trades);
    if (kinds.length === 3) break;
  }
  assert.deepEqual(kinds, ['snapshot:0', 1, 2]);
  await until(() => ws.lastSent('unsubscribe'), 1000, 'the unsubscribe');
  assert.equal(ws.lastSent('unsubscribe').symbol, 'BTCUSD');
  await c.close();
});

test('historyBatch: progress, per-symbol results and errors, batch_done', async () => {
  const { c, ws } = await setup();
  const progress = [];
  const p = c.historyBatch(['BTCUSD', 'NOPE'], '1d', { period: '1y', localOnly: false }, (x) => progress.push(x.type + ':' + (x.progress ?? x.status)));
  const cmd = ws.lastSent('history_batch');
  assert.deepEqual(cmd, { type: 'history_batch', id: cmd.id, symbols: ['BTCUSD', 'NOPE'], tf: '1d', period: '1y', local_only: false });
  ws.push({ type: 'batch_progress', id: cmd.id, symbol: 'BTCUSD', progress: '1/2' });
  ws.push({ type: 'data_status', id: cmd.id, symbol: 'BTCUSD', status: 'downloading', fetched: 10, page: 1 });
  ws.push({ type: 'history', id: cmd.id, symbol: 'BTCUSD', tf: '1d', count: 1, candles: [element(candleFrame('BTCUSD', '1d', T, 5, true))] });
  ws.push({ type: 'batch_progress', id: cmd.id, symbol: 'NOPE', progress: '2/2' });
  ws.push({ type: 'error', code: 'unknown_symbol', message: 'unknown symbol NOPE', id: cmd.id, symbol: 'NOPE', status: 404 });
  ws.push({ type: 'batch_done', id: cmd.id, tf: '1d', symbols: 2, ok: 1, failed: 1 });
  const r = await p;
  assert.deepEqual(progress, ['batch_progress:1/2', 'data_status:downloading', 'batch_progress:2/2']);
  assert.deepEqual(r.BTCUSD.map((k) => [k.symbol, k.tf, k.t, k.trades, k.closed]), [['BTCUSD', '1d', T, 5, true]]);
  assert.equal(r.NOPE.code, 'unknown_symbol');
  assert.equal(r.NOPE.status, 404);
  const refused = c.historyBatch([], '1d');
  const cmd2 = ws.lastSent('history_batch');
  ws.push({ type: 'error', code: 'bad_field', message: 'symbols: must not be empty', id: cmd2.id });
  await assert.rejects(refused, (e) => e.code === 'bad_field');
  await c.close();
});

test('outgoing frames are paced under the server rate limit: a burst, then the rest in order as tokens return', async () => {
  const { c, ws } = await setup({ rateLimit: { perSecond: 100, burst: 10 } });
  const errors = [];
  c.onError((e) => errors.push(e.code));
  const started = Date.now();
  const subs = Array.from({ length: 25 }, (_, i) => c.candles('SYM' + i, '1m'));
  assert.equal(ws.sent.length, 10, 'the burst goes out at once');
  await until(() => ws.sent.length === 25, 2000, 'the paced rest');
  assert.ok(Date.now() - started >= 140, 'the rest took ~150 ms at 100/s');
  assert.deepEqual(ws.sent.map((f) => f.symbol), subs.map((_, i) => 'SYM' + i), 'in order');
  ws.push({ type: 'error', code: 'rate_limited', message: 'slow down' });   // no id: nobody owns it
  assert.deepEqual(errors, ['rate_limited']);
  await c.close();
});

test('iterating a refused subscription throws its error; closing the client ends iterators quietly', async () => {
  const { c, ws } = await setup();
  const refused = (async () => {
    for await (const item of c.candles('NOPE', '1m')) void item;
  })();
  const cmd = ws.lastSent('subscribe');
  ws.push({ type: 'error', code: 'unknown_symbol', message: 'unknown symbol NOPE', id: cmd.id });
  await assert.rejects(refused, (e) => e.code === 'unknown_symbol');
  let n = 0;
  const quiet = (async () => {
    for await (const item of c.ticker('BTCUSD')) void item, n++;
  })();
  await c.close();
  await quiet;
  assert.equal(n, 0);
});

import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { CandlecastClient, CandlecastError } from '../../dist/index.js';
import { FakeSocket, HeaderFakeSocket, until, tick } from './fake-socket.mjs';

beforeEach(() => FakeSocket.reset());

function client(extra = {}) {
  return new CandlecastClient({ url: 'http://node:8080', WebSocket: FakeSocket, random: () => 0.5, ...extra });
}

async function opened(c) {
  const before = FakeSocket.instances.length;
  const p = c.connect();
  await until(() => FakeSocket.instances.length > before, 1000, 'a socket');
  FakeSocket.last.open();
  await p;
  return FakeSocket.last;
}

test('states: idle → connecting → connected → reconnecting → connected → closed', async () => {
  const c = client({ backoff: { initialMs: 20, maxMs: 20 } });
  const seen = [];
  c.onState((s, d) => seen.push([s, d.attempt, d.delayMs, d.error?.code]));
  assert.equal(c.state, 'idle');
  const ws = await opened(c);
  assert.equal(ws.url, 'ws://node:8080/ws');
  assert.equal(c.isConnected(), true);
  ws.drop(1006);
  assert.equal(c.state, 'reconnecting');
  await until(() => FakeSocket.instances.length === 2, 1000, 'the reconnect');
  FakeSocket.last.open();
  assert.equal(c.state, 'connected');
  await c.close();
  assert.equal(c.state, 'closed');
  assert.deepEqual(seen, [
    ['connecting', 0, undefined, undefined], ['connected', 0, undefined, undefined],
    ['reconnecting', 1, 10, 'connection_lost'], ['connected', 0, undefined, undefined], ['closed', 0, undefined, undefined]]);
  assert.deepEqual(FakeSocket.last.closed, { code: 1000, reason: 'client closed' });
});

test('failed attempts grow the back-off ceiling; a connection that reached connected resets it', async () => {
  const c = client({ random: () => 0.999, backoff: { initialMs: 4, maxMs: 1000 } });
  const delays = [];
  c.onState((s, d) => s === 'reconnecting' && delays.push(d.delayMs));
  c.connect().catch(() => undefined);
  for (let i = 1; i <= 4; i++) {
    await until(() => FakeSocket.instances.length === i, 2000, 'attempt ' + i);
    FakeSocket.last.drop(1006);            // never opened: a failed attempt
  }
  assert.deepEqual(delays, [3, 7, 15, 31]); // floor(0.999 × 4·2^n)
  await until(() => FakeSocket.instances.length === 5, 2000, 'attempt 5');
  FakeSocket.last.open();
  FakeSocket.last.drop(1006);
  assert.equal(delays.at(-1), 3);
  await c.close();
});

test('close code 1012 reconnects after random(0, 500 ms) without counting an attempt', async () => {
  const c = client({ random: () => 0.5, backoff: { initialMs: 10000, maxMs: 10000 } });
  const details = [];
  c.onState((s, d) => s === 'reconnecting' && details.push(d));
  const ws = await opened(c);
  const dropped = Date.now();
  ws.drop(1012);
  assert.equal(details[0].delayMs, 250);
  assert.equal(details[0].attempt, 0);
  await until(() => FakeSocket.instances.length === 2, 2000, 'the reconnect');
  assert.ok(Date.now() - dropped < 2000);
  await c.close();
});

test('the token goes in ?access_token= for browser sockets and in Authorization for ws-like ones; owner in ?owner=', async () => {
  const a = client({ token: 'tok.en', owner: 'alice' });
  await opened(a);
  assert.equal(FakeSocket.last.url, 'ws://node:8080/ws?owner=alice&access_token=tok.en');
  await a.close();
  let calls = 0;
  const b = new CandlecastClient({ url: 'ws://node:8080/ws', WebSocket: HeaderFakeSocket, token: () => 'fresh' + ++calls });
  await opened(b);
  assert.equal(FakeSocket.last.url, 'ws://node:8080/ws');
  assert.deepEqual(FakeSocket.last.options, { headers: { Authorization: 'Bearer fresh1' } });
  FakeSocket.last.drop(1012);
  await until(() => FakeSocket.instances.length === 3, 2000, 'the reconnect');
  assert.deepEqual(FakeSocket.last.options, { headers: { Authorization: 'Bearer fresh2' } }, 'the token function is asked again');
  await b.close();
});

test('a handshake refused with 401 and a fixed token ends in closed/unauthorized without retrying', async () => {
  const c = client({ token: 'bad' });
  const states = [];
  c.onState((s, d) => states.push(s + (d.error ? ':' + d.error.code : '')));
  const p = c.connect();
  const sub = c.candles('BTCUSD', '1m');
  await until(() => FakeSocket.last, 1000, 'a socket');
  FakeSocket.last.refuse(401);
  await assert.rejects(p, (e) => e instanceof CandlecastError && e.code === 'unauthorized' && e.status === 401);
  await assert.rejects(sub.ready, (e) => e.code === 'unauthorized');
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(FakeSocket.instances.length, 1, 'no retry');
  assert.deepEqual(states, ['connecting', 'closed:unauthorized']);
});

test('a handshake refused with 403 and a token function is retried (the function may refresh it)', async () => {
  const c = client({ token: () => 'x', backoff: { initialMs: 5, maxMs: 5 } });
  const states = [];
  c.onState((s, d) => states.push(s + (d.error ? ':' + d.error.code : '')));
  c.connect().catch(() => undefined);
  await until(() => FakeSocket.last, 1000, 'a socket');
  FakeSocket.last.refuse(403);
  await until(() => FakeSocket.instances.length === 2, 1000, 'the retry');
  assert.deepEqual(states, ['connecting', 'reconnecting:forbidden']);
  await c.close();
});

test('a browser socket (no status) is classified by a REST probe with the same token', async () => {
  const fetched = [];
  const fetch = async (url, init) => {
    fetched.push([url, init.headers.get('authorization')]);
    return new Response(JSON.stringify({ error: 'invalid token' }), { status: 401 });
  };
  const c = client({ token: 'bad', fetch });
  const p = c.connect();
  await until(() => FakeSocket.last, 1000, 'a socket');
  FakeSocket.last.onerror?.({ type: 'error' });
  FakeSocket.last.drop(1006);
  await assert.rejects(p, (e) => e.code === 'unauthorized');
  assert.deepEqual(fetched, [['http://node:8080/api/symbols', 'Bearer bad']]);
});

test('requests: ids, replies, server errors, timeouts, connection_lost, closed', async () => {
  const c = client({ requestTimeoutMs: 50 });
  const ws = await opened(c);
  const r1 = c.request({ type: 'list' });
  const r2 = c.request({ type: 'alert_get', alertId: 'al-x' });
  const r3 = c.request({ type: 'ping' });
  const [s1, s2, s3] = ws.sent;
  assert.equal(s1.type, 'list');
  assert.notEqual(s1.id, s2.id);
  ws.push({ type: 'error', code: 'not_found', message: 'alert al-x', id: s2.id });
  ws.push({ type: 'subscriptions', subscriptions: [], id: s1.id });
  assert.deepEqual(await r1, { type: 'subscriptions', subscriptions: [], id: s1.id });
  await assert.rejects(r2, (e) => e instanceof CandlecastError && e.code === 'not_found' && e.message === 'alert al-x');
  await assert.rejects(r3, (e) => e.code === 'timeout');
  void s3;
  const r4 = c.request({ type: 'list' });
  ws.drop(1006);
  await assert.rejects(r4, (e) => e.code === 'connection_lost');
  const r5 = c.request({ type: 'list' });   // queued until the next connection
  await c.close();
  await assert.rejects(r5, (e) => e.code === 'closed');
  await assert.rejects(c.request({ type: 'list' }), (e) => e.code === 'closed');
});

test('a request made while reconnecting is sent once the socket opens', async () => {
  const c = client({ backoff: { initialMs: 5, maxMs: 5 } });
  const ws = await opened(c);
  ws.drop(1006);
  const r = c.request({ type: 'list' });
  await until(() => FakeSocket.instances.length === 2, 1000, 'the reconnect');
  const ws2 = FakeSocket.last;
  assert.equal(ws2.sent.length, 0);
  ws2.open();
  const sent = ws2.lastSent('list');
  ws2.push({ type: 'subscriptions', subscriptions: [], id: sent.id });
  assert.equal((await r).type, 'subscriptions');
  await c.close();
});

test('heartbeat: pings every interval; two missed pongs are a drop', async () => {
  const c = client({ pingIntervalMs: 20, backoff: { initialMs: 10000, maxMs: 10000 } });
  const ws = await opened(c);
  await until(() => ws.sent.filter((f) => f.type === 'ping').length >= 1, 1000, 'a ping');
  ws.push({ type: 'pong', timestamp: 1 });
  await until(() => c.state === 'reconnecting', 1000, 'the drop after missed pongs');
  assert.ok(ws.sent.filter((f) => f.type === 'ping').length >= 3);
  await c.close();
});

test('notices reach every onNotice listener until off()', async () => {
  const c = client();
  const ws = await opened(c);
  const got = [];
  const off = c.onNotice((n) => got.push(n));
  ws.push({ type: 'notice', id: 'n-1', text: 'maintenance', level: 'warning', link: null, symbol: 'BTCUSD', time: 5 });
  off();
  ws.push({ type: 'notice', id: 'n-2', text: 'again', time: 6 });
  assert.deepEqual(got, [{ id: 'n-1', text: 'maintenance', level: 'warning', link: null, symbol: 'BTCUSD', time: 5 }]);
  ws.push('not json at all');
  ws.push('[1,2]');
  assert.equal(c.state, 'connected');
  await c.close();
});

test('a socket constructor that throws (bad URL, blocked port) is a failed attempt: back-off and retry', async () => {
  const failing = new Proxy(function () {}, { construct() { throw new Error('boom'); } });
  const d = new CandlecastClient({ url: 'http://node', WebSocket: failing, backoff: { initialMs: 5, maxMs: 5 } });
  const states = [];
  d.onState((s, x) => states.push(s + ':' + x.error?.code + ':' + x.attempt));
  d.connect().catch(() => undefined);
  await until(() => states.length >= 3, 1000, 'two failed attempts');
  assert.deepEqual(states.slice(0, 3), ['connecting:undefined:0', 'reconnecting:connection_lost:1', 'reconnecting:connection_lost:2']);
  await d.close();
});

test('reconnectNow() skips the back-off wait; it does nothing while connected', async () => {
  const c = client({ random: () => 0.99, backoff: { initialMs: 60000, maxMs: 60000 } });
  const ws = await opened(c);
  c.reconnectNow();
  assert.equal(FakeSocket.instances.length, 1);
  ws.drop(1006);
  assert.equal(c.state, 'reconnecting');
  c.reconnectNow();
  await until(() => FakeSocket.instances.length === 2, 500, 'the immediate reconnect');
  FakeSocket.last.open();
  assert.equal(c.state, 'connected');
  await c.close();
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CandlecastClient, CandlecastError } from '../../dist/index.js';
import { FakeSocket } from './fake-socket.mjs';

const MIN = 60_000;
const T0 = 1_700_000_000_000;

/** A fake server holding `n` 1m candles, answering GET /api/candles with meta cursors as the gateway pages. */
function candleServer(n, pageMax = 5000) {
  const all = Array.from({ length: n }, (_, i) => ({ symbol: 'BTCUSD', tf: '1m', t: T0 + i * MIN, o: i, h: i + 1, l: i - 1, c: i + 0.5, v: 1, n: 2, x: true }));
  const calls = [];
  const fetch = async (url, init) => {
    const u = new URL(url);
    calls.push(u.pathname + u.search);
    let q = Object.fromEntries(u.searchParams);
    if (q.cursor) q = { ...JSON.parse(Buffer.from(q.cursor, 'base64url').toString()), meta: q.meta };
    const limit = Number(q.limit ?? 500);
    if (limit > pageMax) return new Response(JSON.stringify({ error: 'limit must be 1..' + pageMax }), { status: 400 });
    const from = q.from !== undefined ? Number(q.from) : -Infinity;
    const to = q.to !== undefined ? Number(q.to) : Infinity;
    const range = all.filter((k) => k.t >= from && k.t <= to);
    const page = range.slice(Math.max(0, range.length - limit));
    const body = { rows: page.length, candles: page };
    if (page.length === limit && range.length > limit) {
      body.next = Buffer.from(JSON.stringify({ symbol: q.symbol, tf: q.tf, from: q.from, to: page[0].t - 1, limit })).toString('base64url');
    }
    assert.equal(init.headers.get('authorization'), 'Bearer T');
    return new Response(JSON.stringify(body), { status: 200 });
  };
  return { all, calls, fetch };
}

const client = (fetch) => new CandlecastClient({ url: 'http://node', WebSocket: FakeSocket, token: 'T', fetch });

test('history.candles follows cursors back to the range start, oldest first, no overlap', async () => {
  const s = candleServer(1234, 500);
  const got = await client(s.fetch).history.candles('BTCUSD', '1m', { from: T0 + 10 * MIN });
  assert.deepEqual(got.map((k) => k.t), s.all.slice(10).map((k) => k.t));
  assert.equal(got[0].open, 10);
  assert.equal(s.calls.length, 3);
  assert.ok(s.calls[0].includes('meta=true') && s.calls[1].includes('cursor='));
});

test('history.candles with a limit above the page size pages until the limit, keeping the newest', async () => {
  const s = candleServer(12000, 5000);
  const got = await client(s.fetch).history.candles('BTCUSD', '1m', { limit: 7000 });
  assert.equal(got.length, 7000);
  assert.deepEqual(got.map((k) => k.t), s.all.slice(5000).map((k) => k.t));
  assert.equal(s.calls.length, 2);
  const small = candleServer(100);
  const one = await client(small.fetch).history.candles('BTCUSD', '1m');
  assert.equal(one.length, 100);
  assert.equal(small.calls.length, 1, 'no range and no limit: one page');
});

test('history.trades pages forward from since; REST errors carry code, status and the server text', async () => {
  const trades = Array.from({ length: 2500 }, (_, i) => ({ id: 1000 + i, t: T0 + i, p: 1, q: 2, side: 'buy' }));
  const calls = [];
  const fetch = async (url) => {
    const u = new URL(url);
    calls.push(u.search);
    if (u.searchParams.get('symbol') === 'NOPE') return new Response(JSON.stringify({ error: 'unknown symbol NOPE' }), { status: 404 });
    if (u.searchParams.get('since') === '1') return new Response(JSON.stringify({ error: 'trades after 1 are no longer held' }), { status: 410 });
    const since = Number(u.searchParams.get('since'));
    const limit = Number(u.searchParams.get('limit'));
    return new Response(JSON.stringify(trades.filter((t) => t.id > since).slice(0, limit)), { status: 200 });
  };
  const c = client(fetch);
  const got = await c.history.trades('btc-usd', { since: 1099 });
  assert.deepEqual(got.map((t) => t.id), trades.slice(100).map((t) => t.id));
  assert.deepEqual(got[0], { symbol: 'BTCUSD', id: 1100, t: T0 + 100, price: 1, amount: 2, side: 'buy' });
  assert.equal(calls.length, 3);
  const limited = await c.history.trades('BTCUSD', { since: 1099, limit: 1500 });
  assert.equal(limited.length, 1500);
  await assert.rejects(c.history.trades('NOPE'), (e) => e instanceof CandlecastError && e.code === 'unknown_symbol' && e.status === 404 && e.message === 'unknown symbol NOPE');
  await assert.rejects(c.history.trades('BTCUSD', { since: 1 }), (e) => e.code === 'gone' && e.status === 410);
});

test('rest(): JSON bodies, the owner header without a token, bad bodies → bad_response', async () => {
  const seen = [];
  const fetch = async (url, init) => {
    seen.push([init.method, init.headers.get('x-candlecast-owner'), init.headers.get('content-type'), init.body]);
    if (url.endsWith('/bad')) return new Response('<html>', { status: 200 });
    return new Response(JSON.stringify({ ok: true }), { status: 200 });
  };
  const c = new CandlecastClient({ url: 'http://node', WebSocket: FakeSocket, owner: 'bob', fetch });
  assert.deepEqual(await c.rest('/api/portfolio', { method: 'PUT', body: { positions: [] } }), { ok: true });
  assert.deepEqual(seen[0], ['PUT', 'bob', 'application/json', '{"positions":[]}']);
  await assert.rejects(c.rest('/bad'), (e) => e.code === 'bad_response');
  const down = new CandlecastClient({ url: 'http://node', WebSocket: FakeSocket, fetch: async () => { throw new TypeError('fetch failed'); } });
  await assert.rejects(down.rest('/api/symbols'), (e) => e.code === 'connection_lost');
});

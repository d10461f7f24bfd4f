// LiveSync against a scripted history server: requests are answered when the test says so, with the server's state
// at that moment, and live updates are delivered (or lost in the registration seam) as the test says.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LiveSync } from '../../main/webroot/js/live-sync.js';
import { BarStore, toBar } from '../../main/webroot/js/model.js';

const T0 = 1_700_000_000; // seconds, a 1s window start

/** The server's candles of one 1s series, keyed by window start (s). */
function fakeServer() {
  const candles = new Map();
  return {
    candles,
    /** Updates (or opens) a window and returns the body the aggregator would publish. */
    trade(time, price) {
      const c = candles.get(time) || { t: time * 1000, o: price, h: price, l: price, c: price, v: 0, n: 0 };
      Object.assign(c, { h: Math.max(c.h, price), l: Math.min(c.l, price), c: price, v: c.v + 1, n: c.n + 1 });
      candles.set(time, c);
      return { ...c };
    },
    /** /api/candles: from (ms) on, oldest first. */
    query(extra) {
      const from = extra && extra.from !== undefined ? extra.from / 1000 : -Infinity;
      return [...candles.keys()].sort((a, b) => a - b).filter((t) => t >= from)
        .map((t) => toBar({ ...candles.get(t) }, 'BTCUSD', '1s'));
    },
  };
}

function setup(server) {
  const store = new BarStore('1s');
  const requests = [];
  const counters = { catchUps: 0, gaps: 0, rechecks: 0 };
  const sync = new LiveSync({
    symbol: 'BTCUSD', tf: '1s', store, counters,
    fetch: (extra) => new Promise((resolve, reject) => requests.push({ extra, resolve, reject })),
    drawAll: (bars) => store.reset(bars),
    drawBar: (b) => store.apply(b),
    redraw: () => {},
    message: () => {},
  });
  /** Answers the oldest open request with what the server holds now. */
  const answer = async () => {
    assert.ok(requests.length > 0, 'a request is open');
    const r = requests.shift();
    r.resolve(server.query(r.extra));
    await settle();
    return r.extra;
  };
  return { store, sync, requests, counters, answer };
}

const settle = () => new Promise((r) => setImmediate(r));

/** A sync whose bus has just connected and whose first catch-up (everything the server holds) is answered. */
async function caughtUp(server) {
  const ctx = setup(server);
  ctx.sync.connected();
  await settle();
  await ctx.answer();
  return ctx;
}

function assertEqualsServer(store, server) {
  assert.deepEqual(store.bars.map((b) => [b.time, b.close, b.volume]),
    server.query().map((b) => [b.time, b.close, b.volume]));
}

test('an update lost between the catch-up answer and the registration taking effect is fetched again', async () => {
  const server = fakeServer();
  server.trade(T0, 100);
  server.trade(T0 + 1, 101);
  const { store, sync, counters, answer, requests } = setup(server);
  sync.loadSnapshot();
  await answer();
  sync.connected();                       // bus open: address registered, catch-up asks from the last bar
  await settle();
  assert.deepEqual(await answer(), { from: (T0 + 1) * 1000 });
  server.trade(T0 + 1, 105);              // published before the registration took effect: nobody receives it
  sync.onLive(server.trade(T0 + 2, 102)); // the first body that arrives opens a newer bar
  await settle();
  assert.equal(counters.rechecks, 1);
  assert.equal(requests.length, 1, 'one more catch-up');
  assert.deepEqual(await answer(), { from: (T0 + 1) * 1000 });
  assertEqualsServer(store, server);
  assert.equal(store.bars[1].close, 105);
  sync.onLive(server.trade(T0 + 3, 103)); // from now on live bodies are drawn directly
  await settle();
  assert.equal(requests.length, 0);
  assert.equal(counters.rechecks, 1);
  assertEqualsServer(store, server);
});

test('bodies arriving while the recheck runs are held and drawn after it, in order', async () => {
  const server = fakeServer();
  server.trade(T0, 100);
  const { store, sync, counters, answer } = await caughtUp(server); // bus already open: the catch-up loads everything
  server.trade(T0, 99);                   // lost in the seam
  sync.onLive(server.trade(T0 + 1, 101));
  sync.onLive(server.trade(T0 + 1, 104));
  sync.onLive(server.trade(T0 + 2, 98));
  assert.equal(sync.busy, true);
  await settle();
  await answer();
  assert.equal(sync.busy, false);
  assert.equal(counters.rechecks, 1);
  assertEqualsServer(store, server);
});

test('no recheck when the first live body continues the last bar drawn (it carries the whole candle)', async () => {
  const server = fakeServer();
  server.trade(T0, 100);
  const { store, sync, counters, answer, requests } = await caughtUp(server);
  server.trade(T0, 101);                  // lost, but superseded by the next body of the same window
  sync.onLive(server.trade(T0, 102));
  sync.onLive(server.trade(T0 + 1, 103));
  await settle();
  assert.equal(counters.rechecks, 0);
  assert.equal(requests.length, 0);
  assertEqualsServer(store, server);
});

test('no recheck when a live body had already arrived before the catch-up asked', async () => {
  const server = fakeServer();
  server.trade(T0, 100);
  const { store, sync, counters, answer, requests } = setup(server);
  sync.loadSnapshot();
  sync.connected();
  sync.onLive(server.trade(T0 + 1, 101)); // held: the catch-up waits for the snapshot, then asks
  await answer();                         // the snapshot
  assert.deepEqual(await answer(), { from: (T0 + 1) * 1000 });
  sync.onLive(server.trade(T0 + 2, 102));
  await settle();
  assert.equal(counters.rechecks, 0);
  assert.equal(requests.length, 0);
  assertEqualsServer(store, server);
});

test('a reconnect needs the proof again', async () => {
  const server = fakeServer();
  server.trade(T0, 100);
  const { store, sync, counters, answer } = await caughtUp(server);
  sync.onLive(server.trade(T0, 101));     // proven
  sync.connected();                       // the bus reconnected: registered again
  await settle();
  await answer();
  server.trade(T0, 107);                  // lost in the new seam
  sync.onLive(server.trade(T0 + 1, 102));
  await settle();
  assert.equal(counters.rechecks, 1);
  await answer();
  assertEqualsServer(store, server);
});

test('a live bar that skips windows triggers a gap catch-up', async () => {
  const server = fakeServer();
  server.trade(T0, 100);
  const { store, sync, counters, answer } = await caughtUp(server);
  sync.onLive(server.trade(T0, 101));
  server.trade(T0 + 1, 102);              // missed
  sync.onLive(server.trade(T0 + 2, 103));
  await settle();
  assert.equal(counters.gaps, 1);
  assert.deepEqual(await answer(), { from: T0 * 1000 });
  assertEqualsServer(store, server);
});

test('after close, answers and bodies change nothing', async () => {
  const server = fakeServer();
  server.trade(T0, 100);
  const { store, sync, answer } = setup(server);
  sync.connected();
  await settle();
  sync.close();
  await answer();
  sync.onLive(server.trade(T0 + 1, 101));
  assert.equal(store.length, 0);
});

// CandleFeed: the REST first paint and the client's candle stream merged into one BarStore, against an oracle (the
// series the "server" holds): whatever order the first paint, the snapshot and the updates arrive in, the bars end
// equal to the server's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CandleFeed, newerVersion, UPDATE_BATCH_MAX } from '../../main/webroot/js/candle-feed.js';
import { BarStore } from '../../main/webroot/js/model.js';

const candle = (min, close, trades, closed) => ({
  symbol: 'BTCUSD', tf: '1m', t: min * 60000, open: 10, high: Math.max(10, close), low: Math.min(10, close), close,
  volume: trades, trades, closed, partial: false, time: min * 60,
});
const bar = (c) => ({ time: c.t / 1000, open: c.open, high: c.high, low: c.low, close: c.close, volume: c.volume, trades: c.trades, closed: c.closed });

function feed(restCandles, o = {}) {
  const store = new BarStore('1m');
  const calls = { drawAll: 0, drawBar: 0, redraw: 0, messages: [] };
  let release;
  const gate = o.gate ? new Promise((r) => { release = r; }) : Promise.resolve();
  const f = new CandleFeed({
    store, counters: {},
    fetch: () => gate.then(() => (o.fail ? Promise.reject(new Error('HTTP 503')) : restCandles.map(bar))),
    drawAll: (bars) => { calls.drawAll++; store.reset(bars); },
    drawBar: (b) => { calls.drawBar++; store.apply(b); },
    redraw: () => { calls.redraw++; },
    message: (t) => calls.messages.push(t),
  });
  return { f, store, calls, release: () => release() };
}

/** The server's series: windows 0..n-1, each closed except the last, then `more` windows of live history. */
function series(n) {
  return Array.from({ length: n }, (_, i) => candle(i, 100 + i, 5 + (i % 3), i < n - 1));
}

test('newerVersion: a closed window is never reopened, an open one only grows', () => {
  const b = (trades, closed) => ({ trades, closed });
  assert.equal(newerVersion(b(5, false), b(6, false)), true);
  assert.equal(newerVersion(b(5, false), b(5, false)), true);
  assert.equal(newerVersion(b(5, false), b(4, false)), false);
  assert.equal(newerVersion(b(5, false), b(5, true)), true);
  assert.equal(newerVersion(b(5, true), b(9, false)), false);
  assert.equal(newerVersion(b(5, true), b(5, true)), true);
});

test('first paint over REST, then the snapshot merges without a reload and updates follow', async () => {
  const server = series(10);
  const { f, store, calls } = feed(server.slice(0, 9).concat([{ ...server[9], trades: 2 }]));
  await f.load();
  assert.equal(calls.drawAll, 1);
  f.onSnapshot({ symbol: 'BTCUSD', tf: '1m', recovered: null, candles: server.slice(-5) });
  assert.equal(calls.drawAll, 1, 'no reload');
  f.onUpdate(candle(9, 120, 9, true));
  f.onUpdate(candle(10, 121, 1, false));
  assert.deepEqual(store.bars, server.slice(0, 9).concat([candle(9, 120, 9, true), candle(10, 121, 1, false)]).map(bar));
  assert.equal(f.counters.merges, 1);
  assert.equal(f.counters.reloads, 0);
});

test('stream items before the first paint wait for it; a stale version of the last window is not drawn', async () => {
  const server = series(10);
  const rest = server.slice(0, 9).concat([candle(9, 130, 8, true)]); // REST already has window 9 closed
  const { f, store, release, calls } = feed(rest, { gate: true });
  const loaded = f.load();
  assert.equal(f.busy, true);
  f.onSnapshot({ recovered: null, candles: server.slice(-3) }); // window 9 open with fewer trades
  f.onUpdate(candle(9, 125, 7, false));
  f.onUpdate(candle(9, 130, 8, true));
  f.onUpdate(candle(10, 131, 1, false));
  release();
  await loaded;
  assert.equal(f.busy, false);
  assert.deepEqual(store.bars, rest.concat([candle(10, 131, 1, false)]).map(bar));
  assert.equal(calls.drawAll, 1);
  assert.ok(f.counters.stale >= 2);
});

test('a snapshot that does not reach the window after the last bar replaces everything; recovered:true merges', async () => {
  const { f, store, calls } = feed(series(10));
  await f.load();
  const later = Array.from({ length: 5 }, (_, i) => candle(100 + i, 50, 3, i < 4));
  f.onSnapshot({ recovered: false, candles: later });
  assert.equal(calls.drawAll, 2);
  assert.deepEqual(store.bars, later.map(bar));
  assert.equal(f.counters.reloads, 1);
  assert.equal(f.counters.unrecovered, 1);
  // a resumed snapshot holds exactly what follows: merged even though it starts after the last (closed) bar
  f.onUpdate(candle(104, 51, 4, true));
  f.onSnapshot({ recovered: true, candles: [candle(105, 52, 2, true), candle(106, 53, 1, false)] });
  assert.equal(calls.drawAll, 2);
  assert.deepEqual(store.bars.map((b) => b.time), [100, 101, 102, 103, 104, 105, 106].map((m) => m * 60));
  // the window right after the last bar joins too (the last bar was closed)
  f.onSnapshot({ recovered: null, candles: [candle(107, 54, 1, false)] });
  assert.equal(calls.drawAll, 2);
  assert.equal(store.last().time, 107 * 60);
  // an empty snapshot leaves what is drawn
  f.onSnapshot({ recovered: false, candles: [] });
  assert.equal(store.length, 8);
});

test('a long merged tail redraws once; a failed first paint is drawn from the snapshot', async () => {
  const server = series(UPDATE_BATCH_MAX + 50);
  const { f, store, calls } = feed(server.slice(0, 10));
  await f.load();
  f.onSnapshot({ recovered: true, candles: server.slice(9) });
  assert.equal(calls.redraw, 1);
  assert.equal(calls.drawBar, 0);
  assert.deepEqual(store.bars, server.map(bar));

  const failed = feed([], { fail: true });
  assert.equal(await failed.f.load(), false);
  assert.deepEqual(failed.calls.messages, ['HTTP 503']);
  failed.f.onSnapshot({ recovered: null, candles: server.slice(0, 3) });
  assert.deepEqual(failed.store.bars, server.slice(0, 3).map(bar));
  assert.equal(failed.calls.messages.at(-1), '');
});

test('random arrival orders of first paint, snapshot and updates end equal to the server (oracle)', async () => {
  for (let round = 0; round < 200; round++) {
    let seed = round + 1;
    const rnd = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
    const n = 20;
    // The server's history of versions: each window grows to 1..4 trades, then closes.
    const versions = [];
    for (let w = 0; w < n; w++) {
      const k = 1 + Math.floor(rnd() * 4);
      for (let j = 1; j <= k; j++) versions.push(candle(w, 100 + w + j, j, j === k));
    }
    // REST answered at version index r (its newest candles as of then), the snapshot at s; updates after s follow.
    const asOf = (i) => {
      const byWindow = new Map();
      for (const v of versions.slice(0, i + 1)) byWindow.set(v.t, v);
      return [...byWindow.values()];
    };
    const r = Math.floor(rnd() * versions.length);
    const s = Math.floor(rnd() * versions.length);
    const { f, store, release } = feed(asOf(r), { gate: true });
    const loaded = f.load();
    const items = [() => f.onSnapshot({ recovered: null, candles: asOf(s) })];
    for (const v of versions.slice(s + 1)) items.push(() => f.onUpdate(v));
    const cut = Math.floor(rnd() * items.length);
    items.slice(0, cut).forEach((x) => x());
    release();
    await loaded;
    items.slice(cut).forEach((x) => x());
    assert.deepEqual(store.bars, asOf(versions.length - 1).map(bar), `round ${round} r=${r} s=${s} cut=${cut}`);
  }
});

test('closed: nothing more is drawn', async () => {
  const { f, store } = feed(series(3), { gate: true });
  const loaded = f.load();
  f.close();
  await Promise.resolve();
  assert.equal(f.busy, false);
  f.onUpdate(candle(3, 1, 1, false));
  assert.equal(store.length, 0);
  void loaded;
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toTrade, toTrades, TradeRows, TapeSync, formatTradeRow, formatSize, TAPE_ROWS } from '../../main/webroot/js/tape.js';

const trade = (id, seq = id) => ({ seq, id, t: 1700000000000 + id, p: 100 + id / 100, q: 0.5, side: id % 2 ? 'buy' : 'sell' });
const ids = (rows) => rows.rows.map((r) => r.id);

test('toTrade keeps well-formed trades and drops malformed ones', () => {
  assert.deepEqual(toTrade(trade(7)), trade(7));
  const { seq, ...rest } = trade(8);
  assert.deepEqual(toTrade(rest), rest);
  for (const bad of [null, 5, {}, { ...trade(1), side: 'up' }, { ...trade(1), p: '1' }, { ...trade(1), id: NaN },
    { ...trade(1), q: undefined }, { ...trade(1), t: null }]) {
    assert.equal(toTrade(bad), null, JSON.stringify(bad));
  }
  assert.deepEqual(toTrades([trade(1), { bad: 1 }, trade(2)]).map((t) => t.id), [1, 2]);
  assert.deepEqual(toTrades({ trades: [] }), []);
});

test('rows are newest first, bounded, and hold each id once, whatever overlapping batches arrive', () => {
  // oracle: the distinct ids in arrival order, newest max of them, newest first
  let seed = 42;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const rows = new TradeRows(20);
  const seen = [];
  let next = 1;
  for (let round = 0; round < 200; round++) {
    const back = Math.floor(rnd() * 5);      // re-sent trades (a seam, a replay after a takeover)
    const fresh = Math.floor(rnd() * 6);
    const batch = [];
    for (let id = Math.max(1, next - back); id < next + fresh; id++) batch.push(trade(id));
    next += fresh;
    rows.add(batch);
    for (const t of batch) if (!seen.includes(t.id)) seen.push(t.id);
    assert.deepEqual(ids(rows), seen.slice(-20).reverse(), `round ${round}`);
  }
  assert.equal(rows.newestId(), next - 1);
  rows.replace([trade(500), trade(501)]);
  assert.deepEqual(ids(rows), [501, 500]);
  assert.equal(new TradeRows().newestId(), null);
  assert.equal(new TradeRows().max, TAPE_ROWS);
});

/** A fake /api/trades over a log of trades: newest `limit`, or the first `limit` after `since` (410 when too old). */
function fakeServer(log, oldestHeld = 0) {
  const calls = [];
  const getJson = async (url) => {
    calls.push(url);
    const q = new URL(url, 'http://x').searchParams;
    const limit = Number(q.get('limit'));
    if (!q.has('since')) return log.slice(-limit);
    const since = Number(q.get('since'));
    if (since < oldestHeld) { const e = new Error('gone'); e.status = 410; throw e; }
    return log.filter((t) => t.id > since).slice(0, limit);
  };
  return { getJson, calls };
}

test('the first open loads the newest rows, live updates follow, and a reconnect fetches only what was missed', async () => {
  const log = [];
  for (let i = 1; i <= 80; i++) log.push(trade(i));
  const srv = fakeServer(log);
  const sync = new TapeSync({ symbol: 'BTCUSD', getJson: srv.getJson });
  await sync.open();
  assert.deepEqual(srv.calls, ['/api/trades?symbol=BTCUSD&limit=50']);
  assert.deepEqual(ids(sync.rows), log.slice(-50).map((t) => t.id).reverse());
  log.push(trade(81), trade(82));
  sync.live({ symbol: 'BTCUSD', prev: 80, trades: [trade(81), trade(82)] });
  assert.equal(sync.rows.newestId(), 82);
  // the connection drops; trades 83..90 are published meanwhile, 91 arrives during the catch-up
  for (let i = 83; i <= 95; i++) log.push(trade(i));
  const reopened = sync.open();
  sync.live({ symbol: 'BTCUSD', prev: 90, trades: [trade(91)] });
  await reopened;
  assert.equal(srv.calls[1], '/api/trades?symbol=BTCUSD&limit=50&since=82');
  assert.deepEqual(ids(sync.rows), log.slice(-50).map((t) => t.id).reverse(), 'every trade once, in order');
  assert.equal(sync.counters.catchUps, 1);
});

test('a live update that skips trades (prev after the last seq) triggers a catch-up', async () => {
  const log = [];
  for (let i = 1; i <= 10; i++) log.push(trade(i));
  const srv = fakeServer(log);
  const sync = new TapeSync({ symbol: 'BTCUSD', getJson: srv.getJson });
  await sync.open();
  sync.live({ symbol: 'BTCUSD', prev: 10, trades: [trade(11)] });
  log.push(trade(11), trade(12), trade(13), trade(14));
  sync.live({ symbol: 'BTCUSD', prev: 13, trades: [trade(14)] });   // 12 and 13 lost on the way
  assert.equal(sync.counters.gaps, 1);
  await sync.pending;
  assert.deepEqual(ids(sync.rows), [14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
  assert.equal(srv.calls.at(-1), '/api/trades?symbol=BTCUSD&limit=50&since=11');
});

test('trades no longer held (410) or a full page missed reload the newest rows', async () => {
  const log = [];
  for (let i = 1; i <= 60; i++) log.push(trade(i));
  const srv = fakeServer(log, 1000);
  const sync = new TapeSync({ symbol: 'BTCUSD', getJson: srv.getJson });
  await sync.open();
  for (let i = 61; i <= 70; i++) log.push(trade(i));
  await sync.open();
  assert.deepEqual(srv.calls.slice(1), ['/api/trades?symbol=BTCUSD&limit=50&since=60', '/api/trades?symbol=BTCUSD&limit=50']);
  assert.equal(sync.rows.newestId(), 70);
  assert.equal(sync.counters.fullLoads, 2);

  const srv2 = fakeServer(log);
  const sync2 = new TapeSync({ symbol: 'BTCUSD', getJson: srv2.getJson });
  sync2.rows.replace([trade(5)]);
  await sync2.open();
  assert.deepEqual(srv2.calls, ['/api/trades?symbol=BTCUSD&limit=50&since=5', '/api/trades?symbol=BTCUSD&limit=50']);
  assert.deepEqual(ids(sync2.rows), log.slice(-50).map((t) => t.id).reverse());
});

test('other failures reject the catch-up and keep the rows; bodies of another symbol or malformed are ignored', async () => {
  const sync = new TapeSync({ symbol: 'BTCUSD', getJson: async () => { throw Object.assign(new Error('down'), { status: 503 }); } });
  sync.rows.replace([trade(1)]);
  await assert.rejects(sync.open(), /down/);
  assert.deepEqual(ids(sync.rows), [1]);
  for (const body of [null, 'x', { symbol: 'ETHUSD', prev: 1, trades: [trade(2)] }, { symbol: 'BTCUSD', trades: 'no' }]) {
    sync.live(body);
  }
  assert.deepEqual(ids(sync.rows), [1]);
  assert.throws(() => new TapeSync({ symbol: 'btc usd', getJson: async () => [] }), /bad symbol/);
});

test('rows are formatted with the price decimals, a grouped size and the side', () => {
  const row = formatTradeRow({ id: 1, t: 5000, p: 37000.5, q: 1234.56789, side: 'sell' }, (ms) => `@${ms}`, 2);
  assert.deepEqual(row, { time: '@5000', price: '37,000.50', size: '1,234.57', side: 'sell' });
  assert.equal(formatSize(0.0125), '0.0125');
  assert.equal(formatSize(0.00000012), '0');
  assert.equal(formatSize(2.5), '2.5');
  assert.equal(formatSize(NaN), '–');
});

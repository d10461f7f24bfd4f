import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toTrade, toTrades, TradeRows, TapeFeed, formatTradeRow, formatSize, TAPE_ROWS } from '../../main/webroot/js/tape.js';

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

const clientTrade = (id) => { const t = trade(id); return { symbol: 'BTCUSD', id: t.id, t: t.t, price: t.p, amount: t.q, side: t.side }; };
const noSeq = (id) => { const { seq, ...rest } = trade(id); return rest; };

test('TapeFeed: the snapshot fills the rows, trades add on top, a resumed snapshot continues, an unrecovered one replaces', () => {
  let changes = 0;
  const feed = new TapeFeed({ symbol: 'BTCUSD', rows: new TradeRows(5), onChange: () => changes++ });
  feed.onSnapshot({ symbol: 'BTCUSD', recovered: null, trades: [1, 2, 3].map(clientTrade) });
  assert.deepEqual(ids(feed.rows), [3, 2, 1]);
  feed.onUpdate(clientTrade(4));
  feed.onUpdate(clientTrade(4));
  assert.deepEqual(ids(feed.rows), [4, 3, 2, 1]);
  assert.deepEqual(feed.rows.rows[0], noSeq(4));
  feed.onSnapshot({ recovered: true, trades: [5, 6, 7].map(clientTrade) });
  assert.deepEqual(ids(feed.rows), [7, 6, 5, 4, 3]);
  feed.onSnapshot({ recovered: false, trades: [20, 21].map(clientTrade) });
  assert.deepEqual(ids(feed.rows), [21, 20]);
  assert.deepEqual(feed.counters, { snapshots: 2, resumed: 1, unrecovered: 1, updates: 2 });
  assert.equal(changes, 4, 'a repeated trade changes nothing');
});

test('TapeFeed ignores malformed trades and trades of another symbol; refuses a bad symbol', () => {
  const feed = new TapeFeed({ symbol: 'BTCUSD' });
  feed.onUpdate({ ...clientTrade(1), side: 'up' });
  feed.onUpdate({ ...clientTrade(2), symbol: 'ETHUSD' });
  feed.onSnapshot({ recovered: null, trades: [{ id: 'x' }, clientTrade(3)] });
  assert.deepEqual(ids(feed.rows), [3]);
  assert.throws(() => new TapeFeed({ symbol: 'btc' }), /bad symbol/);
});

test('rows are formatted with the price decimals, a grouped size and the side', () => {
  const row = formatTradeRow({ id: 1, t: 5000, p: 37000.5, q: 1234.56789, side: 'sell' }, (ms) => `@${ms}`, 2);
  assert.deepEqual(row, { time: '@5000', price: '37,000.50', size: '1,234.57', side: 'sell' });
  assert.equal(formatSize(0.0125), '0.0125');
  assert.equal(formatSize(0.00000012), '0');
  assert.equal(formatSize(2.5), '2.5');
  assert.equal(formatSize(NaN), '–');
});

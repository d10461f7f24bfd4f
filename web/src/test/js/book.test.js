import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toBook, isNewerBook, bookView, BookSync, BOOK_DEPTH } from '../../main/webroot/js/book.js';

function makeBook(seq, n = 100, mid = 37000) {
  const bids = [];
  const asks = [];
  for (let i = 0; i < n; i++) {
    bids.push([mid - 0.5 - i, 0.1 * (i + 1)]);
    asks.push([mid + 0.5 + i, 0.2 + 0.05 * i]);
  }
  return { symbol: 'BTCUSD', seq, time: 1700000000000 + seq, timeUs: 1, bids, asks };
}

test('toBook cuts to the depth and refuses malformed books', () => {
  const b = toBook(makeBook(5));
  assert.equal(b.bids.length, BOOK_DEPTH);
  assert.equal(b.asks.length, BOOK_DEPTH);
  assert.deepEqual(b.bids[0], [36999.5, 0.1]);
  assert.equal(toBook(makeBook(5), 3).asks.length, 3);
  for (const bad of [null, {}, { ...makeBook(1), seq: 'x' }, { ...makeBook(1), symbol: 'b c' },
    { ...makeBook(1), bids: [[1, 'x']] }, { ...makeBook(1), asks: [[1, 0]] }, { ...makeBook(1), asks: null },
    { ...makeBook(1), bids: [1, 2] }]) {
    assert.equal(toBook(bad), null, JSON.stringify(bad));
  }
});

test('only a newer seq of the same symbol replaces the book', () => {
  const a = toBook(makeBook(10));
  assert.ok(isNewerBook(null, a));
  assert.ok(isNewerBook(a, toBook(makeBook(11))));
  assert.ok(!isNewerBook(a, toBook(makeBook(10))));
  assert.ok(!isNewerBook(a, toBook(makeBook(9))));
  assert.ok(!isNewerBook(a, { ...toBook(makeBook(12)), symbol: 'ETHUSD' }));
  assert.ok(!isNewerBook(a, null));
});

test('the ladder has cumulative sizes, bars on one scale for both sides, and the spread', () => {
  const book = toBook(makeBook(1), 10);
  const v = bookView(book);
  // oracle: running sums computed here, the larger side's total as 100 %
  const sums = (ls) => ls.map((_, i) => ls.slice(0, i + 1).reduce((s, l) => s + l[1], 0));
  const bidCum = sums(book.bids);
  const askCum = sums(book.asks);
  const max = Math.max(bidCum.at(-1), askCum.at(-1));
  assert.deepEqual(v.bids.map((l) => l.price), book.bids.map((l) => l[0]));
  assert.deepEqual(v.asks.map((l) => l.price), book.asks.map((l) => l[0]).reverse(), 'asks highest first');
  v.bids.forEach((l, i) => { assert.ok(Math.abs(l.cum - bidCum[i]) < 1e-9); assert.ok(Math.abs(l.pct - bidCum[i] / max * 100) < 1e-9); });
  v.asks.slice().reverse().forEach((l, i) => assert.ok(Math.abs(l.pct - askCum[i] / max * 100) < 1e-9));
  assert.equal(Math.max(...v.bids.map((l) => l.pct), ...v.asks.map((l) => l.pct)), 100);
  assert.equal(v.spread, book.asks[0][0] - book.bids[0][0]);
  assert.equal(v.mid, (book.asks[0][0] + book.bids[0][0]) / 2);
  assert.equal(v.text.spread, `1.00 (${(1 / 37000 * 100).toFixed(3)}%)`);
  assert.equal(v.bids[0].text.price, '36,999.50');
});

test('an empty side or no book gives no spread', () => {
  const v = bookView({ symbol: 'BTCUSD', seq: 1, bids: [[1, 2]], asks: [] });
  assert.equal(v.spread, null);
  assert.equal(v.bids[0].pct, 100);
  assert.equal(bookView(null).text.spread, '–');
});

test('BookSync keeps the newest book of the stream, cut to its depth (a resubscribe repeating the shown one is ignored)', () => {
  const sync = new BookSync({ symbol: 'BTCUSD' });
  const shown = [];
  sync.onChange = (b) => shown.push(b.seq);
  const client = (b) => ({ ...b, depth: 100 }); // a client Book: the server's fields plus its depth
  assert.equal(sync.onUpdate(client(makeBook(20))), true);
  sync.onUpdate(client(makeBook(19)));             // older: ignored
  sync.onUpdate(client(makeBook(21)));
  sync.onUpdate({ ...makeBook(22), symbol: 'ETHUSD' });
  sync.onUpdate({ nonsense: true });
  sync.onUpdate(client(makeBook(21)));             // the current book again after a reconnect
  assert.deepEqual(shown, [20, 21]);
  assert.equal(sync.book.seq, 21);
  assert.equal(sync.book.bids.length, BOOK_DEPTH);
  assert.equal(sync.counters.ignored, 4);
  assert.equal(sync.counters.updates, 6);
  assert.equal(new BookSync({ symbol: 'BTCUSD', depth: 25 }).depth, 25);
  assert.throws(() => new BookSync({ symbol: '' }), /bad symbol/);
});

// Catch-up bookkeeping of alert fires (alert-since.js): each fire shown once across live delivery, catch-ups and
// reloads, fires recorded by other aggregators out of recordedAt order not lost, first run shows no history.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FireLedger, AwayWindow, planToasts, MARGIN_MS, MAX_REMEMBERED, STORAGE_PREFIX } from '../../main/webroot/js/alert-since.js';

class MemoryStorage {
  constructor() { this.m = new Map(); }
  getItem(k) { return this.m.has(k) ? this.m.get(k) : null; }
  setItem(k, v) { this.m.set(k, String(v)); }
  removeItem(k) { this.m.delete(k); }
}

const fire = (n, recordedAt) => ({ type: 'alert', fire: `al-${n}|t:${n}`, recordedAt });

/** The server's op `fires`: recordedAt > since, oldest first. */
const serverFires = (all, since) => all.filter((f) => f.recordedAt > since).sort((a, b) => a.recordedAt - b.recordedAt);

test('first run for an owner: everything so far is seen (no toasts), later fires are new', () => {
  const s = new MemoryStorage();
  const l = new FireLedger('alice', s);
  assert.equal(l.query(), null);
  l.baseline([fire(1, 1000), fire(2, 2000)]);
  assert.equal(l.since, 2000);
  assert.equal(l.query(), 2000 - MARGIN_MS < 0 ? 0 : 2000 - MARGIN_MS);
  assert.deepEqual(l.acceptAll([fire(1, 1000), fire(2, 2000), fire(3, 3000)]).map((f) => f.fire), ['al-3|t:3']);
  const empty = new FireLedger('carol', s);
  empty.baseline([]);
  assert.equal(empty.query(), 0, 'nothing yet: since 0, every later fire is new');
});

test('a fire that came live and again in the catch-up is shown once; so is one that came twice live', () => {
  const l = new FireLedger('alice', new MemoryStorage());
  l.baseline([]);
  assert.equal(l.accept(fire(1, 50000)), true);
  assert.equal(l.accept(fire(1, 50000)), false);
  assert.deepEqual(l.acceptAll([fire(1, 50000), fire(2, 50001)]).map((f) => f.fire), ['al-2|t:2']);
  assert.equal(l.accept(fire(2, 50001)), false);
  assert.equal(l.accept({ fire: 'x' }), false, 'no recordedAt');
  assert.equal(l.accept(null), false);
});

test('reload: the storage keeps since and the recent ids per owner; other owners are separate', () => {
  const s = new MemoryStorage();
  const a = new FireLedger('alice', s);
  a.baseline([]);
  a.accept(fire(1, 100000));
  a.accept(fire(2, 100500));
  const again = new FireLedger('alice', s);
  assert.equal(again.since, 100500);
  assert.equal(again.query(), 100500 - MARGIN_MS);
  assert.deepEqual(again.acceptAll([fire(1, 100000), fire(2, 100500), fire(3, 100400)]).map((f) => f.fire), ['al-3|t:3']);
  assert.equal(new FireLedger('bob', s).query(), null);
  assert.ok(s.getItem(STORAGE_PREFIX + 'alice'));
  s.setItem(STORAGE_PREFIX + 'zed', '{not json');
  assert.equal(new FireLedger('zed', s).query(), null, 'unreadable storage starts over');
});

test('random interleavings of two aggregators with skewed clocks: every fire shown exactly once', () => {
  for (let round = 0; round < 200; round++) {
    const s = new MemoryStorage();
    let ledger = new FireLedger('o', s);
    ledger.baseline([]);
    const all = [];
    const shown = [];
    let t = 1e6;
    let online = true;
    for (let i = 0; i < 60; i++) {
      t += Math.floor(Math.random() * 2000);
      const skew = Math.random() < 0.5 ? 0 : -Math.floor(Math.random() * (MARGIN_MS - 1)); // the other machine's clock
      const f = fire(i, t + skew);
      all.push(f);
      if (online) {
        if (ledger.accept(f)) shown.push(f.fire);
        if (Math.random() < 0.2 && ledger.accept(f)) shown.push(f.fire); // published twice
      }
      const r = Math.random();
      if (r < 0.1) online = !online;
      if (r < 0.05) ledger = new FireLedger('o', s); // reload
      if (online && r < 0.3) ledger.acceptAll(serverFires(all, ledger.query())).forEach((x) => shown.push(x.fire));
    }
    ledger.acceptAll(serverFires(all, ledger.query())).forEach((x) => shown.push(x.fire));
    assert.deepEqual([...shown].sort(), all.map((f) => f.fire).sort(), `round ${round}`);
  }
});

test('the remembered ids stay bounded', () => {
  const l = new FireLedger('o', new MemoryStorage());
  l.baseline([]);
  for (let i = 0; i < MAX_REMEMBERED + 50; i++) l.accept(fire(i, 1000));
  assert.equal(l.recent.size, MAX_REMEMBERED);
  l.accept(fire('late', 1000 + MARGIN_MS + 1));
  assert.equal(l.recent.size, 1, 'ids older than the margin are dropped');
});

test('planToasts: the newest few, and how many more', () => {
  const f = [1, 2, 3, 4, 5].map((n) => fire(n, n));
  assert.deepEqual(planToasts(f, 3), { show: f.slice(2), more: 2 });
  assert.deepEqual(planToasts(f.slice(0, 2), 3), { show: f.slice(0, 2), more: 0 });
  assert.deepEqual(planToasts([], 3), { show: [], more: 0 });
});

test('AwayWindow: fires recorded while the page was away are a catch-up; the first connect is not a return', () => {
  const w = new AwayWindow();
  const fire = (recordedAt) => ({ fire: 'f' + recordedAt, recordedAt });
  assert.equal(w.missed(fire(5)), false, 'before the first connect: live');
  assert.equal(w.change(true, 100), false, 'the first connect');
  assert.equal(w.missed(fire(50)), false, 'an old fire replayed from since at start is not "while away"');
  assert.equal(w.change(true, 150), false, 'no change');
  assert.equal(w.change(false, 200), false);
  assert.equal(w.missed(fire(10000)), true, 'delivered while down (a resumed stream before connected)');
  assert.equal(w.change(false, 250), false);
  assert.equal(w.change(true, 300), true, 'back');
  assert.equal(w.missed(fire(290)), true);
  assert.equal(w.missed(fire(300)), true);
  assert.equal(w.missed(fire(301)), false, 'recorded after the return: live');
  assert.equal(w.missed({ fire: 'x' }), false, 'no recordedAt');
  w.change(false, 400);
  w.change(true, 500);
  assert.equal(w.missed(fire(450)), true);
  assert.equal(w.back, 500);
});

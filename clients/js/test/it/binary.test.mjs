// Issue 20 against one real Candlecast node (the single-node jar) started for this file: a client with
// encoding 'binary' and one with JSON receive the same live streams; every candle, trade and book both received (the
// same update of the same stream) is the same model.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import WS from 'ws';
import { CandlecastClient } from '../../dist/index.js';
import { startNode, mintToken, until } from './node-fixture.mjs';

let node;
const clients = [];

before(async () => {
  node = await startNode();
});

after(async () => {
  for (const c of clients) await c.close();
  if (node) await node.stop();
});

function client(extra = {}) {
  const c = new CandlecastClient({ url: node.base, token: mintToken('bin'), WebSocket: WS, ...extra });
  clients.push(c);
  return c;
}

/** Items of both lists with the same key: waits for at least `min`, then asserts they are equal. */
async function sameWhereBoth(a, b, key, min, what) {
  const common = () => {
    const kb = new Set(b.map(key));
    return [...new Set(a.map(key).filter((k) => kb.has(k)))];
  };
  await until(() => common().length >= min, 60_000, min + ' ' + what + ' in both encodings');
  const inB = new Map(b.map((x) => [key(x), x]));
  const keys = new Set(common());
  let compared = 0;
  for (const x of a) {
    if (keys.has(key(x))) {
      assert.deepEqual(inB.get(key(x)), x, what + ' ' + key(x));
      compared++;
    }
  }
  assert.ok(compared >= min);
}

test('candles, trades and books are the same models in the JSON and the binary encoding', async () => {
  const json = client();
  const binary = client({ encoding: 'binary' });
  const got = { json: { c: [], t: [], b: [] }, binary: { c: [], t: [], b: [] } };
  const subs = [];
  for (const [name, c] of [['json', json], ['binary', binary]]) {
    const g = got[name];
    subs.push(
      c.candles('BTCUSD', '1s', { onUpdate: (k) => g.c.push(k) }),
      c.trades('BTCUSD', { onUpdate: (t) => g.t.push(t) }),
      c.book('BTCUSD', { depth: 10, onUpdate: (b) => g.b.push(b) }),
    );
  }
  await Promise.all(subs.map((s) => s.ready));
  await sameWhereBoth(got.json.c, got.binary.c, (k) => k.t + '/' + k.trades + '/' + k.closed, 5, 'candle versions');
  await sameWhereBoth(got.json.t, got.binary.t, (t) => t.id, 20, 'trades');
  await sameWhereBoth(got.json.b, got.binary.b, (b) => b.seq, 3, 'books');
  for (const b of got.binary.b) assert.equal(b.bids.length, 10);
  await Promise.all(subs.map((s) => s.close()));
});

import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { CandlecastClient, CandlecastError, decodeBinaryFrame, candleFromFrame, tradeFrom } from '../../dist/index.js';
import { FakeSocket, until } from './fake-socket.mjs';
import { candleBinary, tradesBinary, bookBinary } from './binary-writer.mjs';

beforeEach(() => FakeSocket.reset());

// a small seeded generator: the same frames every run
function rng(seed) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 4294967296);
}

function randomCandle(r) {
  const o = r() * 50000;
  const src = ['', 'exchange', 'import'][Math.floor(r() * 3)];
  const t = 1_700_000_000_000 + Math.floor(r() * 1e6) * 1000;
  const f = {
    type: 'candle', symbol: r() < 0.5 ? 'BTCUSD' : 'ÉTHÜSD', tf: ['1s', '1m', '1h', '1M'][Math.floor(r() * 4)], t,
    open: o, high: o + r(), low: o - r(), close: o + r() - 0.5, volume: r() * 1e5,
    trades: src === '' ? Math.floor(r() * 1e5) : 0, unix_timestamp: t / 1000, time_window_seconds: 60,
    closed: r() < 0.5,
  };
  if (r() < 0.25) f.partial = true;
  if (src !== '') f.src = src;
  return f;
}

test('binary candles, trades and books read back as their JSON frames and the same models', () => {
  const r = rng(20);
  for (let i = 0; i < 2000; i++) {
    const f = randomCandle(r);
    const back = decodeBinaryFrame(candleBinary(f));
    assert.deepEqual(back, f);
    assert.deepEqual(candleFromFrame(back, f.symbol, f.tf), candleFromFrame(JSON.parse(JSON.stringify(f)), f.symbol, f.tf));
  }
  const trades = { type: 'trades', symbol: 'BTCUSD', trades: [] };
  for (let i = 0; i < 300; i++) trades.trades.push({ id: 1000 + i, t: 1_700_000_000_000 + i, p: 30000 + r(), q: r(), side: r() < 0.5 ? 'buy' : 'sell' });
  const tb = decodeBinaryFrame(new Uint8Array(tradesBinary(trades)));
  assert.deepEqual(tb, trades);
  assert.deepEqual(tb.trades.map((t) => tradeFrom(t, 'BTCUSD')), trades.trades.map((t) => tradeFrom(t, 'BTCUSD')));
  const book = { type: 'book', symbol: 'ETHUSD', depth: 25, seq: 77, time: 1_700_000_000_123, bids: [], asks: [] };
  for (let i = 1; i <= 25; i++) { book.bids.push([100 - i * r(), r()]); book.asks.push([100 + i * r(), r()]); }
  assert.deepEqual(decodeBinaryFrame(Buffer.from(bookBinary(book))), book); // a Node Buffer (the `ws` default) too
});

test('every truncation and trailing byte is a bad_response; garbage never throws anything else', () => {
  const r = rng(1);
  const frames = [
    candleBinary(randomCandle(r)),
    tradesBinary({ symbol: 'B', trades: [{ id: 1, t: 2, p: 3.5, q: 0.25, side: 'sell' }] }),
    bookBinary({ symbol: 'B', depth: 10, seq: 1, time: 2, bids: [[1, 2]], asks: [[3, 4]] }),
  ];
  for (const f of frames) {
    const bytes = new Uint8Array(f);
    for (let n = 0; n < bytes.length; n++) {
      assert.throws(() => decodeBinaryFrame(bytes.slice(0, n)), (e) => e instanceof CandlecastError && e.code === 'bad_response', n + ' bytes');
    }
    const longer = new Uint8Array(bytes.length + 1);
    longer.set(bytes);
    assert.throws(() => decodeBinaryFrame(longer), /bytes after a binary frame/);
  }
  assert.throws(() => decodeBinaryFrame(new Uint8Array([9, 1, 0])), /unknown kind 9/);
  assert.throws(() => decodeBinaryFrame(new Uint8Array([1, 2, 0])), /layout version 2/);
  const side = new Uint8Array(tradesBinary({ symbol: 'B', trades: [{ id: 1, t: 2, p: 3, q: 4, side: 'buy' }] }));
  side[side.length - 1] = 7;
  assert.throws(() => decodeBinaryFrame(side), /side 7/);
  const utf = new Uint8Array(tradesBinary({ symbol: 'BT', trades: [] }));
  utf[3] = 0xc3; utf[4] = 0x28;
  assert.throws(() => decodeBinaryFrame(utf), /not UTF-8/);
  for (let i = 0; i < 20000; i++) {
    const noise = new Uint8Array(Math.floor(r() * 80));
    for (let k = 0; k < noise.length; k++) noise[k] = Math.floor(r() * 256);
    if (noise.length > 1 && r() < 0.5) { noise[0] = 1 + Math.floor(r() * 3); noise[1] = 1; }
    try { decodeBinaryFrame(noise); } catch (e) { assert.ok(e instanceof CandlecastError && e.code === 'bad_response', String(e)); }
  }
});

test("encoding 'binary' asks for it, reads binary updates, skips bad ones and stays connected", async () => {
  const c = new CandlecastClient({ url: 'http://node', WebSocket: FakeSocket, random: () => 0, encoding: 'binary' });
  const p = c.connect();
  await until(() => FakeSocket.instances.length > 0, 1000, 'a socket');
  const ws = FakeSocket.last;
  assert.match(ws.url, /\/ws\?encoding=binary$/);
  assert.equal(ws.binaryType, 'arraybuffer');
  ws.open();
  await p;
  const ups = [];
  const sub = c.candles('BTCUSD', '1s', { onUpdate: (k) => ups.push(k) });
  const cmd = ws.lastSent('subscribe');
  ws.push({ type: 'subscription', status: 'subscribed', symbol: 'BTCUSD', tf: '1s', id: cmd.id });
  ws.push({ type: 'snapshot', symbol: 'BTCUSD', tf: '1s', id: cmd.id, time_window_seconds: 1, candles: [] });
  await sub.ready;
  const T = 1_700_000_000_000;
  const one = { type: 'candle', symbol: 'BTCUSD', tf: '1s', t: T, open: 1, high: 2, low: 0.5, close: 1.5, volume: 3, trades: 3, unix_timestamp: T / 1000, time_window_seconds: 1, closed: false };
  const two = { ...one, t: T + 1000, unix_timestamp: T / 1000 + 1, trades: 4, closed: true };
  const good = candleBinary(one);
  ws.onmessage({ data: good });
  ws.onmessage({ data: good.slice(0, 20) });              // truncated: skipped
  ws.onmessage({ data: new Uint8Array([42, 42, 42]).buffer }); // garbage: skipped
  ws.onmessage({ data: candleBinary(two) });
  await until(() => ups.length === 2, 1000, 'two updates');
  assert.deepEqual(ups, [candleFromFrame(one, 'BTCUSD', '1s'), candleFromFrame(two, 'BTCUSD', '1s')]);
  assert.equal(c.state, 'connected');
  await c.close();
  assert.throws(() => new CandlecastClient({ url: 'http://node', encoding: 'protobuf' }), /unknown encoding 'protobuf'/);
});

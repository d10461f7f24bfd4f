// LiveBus against a scripted fake of @vertx/eventbus-bridge-client.js (the real one is exercised by the browser tests).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LiveBus } from '../../main/webroot/js/bus.js';

/** A fake EventBus class whose instances the test opens, closes and feeds by hand. */
function fakeBusClass() {
  const instances = [];
  class FakeEventBus {
    constructor(url) {
      this.url = url;
      this.handlers = {};
      this.log = [];
      instances.push(this);
    }
    registerHandler(address, handler) {
      (this.handlers[address] = this.handlers[address] || []).push(handler);
      this.log.push('register ' + address);
    }
    unregisterHandler(address, handler) {
      this.handlers[address] = (this.handlers[address] || []).filter((h) => h !== handler);
      this.log.push('unregister ' + address);
    }
    close() { this.closedByClient = true; }
    deliver(address, body) { (this.handlers[address] || []).forEach((h) => h(null, { address, body })); }
  }
  return { FakeEventBus, instances };
}

function fakeTimers() {
  const pending = [];
  return {
    pending,
    setTimeout: (f, ms) => { const t = { f, ms }; pending.push(t); return t; },
    clearTimeout: (t) => { const i = pending.indexOf(t); if (i >= 0) pending.splice(i, 1); },
    runNext() { const t = pending.shift(); t.f(); return t.ms; },
  };
}

const tick = () => new Promise((r) => setImmediate(r));

test('registers every subscriber on open, turns connected once all catch-ups settled', async () => {
  const { FakeEventBus, instances } = fakeBusClass();
  const states = [];
  const bus = new LiveBus({ url: '/eventbus', EventBus: FakeEventBus, onState: (s) => states.push(s), timers: fakeTimers() });
  const got = [];
  let release;
  const gate = new Promise((r) => { release = r; });
  bus.subscribe('candles.BTCUSD.1s', (b) => got.push(b), () => gate);
  bus.subscribe('ticker.BTCUSD', (b) => got.push(b));
  bus.start();
  const eb = instances[0];
  assert.equal(eb.url, '/eventbus');
  eb.onopen();
  assert.deepEqual(eb.log, ['register candles.BTCUSD.1s', 'register ticker.BTCUSD']);
  await tick();
  assert.deepEqual(states, [], 'not connected while a catch-up is running');
  release();
  await tick();
  assert.deepEqual(states, ['connected']);
  eb.deliver('candles.BTCUSD.1s', { t: 1 });
  eb.deliver('ticker.BTCUSD', { last: 2 });
  assert.deepEqual(got, [{ t: 1 }, { last: 2 }]);
});

test('a drop reconnects with back-off, goes offline after 4 failures, and re-registers on success', async () => {
  const { FakeEventBus, instances } = fakeBusClass();
  const states = [];
  const timers = fakeTimers();
  const bus = new LiveBus({ url: '/eventbus', EventBus: FakeEventBus, onState: (s) => states.push(s), timers });
  let catchUps = 0;
  bus.subscribe('candles.ETHUSD.1m', () => {}, () => { catchUps++; });
  bus.start();
  instances[0].onopen();
  await tick();
  instances[0].onclose();
  assert.equal(bus.state, 'reconnecting');
  const delays = [];
  for (let i = 1; i <= 5; i++) {
    delays.push(timers.runNext());
    instances[i].onclose(); // the attempt fails
  }
  assert.equal(bus.state, 'offline');
  assert.ok(delays[0] >= 375 && delays[0] <= 625, `first delay ${delays[0]}`);
  assert.ok(delays[4] > delays[0] * 8, 'delays grow');
  timers.runNext();
  const eb = instances[6];
  eb.onopen();
  await tick();
  assert.equal(bus.state, 'connected');
  assert.deepEqual(eb.log, ['register candles.ETHUSD.1m']);
  assert.equal(catchUps, 2);
  assert.equal(bus.attempts, 0);
  assert.deepEqual(states, ['connected', 'reconnecting', 'offline', 'connected']);
});

test('a URL function is asked on every connect (the access token may have changed meanwhile)', () => {
  const { FakeEventBus, instances } = fakeBusClass();
  const timers = fakeTimers();
  let token = 'old';
  const bus = new LiveBus({ url: () => '/eventbus?access_token=' + token, EventBus: FakeEventBus, onState: () => {}, timers });
  bus.start();
  assert.equal(instances[0].url, '/eventbus?access_token=old');
  instances[0].onclose(); // e.g. refused with 401
  token = 'new';
  bus.retryNow();
  assert.equal(instances[1].url, '/eventbus?access_token=new');
  assert.equal(timers.pending.length, 0, 'the pending retry was replaced by the connect');
});

test('events of a replaced connection are ignored', async () => {
  const { FakeEventBus, instances } = fakeBusClass();
  const timers = fakeTimers();
  const bus = new LiveBus({ url: '/eventbus', EventBus: FakeEventBus, onState: () => {}, timers });
  bus.start();
  const first = instances[0];
  first.onclose();
  timers.runNext();
  first.onopen(); // late event from the dead connection
  first.onclose();
  assert.equal(bus.open, false);
  assert.equal(timers.pending.length, 0, 'no second retry scheduled by the stale connection');
  instances[1].onopen();
  await tick();
  assert.equal(bus.state, 'connected');
});

test('subscribe while open registers at once; close unregisters and stops delivery', async () => {
  const { FakeEventBus, instances } = fakeBusClass();
  const bus = new LiveBus({ url: '/eventbus', EventBus: FakeEventBus, onState: () => {}, timers: fakeTimers() });
  bus.start();
  instances[0].onopen();
  let opened = 0;
  const got = [];
  const sub = bus.subscribe('candles.BTCUSD.5m', (b) => got.push(b), () => { opened++; });
  await tick();
  assert.equal(opened, 1);
  instances[0].deliver('candles.BTCUSD.5m', 1);
  sub.close();
  instances[0].deliver('candles.BTCUSD.5m', 2);
  assert.deepEqual(got, [1]);
  assert.deepEqual(instances[0].log, ['register candles.BTCUSD.5m', 'unregister candles.BTCUSD.5m']);
  sub.close(); // twice is harmless
});

test('a refused registration and a failing constructor are reported, not thrown', () => {
  const problems = [];
  const timers = fakeTimers();
  const Broken = function () { throw new Error('no SockJS'); };
  const bus = new LiveBus({ url: '/eventbus', EventBus: Broken, onState: () => {}, onProblem: (p) => problems.push(p), timers });
  bus.start();
  assert.deepEqual(problems, ['event bus: no SockJS']);
  assert.equal(bus.state, 'reconnecting');
  assert.equal(timers.pending.length, 1);

  const { FakeEventBus, instances } = fakeBusClass();
  const bus2 = new LiveBus({ url: '/eventbus', EventBus: FakeEventBus, onState: () => {}, onProblem: (p) => problems.push(p), timers: fakeTimers() });
  bus2.subscribe('candles.XX.1m', () => assert.fail('no message expected'));
  bus2.start();
  instances[0].onopen();
  instances[0].handlers['candles.XX.1m'][0]({ failureType: 'access_denied' });
  assert.equal(problems[1], 'event bus refused candles.XX.1m: access_denied');
});

test('request() resolves with the reply body, rejects with the server failure, a drop, or a timeout', async () => {
  const { FakeEventBus, instances } = fakeBusClass();
  const timers = fakeTimers();
  const bus = new LiveBus({ url: '/eventbus', EventBus: FakeEventBus, onState: () => {}, timers });
  await assert.rejects(bus.request('candlecast.analysis', {}), /not connected/);
  bus.start();
  const eb = instances[0];
  const sent = [];
  eb.send = (address, body, headers, cb) => sent.push({ address, body, cb });
  eb.onopen();
  const ok = bus.request('candlecast.analysis', { symbol: 'BTCUSD', name: 'rsi' });
  assert.equal(sent[0].address, 'candlecast.analysis');
  assert.deepEqual(sent[0].body, { symbol: 'BTCUSD', name: 'rsi' });
  sent[0].cb(null, { body: { key: 'rsi:14', points: [] } });
  assert.deepEqual(await ok, { key: 'rsi:14', points: [] });

  const bad = bus.request('candlecast.analysis', {});
  sent[1].cb({ failureCode: 400, failureType: 'RECIPIENT_FAILURE', message: "unknown indicator 'foo'" }, null);
  await assert.rejects(bad, (e) => e.code === 400 && /unknown indicator 'foo'/.test(e.message));

  const slow = bus.request('candlecast.analysis', {}, 2000);
  const timeout = timers.pending.find((t) => t.ms === 2000);
  timers.pending.splice(timers.pending.indexOf(timeout), 1);
  timeout.f();
  await assert.rejects(slow, /no reply within 2000 ms/);
  sent[2].cb(null, { body: 'late' }); // a reply after the timeout changes nothing

  const lost = bus.request('candlecast.analysis', {});
  eb.onclose();
  await assert.rejects(lost, /connection lost/);
  assert.equal(bus.pending.size, 0);
});

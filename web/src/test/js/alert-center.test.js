// AlertCenter on a fake live connection and a fake REST server: the start's catch-up, the alerts stream subscribed
// from the ledger's since, live fires shown at once, fires of a resumed stream recorded while away shown as one
// catch-up (the newest 3 and a summary), each fire once; notices from the client.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AlertCenter, CATCH_UP_GATHER_MS } from '../../main/webroot/js/alert-center.js';
import { fireText } from '../../main/webroot/js/alerts.js';

const wait = (ms) => new Promise((r) => setTimeout(r, ms));

function fakeStorage() {
  const m = new Map();
  return { getItem: (k) => (m.has(k) ? m.get(k) : null), setItem: (k, v) => m.set(k, String(v)), removeItem: (k) => m.delete(k) };
}

function setup(serverFires, storage = fakeStorage()) {
  const requests = [];
  globalThis.fetch = async (url) => {
    requests.push(url);
    const body = url.startsWith('/api/alerts/fires') ? { fires: serverFires.filter((f) => f.recordedAt > Number(new URL(url, 'http://x').searchParams.get('since'))) }
      : { alerts: [] };
    return { ok: true, status: 200, text: async () => JSON.stringify(body) };
  };
  const subs = [];
  const noticeFns = [];
  const live = {
    alerts(since, h) { const s = { since, h }; subs.push(s); return { ready: Promise.resolve(true), close: async () => {} }; },
    onNotice(f) { noticeFns.push(f); return () => {}; },
  };
  const toasts = { shown: [], show(t, kind) { this.shown.push([kind, t.title]); } };
  const banner = { rendered: [], render(list) { this.rendered.push(list.map((n) => n.id)); } };
  const center = new AlertCenter({
    owner: 'alice', live, auth: { get: () => null, headers: (h) => h, renew: async () => false }, storage,
    panel: { message() {}, setAlerts() {}, setSymbol() {} }, toasts,
    notifier: { sent: 0, notify() { this.sent++; }, ask() {} }, banner,
    time: (ms) => String(ms), colors: () => ({}),
  });
  return { center, subs, requests, toasts, banner, noticeFns, storage };
}

const fire = (n, recordedAt) => ({
  type: 'alert', fire: `al-1|t:${n}`, alert: 'al-1', owner: 'alice', symbol: 'BTCUSD', kind: 'price_above',
  condition: { kind: 'price_above', level: 100 }, trade: { price: 101 }, firedAt: recordedAt, recordedAt, seq: n,
});
const client = (f) => ({ fire: f.fire, recordedAt: f.recordedAt, raw: f }); // a client AlertFire

test('first run: old fires are a baseline, the stream starts from the newest; live fires show at once, each once', async () => {
  const { center, subs, toasts, requests } = setup([fire(1, 1000), fire(2, 2000)]);
  center.start();
  await wait(5);
  assert.ok(requests.includes('/api/alerts/fires?since=0&limit=500'));
  assert.equal(subs.length, 1);
  assert.equal(subs[0].since, 2000 - 10000 < 0 ? 0 : 2000 - 10000, 'from the ledger, minus its margin');
  assert.deepEqual(toasts.shown, [], 'no toasts for history');
  center.connection('connecting', 0);
  center.connection('connected', 2500);
  subs[0].h.onUpdate(client(fire(2, 2000)));        // replayed from since: already seen
  subs[0].h.onUpdate(client(fire(3, 3000)));        // live
  subs[0].h.onUpdate(client(fire(3, 3000)));        // again
  subs[0].h.onUpdate(client({ ...fire(4, 3100), owner: 'bob' }));
  assert.deepEqual(toasts.shown, [['fire', fireText(fire(3, 3000)).title]]);
  assert.equal(center.counters.live, 1);
  assert.equal(center.counters.catchUps, 1, 'the start catch-up; the first connect is no return');
});

test('fires recorded while the page was away come as one catch-up: the newest 3 and a summary', async () => {
  const { center, subs, toasts } = setup([]);
  center.start();
  await wait(5);
  center.connection('connected', 1000);
  center.connection('reconnecting', 2000);
  center.connection('offline', 2500);
  center.connection('connected', 9000);
  assert.equal(center.counters.catchUps, 2);
  for (let i = 1; i <= 5; i++) subs[0].h.onUpdate(client(fire(i, 2000 + i * 1000)));
  subs[0].h.onUpdate(client(fire(9, 9500)));        // recorded after the return: live, at once
  assert.deepEqual(toasts.shown.map((t) => t[0]), ['fire']);
  await wait(CATCH_UP_GATHER_MS + 50);
  assert.deepEqual(toasts.shown.map((t) => t[0]), ['fire', 'fire', 'fire', 'fire', 'info']);
  assert.equal(toasts.shown.at(-1)[1], '2 more alert fires while away');
  assert.equal(center.counters.caughtUp, 5);
  assert.deepEqual(center.fires.map((f) => f.fire).slice(1), ['al-1|t:3', 'al-1|t:4', 'al-1|t:5']);
});

test('a reload asks for what it missed and the stream repeats nothing; notices reach the banner', async () => {
  const storage = fakeStorage();
  const first = setup([fire(1, 1000)], storage);
  first.center.start();
  await wait(5);
  first.center.connection('connected', 1500);
  first.subs[0].h.onUpdate(client(fire(2, 2000)));
  const second = setup([fire(1, 1000), fire(2, 2000), fire(3, 3000)], storage);
  second.center.start();
  await wait(5);
  assert.deepEqual(second.toasts.shown.map((t) => t[0]), ['fire'], 'only fire 3 was missed');
  assert.equal(second.center.counters.caughtUp, 1);
  second.subs[0].h.onUpdate(client(fire(3, 3000)));
  second.subs[0].h.onUpdate(client(fire(2, 2000)));
  assert.equal(second.toasts.shown.length, 1);
  second.center.setActiveSymbol('BTCUSD');
  second.noticeFns[0]({ id: 'n-1', text: 'hello', level: 'info', symbol: null });
  second.noticeFns[0]({ id: 'n-2', text: 'eth', level: 'info', symbol: 'ETHUSD' });
  second.noticeFns[0]({ id: 'n-1', text: 'hello', level: 'info', symbol: null });
  assert.deepEqual(second.banner.rendered.at(-1), ['n-1']);
});

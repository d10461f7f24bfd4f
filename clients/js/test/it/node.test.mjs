// Integration tests against one real Candlecast node (the single-node jar) started for this file.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import WS from 'ws';
import { CandlecastClient, CandlecastError } from '../../dist/index.js';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startNode, mintToken, until } from './node-fixture.mjs';

const root = fileURLToPath(new URL('../../../../', import.meta.url));

/** Runs a node script of the repository; resolves with its stdout and stderr. */
function run(script, args, env = {}) {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [script, ...args], { cwd: root, env: { ...process.env, ...env }, timeout: 60_000 },
      (err, stdout, stderr) => (err ? reject(Object.assign(err, { stdout, stderr })) : resolve({ stdout, stderr })));
  });
}

let node;
const alice = mintToken('alice');
const operator = mintToken('ops', { role: 'operator' });
const clients = [];

before(async () => {
  node = await startNode();
});

after(async () => {
  for (const c of clients) await c.close();
  if (node) await node.stop();
});

function client(extra = {}) {
  const c = new CandlecastClient({ url: node.base, token: alice, ...extra });
  clients.push(c);
  return c;
}

/** GET on the node with a token, no client code involved (the oracle side). */
async function oracle(path, token = alice) {
  const r = await fetch(node.base + path, { headers: { Authorization: 'Bearer ' + token } });
  assert.equal(r.status, 200, path + ' → ' + r.status);
  return r.json();
}

async function forceDisconnect() {
  const r = await fetch(node.base + '/api/connections/close?reason=js-client-test', {
    method: 'POST', headers: { Authorization: 'Bearer ' + operator },
  });
  assert.equal(r.status, 202);
}

test('forced server-side disconnect: closed 1s candles and trades stay contiguous, each once, equal to REST', async () => {
  const c = client();
  const states = [];
  c.onState((s, d) => states.push({ s, at: Date.now(), delay: d.delayMs }));
  const closed = [];
  const trades = [];
  const candles = c.candles('BTCUSD', '1s', {
    onSnapshot: (s) => { for (const k of s.candles) if (k.closed) closed.push(k); },
    onUpdate: (k) => { if (k.closed) closed.push(k); },
  });
  const tape = c.trades('BTCUSD', {
    onSnapshot: (s) => trades.push(...s.trades),
    onUpdate: (t) => trades.push(t),
  });
  const points = [];
  const sma = c.indicator('BTCUSD', '1s', 'sma', { period: 5 }, {
    limit: 50,
    onSnapshot: (s) => { for (const p of s.points) if (p.closed) points.push(p); },
    onUpdate: (p) => { if (p.closed) points.push(p); },
  });
  await Promise.all([candles.ready, tape.ready, sma.ready]);
  const firstLive = closed.length;
  await until(() => closed.length >= firstLive + 3, 20_000, '3 live closed candles');
  await forceDisconnect();
  await until(() => states.some((x) => x.s === 'reconnecting'), 10_000, 'the drop');
  await until(() => c.state === 'connected', 20_000, 'the reconnect');
  const reconnected = states.findLast((x) => x.s === 'connected').at;
  const dropped = states.find((x) => x.s === 'reconnecting');
  assert.ok(dropped.delay < 500, 'close 1012 reconnects within 500 ms, got ' + dropped.delay);
  const atReconnect = closed.length;
  await until(() => closed.length >= atReconnect + 3, 20_000, '3 closed candles after the reconnect');
  assert.ok(Date.now() > reconnected);
  assert.equal(candles.stats.resumes, 1);
  assert.equal(candles.stats.unrecovered, 0);
  assert.equal(tape.stats.resumes, 1);
  assert.equal(sma.stats.resumes, 1);

  // candles: a contiguous run of windows, none twice, equal to GET /api/candles (o/h/l/c/v/n)
  for (let i = 1; i < closed.length; i++) {
    assert.equal(closed[i].t, closed[i - 1].t + 1000, 'window after ' + closed[i - 1].t);
  }
  const from = closed[0].t;
  const to = closed[closed.length - 1].t;
  const rest = await oracle('/api/candles?symbol=BTCUSD&tf=1s&limit=5000&from=' + from + '&to=' + to);
  assert.equal(rest.length, closed.length);
  rest.forEach((r, i) => {
    const k = closed[i];
    assert.deepEqual([k.t, k.open, k.high, k.low, k.close, k.volume, k.trades, k.closed],
      [r.t, r.o, r.h, r.l, r.c, r.v, r.n, r.x], 'candle ' + r.t);
  });

  // trades: no duplicate ids, equal to GET /api/trades?since=<first id> paged forward over the span
  const ids = trades.map((t) => t.id);
  assert.equal(new Set(ids).size, ids.length, 'no duplicate trade');
  const expected = [];
  let since = ids[0];
  while (expected.length < ids.length - 1) {
    const page = await oracle('/api/trades?symbol=BTCUSD&limit=1000&since=' + since);
    if (page.length === 0) break;
    expected.push(...page);
    since = page[page.length - 1].id;
  }
  const delivered = trades.slice(1);
  assert.deepEqual(delivered.map((t) => [t.id, t.t, t.price, t.amount, t.side]),
    expected.slice(0, delivered.length).map((t) => [t.id, t.t, t.p, t.q, t.side]));
  assert.ok(delivered.length > 20, 'trades flowed: ' + delivered.length);

  // indicator points: closed windows contiguous across the drop, each once, equal to GET /api/indicators
  await until(() => points.length && points.at(-1).t >= to, 10_000, 'the indicator to reach the last candle');
  for (let i = 1; i < points.length; i++) assert.equal(points[i].t, points[i - 1].t + 1000, 'point after ' + points[i - 1].t);
  const pFrom = points[0].t;
  const pTo = points.at(-1).t;
  const restPoints = await oracle('/api/indicators?symbol=BTCUSD&tf=1s&name=sma&period=5&limit=5000&from=' + pFrom + '&to=' + pTo);
  assert.deepEqual(points.map((p) => [p.t, p.values.value]), restPoints.filter((p) => p.closed).map((p) => [p.t, p.value]));
  await c.close();
});

test('server errors map to CandlecastError codes: bad_symbol, unknown_symbol, unknown_timeframe, unknown_channel, bad_field', async () => {
  const c = client();
  await assert.rejects(c.candles('B$D', '1m').ready, (e) => e instanceof CandlecastError && e.code === 'bad_symbol');
  await assert.rejects(c.candles('NOPE1', '1m').ready, (e) => e.code === 'unknown_symbol');
  await assert.rejects(c.candles('BTCUSD', '7m').ready, (e) => e.code === 'unknown_timeframe');
  await assert.rejects(c.request({ type: 'subscribe', channel: 'weather', symbol: 'BTCUSD' }), (e) => e.code === 'unknown_channel');
  await assert.rejects(c.book('BTCUSD', { depth: 7 }).ready, (e) => e.code === 'bad_field');
  await assert.rejects(c.indicator('BTCUSD', '1m', 'nope', {}).ready, (e) => e.code === 'unknown_indicator');
  await assert.rejects(c.indicator('BTCUSD', '1m', 'rsi', { period: 0 }).ready, (e) => e.code === 'bad_params');
  await assert.rejects(c.request({ type: 'teleport' }), (e) => e.code === 'unknown_type');
  await assert.rejects(c.getAlert('al-0000000000'), (e) => e.code === 'not_found');
  await assert.rejects(c.createAlert({ symbol: 'BTCUSD', condition: { kind: 'price_above' } }), (e) => e.code === 'bad_alert');
  // the refused subscriptions were not kept
  const list = await c.request({ type: 'list' });
  assert.deepEqual(list.subscriptions, []);
  assert.equal(c.state, 'connected');
});

test('REST errors: unknown_symbol 404, bad_request 400, unauthorized 401, forbidden 403', async () => {
  const c = client();
  await assert.rejects(c.history.candles('NOPE1', '1m'), (e) => e.code === 'unknown_symbol' && e.status === 404);
  await assert.rejects(c.history.candles('BTCUSD', '7m'), (e) => e.code === 'bad_request' && e.status === 400 && /7m/.test(e.message));
  await assert.rejects(c.rest('/api/connections/close', { method: 'POST' }), (e) => e.code === 'forbidden' && e.status === 403);
  const bad = client({ token: 'not.a.jwt' });
  await assert.rejects(bad.history.trades('BTCUSD'), (e) => e.code === 'unauthorized' && e.status === 401);
});

test('a bad token ends the connection as unauthorized after one attempt (no retry loop)', async () => {
  const c = client({ token: mintToken('mallory', {}, 'another-secret-that-is-long-enough-0123456789') });
  const states = [];
  c.onState((s, d) => states.push(s + (d.error ? ':' + d.error.code : '')));
  await assert.rejects(c.connect(), (e) => e.code === 'unauthorized' && e.status === 401);
  await new Promise((r) => setTimeout(r, 1000));
  assert.deepEqual(states, ['connecting', 'closed:unauthorized']);
});

test('a request without an answer times out (frames of the command dropped by the socket)', async () => {
  class Muted extends WS {
    send(data, ...rest) {
      if (String(data).includes('"list"')) return;
      super.send(data, ...rest);
    }
  }
  const c = client({ WebSocket: Muted, requestTimeoutMs: 300 });
  await c.connect();
  await assert.rejects(c.request({ type: 'list' }), (e) => e.code === 'timeout');
  assert.equal((await c.request({ type: 'ping' })).type, 'pong');
});

test('ticker, book, indicator, risk, patterns and portfolio stream typed items', async () => {
  const c = client();
  const got = { ticker: [], book: [], rsi: [], risk: [], portfolio: [] };
  const subs = [
    c.ticker('btc-usd', { onUpdate: (t) => got.ticker.push(t) }),
    c.book('BTCUSD', { depth: 10, onUpdate: (b) => got.book.push(b) }),
    c.indicator('BTCUSD', '1s', 'rsi', { period: 14 }, { limit: 50, onSnapshot: (s) => got.rsiSnap = s, onUpdate: (p) => got.rsi.push(p) }),
    c.risk('BTCUSD', '1s', { window: 10 }, { onUpdate: (p) => got.risk.push(p) }),
    c.patterns('BTCUSD', '1s', { lookback: 5 }, {}),
    c.portfolio({ onUpdate: (p) => got.portfolio.push(p) }),
  ];
  await Promise.all(subs.map((s) => s.ready));
  await until(() => got.ticker.length && got.book.length && got.rsi.length && got.risk.length && got.portfolio.length, 20_000, 'items of every stream');
  const t = got.ticker[0];
  assert.equal(t.symbol, 'BTCUSD');
  assert.ok(Number.isFinite(t.last) && Number.isFinite(t.changePct) && Number.isFinite(t.open24h));
  const b = got.book.at(-1);
  assert.ok(b.bids.length > 0 && b.bids.length <= 10 && b.bids[0][0] < b.asks[0][0], 'an uncrossed book');
  assert.equal(got.rsiSnap.key, 'rsi:14');
  assert.deepEqual(got.rsiSnap.fields, ['value']);
  const p = got.rsi.at(-1);
  assert.ok(p.values.value >= 0 && p.values.value <= 100);
  assert.deepEqual(Object.keys(got.risk.at(-1).values).sort(), ['max_drawdown', 'return', 'volatility']);
  assert.equal(got.portfolio[0].owner, 'alice');
  // the ticker equals REST's
  const rest = await oracle('/api/ticker?symbol=BTCUSD');
  assert.equal(rest.symbol, 'BTCUSD');
  await Promise.all(subs.map((s) => s.close()));
  assert.deepEqual((await c.request({ type: 'list' })).subscriptions, []);
});

test('alerts over /ws: create, list, get, the fire stream, delete; operator notices arrive', async () => {
  const c = client();
  const fires = [];
  const notices = [];
  c.onNotice((n) => notices.push(n));
  const stream = c.alerts({ onUpdate: (f) => fires.push(f) });
  await stream.ready;
  const tk = await oracle('/api/ticker?symbol=BTCUSD');
  const created = await c.createAlert({ symbol: 'btc-usd', condition: { kind: 'move_up', pct: 0.0001, window: '30s' }, note: 'js it' });
  assert.match(created.id, /^al-/);
  assert.equal(created.symbol, 'BTCUSD');
  assert.ok((await c.listAlerts({ symbol: 'BTCUSD' })).some((a) => a.id === created.id));
  await until(() => fires.some((f) => f.alert === created.id), 30_000, 'a fire of the alert');
  const fire = fires.find((f) => f.alert === created.id);
  assert.equal(fire.owner, 'alice');
  assert.equal(fire.kind, 'move_up');
  assert.ok(fire.recordedAt >= fire.firedAt - 60_000 && typeof fire.raw === 'object');
  const detail = await c.getAlert(created.id);
  assert.equal(detail.alert.id, created.id);
  assert.deepEqual(await c.deleteAlert(created.id).then((r) => r.alertId), created.id);
  void tk;
  const r = await fetch(node.base + '/api/notices', {
    method: 'POST', headers: { Authorization: 'Bearer ' + operator, 'Content-Type': 'application/json' },
    body: JSON.stringify({ text: 'js client test notice', level: 'warning' }),
  });
  assert.equal(r.status, 202);
  await until(() => notices.length > 0, 10_000, 'the notice');
  assert.equal(notices[0].text, 'js client test notice');
  assert.equal(notices[0].level, 'warning');
});

test('alerts before any fire: a fire recorded while the client is kept off arrives once after the reconnect, equal to REST', async () => {
  const owner = 'resume-js-' + Date.now();
  const tok = mintToken(owner);
  let blocked = false;
  const c = client({ token: () => (blocked ? 'refused' : tok), backoff: { initialMs: 100, maxMs: 300 } });
  const states = [];
  c.onState((s) => states.push(s));
  const fires = [];
  await c.alerts({ onUpdate: (f) => fires.push(f) }).ready;
  blocked = true;
  await forceDisconnect();
  await until(() => states.includes('reconnecting'), 10_000, 'the drop');
  const r = await fetch(node.base + '/api/alerts', {
    method: 'POST', headers: { Authorization: 'Bearer ' + tok, 'Content-Type': 'application/json' },
    body: JSON.stringify({ symbol: 'ETHUSD', mode: 'once', condition: { kind: 'move_up', pct: 0.0001, window: '5s' } }),
  });
  assert.equal(r.status, 201);
  let logged = [];
  await until(async () => (logged = (await oracle('/api/alerts/fires?since=0', tok)).fires).length > 0, 30_000, 'a recorded fire');
  assert.equal(logged.length, 1);
  assert.equal(c.isConnected(), false, 'the client is still kept off');
  assert.equal(fires.length, 0);
  blocked = false;
  await until(() => fires.length > 0, 30_000, 'the fire after the reconnect');
  await until(() => c.isConnected(), 10_000, 'connected');
  const settle = Date.now() + 1000;
  await until(() => Date.now() > settle, 2000, 'a second for any duplicate');
  assert.deepEqual(fires.map((f) => f.fire), [logged[0].fire], 'exactly once, by id');
  assert.deepEqual(fires[0].raw, logged[0]);
});

test('history over REST and historyBatch over /ws equal each other and the oracle', async () => {
  const c = client();
  const newest = await oracle('/api/candles?symbol=BTCUSD&tf=1m&limit=2');
  const to = newest[0].t; // closed: its values no longer change
  const rest = await oracle('/api/candles?symbol=BTCUSD&tf=1m&limit=50&to=' + to);
  const viaClient = await c.history.candles('BTCUSD', '1m', { limit: 50, to });
  assert.deepEqual(viaClient.map((k) => [k.t, k.open, k.close, k.volume, k.trades]), rest.map((r) => [r.t, r.o, r.c, r.v, r.n]));
  const paged = await c.history.candles('BTCUSD', '1s', { limit: 6000 });
  assert.equal(paged.length, 6000);
  for (let i = 1; i < paged.length; i++) assert.equal(paged[i].t, paged[i - 1].t + 1000);
  const progress = [];
  const batch = await c.historyBatch(['BTCUSD', 'ETH-USD', 'NOPE1'], '1m', { limit: 50, to }, (p) => progress.push(p.progress));
  assert.deepEqual(progress.filter(Boolean), ['1/3', '2/3', '3/3']);
  assert.deepEqual(batch.BTCUSD.map((k) => [k.t, k.open, k.close, k.volume, k.trades]), rest.map((r) => [r.t, r.o, r.c, r.v, r.n]));
  assert.equal(batch.ETHUSD.length, 50);
  assert.ok(batch.NOPE1 instanceof CandlecastError && batch.NOPE1.code === 'unknown_symbol');
  const tr = await c.history.trades('BTCUSD', { limit: 20 });
  assert.equal(tr.length, 20);
});

test('the async iterator streams a snapshot then live candles from the real node', async () => {
  const c = client();
  let snapshot = null;
  let updates = 0;
  for await (const item of c.candles('ETHUSD', '1s')) {
    if (item.kind === 'snapshot') snapshot = item.data;
    else updates++;
    if (updates >= 3) break;
  }
  assert.equal(snapshot.symbol, 'ETHUSD');
  assert.equal(snapshot.recovered, null);
  assert.ok(snapshot.candles.length > 0);
  await until(async () => (await c.request({ type: 'list' })).subscriptions.length === 0, 5000, 'the unsubscribe');
});

test('bench driver: consume counts typed candles with both APIs; follow prints states, a snapshot and candles', async () => {
  const driver = 'bench/clients/js/driver.mjs';
  for (const api of ['callbacks', 'iterator']) {
    const { stdout } = await run(driver, ['consume', '--url', node.base, '--symbol', 'BTCUSD', '--tf', '1s', '--count', '20', '--api', api, '--token', alice]);
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(lines.length, 1, stdout);
    assert.equal(lines[0].lang, 'js');
    assert.equal(lines[0].api, api);
    assert.equal(lines[0].count, 20);
    assert.ok(lines[0].seconds > 0 && Math.abs(lines[0].rate - 20 / lines[0].seconds) < 1e-6);
  }
  const { stdout } = await run(driver, ['follow', '--url', node.base, '--symbol', 'BTCUSD', '--tf', '1s', '--seconds', '5', '--token', alice]);
  const items = stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(items.filter((i) => i.kind === 'state').map((i) => i.state), ['connecting', 'connected', 'closed'], stdout);
  const snap = items.find((i) => i.kind === 'snapshot');
  assert.equal(snap.recovered, null);
  assert.ok(snap.count > 0);
  const closed = items.filter((i) => i.kind === 'candle' && i.closed);
  assert.ok(closed.length >= 1, 'a closed candle in 5 s: ' + stdout);
  for (let i = 1; i < closed.length; i++) assert.equal(closed[i].t, closed[i - 1].t + 1000, stdout);
  await assert.rejects(run(driver, ['consume', '--url', node.base]), (e) => e.code === 2 && /--symbol is required/.test(e.stderr));
});

test('examples run against the node: live candles, ticker, bot skeleton', async () => {
  const env = { CANDLECAST_URL: node.base, CANDLECAST_TOKEN: alice, CANDLECAST_RUN_SECONDS: '3' };
  const live = await run('clients/js/examples/live-candles.mjs', ['ETHUSD'], env);
  assert.match(live.stdout, /ETHUSD 1m O [\d.]+ H [\d.]+ L [\d.]+ C [\d.]+/);
  const ticker = await run('clients/js/examples/ticker.mjs', ['BTCUSD', 'ETHUSD'], env);
  assert.match(ticker.stdout, /BTCUSD +[\d.]+ [+-][\d.]+%/);
  const bot = await run('clients/js/examples/bot.mjs', ['BTCUSD'], env);
  assert.match(bot.stdout, /\[rsi\] \d+ points of history/);
  assert.match(bot.stdout, /\[alert\] created al-/);
  const c = client();
  assert.deepEqual((await c.listAlerts()).filter((a) => a.note === 'bot skeleton'), [], 'the bot deleted its alert');
});

/** A socket shaped like a browser's: no headers, and a failed handshake says nothing but "error" and 1006. */
class BrowserLike {
  static urls = [];
  constructor(url) {
    BrowserLike.urls.push(url);
    const ws = new WS(url);
    ws.onopen = () => this.onopen?.({});
    ws.onmessage = (e) => this.onmessage?.({ data: e.data });
    ws.onerror = () => this.onerror?.({ type: 'error' });
    ws.onclose = (e) => this.onclose?.({ code: e.code, reason: e.reason });
    this.ws = ws;
  }
  send(d) {
    this.ws.send(d);
  }
  close(code, reason) {
    this.ws.close(code, reason);
  }
}

test('browser-shaped socket: the token rides in ?access_token=; a bad one is recognised by the REST probe', async () => {
  BrowserLike.urls = [];
  const c = client({ WebSocket: BrowserLike });
  const sub = c.candles('BTCUSD', '1m');
  await sub.ready;
  assert.equal(BrowserLike.urls.length, 1);
  assert.equal(new URL(BrowserLike.urls[0]).searchParams.get('access_token'), alice);
  const bad = client({ WebSocket: BrowserLike, token: 'not.a.jwt' });
  await assert.rejects(bad.connect(), (e) => e.code === 'unauthorized' && e.status === 401);
  assert.equal(BrowserLike.urls.length, 2, 'one attempt, no retry');
});

test('a burst of commands is paced under the server rate limit: every one answered, none refused', async () => {
  const c = client();
  await c.connect();
  const errors = [];
  c.onError((e) => errors.push(e.code));
  const started = Date.now();
  const results = await Promise.allSettled(Array.from({ length: 60 }, () => c.request({ type: 'ping' })));
  const codes = results.map((r) => (r.status === 'fulfilled' ? r.value.type : r.reason.code));
  assert.deepEqual([...new Set(codes)], ['pong'], codes.join(','));
  assert.ok(Date.now() - started >= 1000, '24 frames beyond the burst of 36 take over a second at 18/s');
  assert.deepEqual(errors, []);
  // the server's limit is real: a socket without pacing hits it
  const raw = new WS(node.base.replace('http', 'ws') + '/ws?access_token=' + alice);
  const frames = [];
  raw.on('message', (d) => frames.push(JSON.parse(d)));
  await new Promise((r) => raw.on('open', r));
  for (let i = 0; i < 60; i++) raw.send(JSON.stringify({ type: 'ping', id: i }));
  await until(() => frames.some((f) => f.code === 'rate_limited'), 5000, 'the server refusing');
  assert.equal(frames.find((f) => f.code === 'rate_limited').id, undefined, 'the refusal carries no id');
  raw.close();
});

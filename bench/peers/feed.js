'use strict';
const http = require('http');
// The candle stream every fan-out peer is fed, the same one the Candlecast gateway gets: one pre-encoded candle
// update (Candlecast's /ws frame shape) per message, with the send time embedded as epoch microseconds in one numeric
// field ("trades", as bench/fanout's BenchServer does for the gateway), emitted at a fixed offered rate from a 1 ms
// timer (the messages due are sent each tick, so the long-run rate is exact). Rate control: see startAdmin.

const TF_SECONDS = { '1s': 1, '1m': 60, '5m': 300, '15m': 900, '1h': 3600, '4h': 14400, '1d': 86400 };
const TIMEFRAMES = Object.keys(TF_SECONDS);
const SYMBOL = /^[A-Z0-9]{2,20}$/;

// Wall-clock epoch microseconds (performance.timeOrigin is a high-resolution wall-clock reading taken at start).
const { performance } = require('perf_hooks');
const nowMicros = () => Math.round((performance.timeOrigin + performance.now()) * 1000);

/** "sub-1s", "sub-5m:ETHUSD" → {symbol, tf} or {error}; "unsub" → {unsub: true}. */
function parseCommand(text, defaultSymbol) {
  const s = String(text).trim();
  if (s === 'unsub') return { unsub: true };
  const m = /^sub-([0-9]+[smhd])(?::([A-Za-z0-9]+))?$/.exec(s);
  if (!m) return { error: 'unknown_command' };
  if (!TF_SECONDS[m[1]]) return { error: 'unknown_timeframe' };
  const symbol = (m[2] || defaultSymbol).toUpperCase();
  if (!SYMBOL.test(symbol)) return { error: 'bad_symbol' };
  return { symbol, tf: m[1] };
}

/** A template of the frame split around the stamp field: prefix + stamp + suffix. */
function template(symbol, tf, stampField) {
  const fields = {
    type: 'candle', symbol, tf, open: 37000.5, high: 37001.0, low: 36999.25, close: 37000.75, volume: 0.52,
    trades: 7, unix_timestamp: 1700000000, time_window_seconds: TF_SECONDS[tf], closed: false,
  };
  fields[stampField] = 1234567890123456;
  const json = JSON.stringify(fields);
  const marker = '1234567890123456';
  const at = json.indexOf(marker);
  return { prefix: json.slice(0, at), suffix: json.slice(at + marker.length) };
}

/**
 * Drives `emit(key, frameString)` at `rate` messages/s. Returns {stop, stats}.
 */
function startFeed(rate, symbol, tf, stampField, emit) {
  const t = template(symbol, tf, stampField);
  const key = `candles.${symbol}.${tf}`;
  const start = process.hrtime.bigint();
  let sent = 0;
  const timer = setInterval(() => {
    const elapsedS = Number(process.hrtime.bigint() - start) / 1e9;
    let due = Math.floor(elapsedS * rate) - sent;
    if (due > rate) { sent += due - Math.ceil(rate); due = Math.ceil(rate); } // behind by > 1 s: skip, never burst
    for (let i = 0; i < due; i++) {
      emit(key, t.prefix + nowMicros() + t.suffix);
    }
    sent += Math.max(0, due);
  }, 1);
  return { stop: () => clearInterval(timer), sent: () => sent, key };
}

/**
 * Bursty trades: every `burstMs` one burst of the trades the rate owes (at most 99), each trade in the gateway's
 * trades-frame element shape with the send time in its id (epoch µs × 100 + index, built as a string: it exceeds
 * 2^53), as bench/fanout's TapePublisher does. Returns {stop}.
 */
function startTrades(rate, burstMs, symbol, emitTrades) {
  const start = process.hrtime.bigint();
  let sent = 0;
  const timer = setInterval(() => {
    const owed = Math.floor(Number(process.hrtime.bigint() - start) / 1e9 * rate) - sent;
    const n = Math.min(owed, 99);
    if (n <= 0) return;
    const us = nowMicros();
    const trades = [];
    for (let k = 0; k < n; k++) {
      const id = `${us}${String(k).padStart(2, '0')}`;
      trades.push(`{"id":${id},"t":${Math.floor(us / 1000)},"p":37000.5,"q":0.0125,"side":"${k % 2 === 0 ? 'buy' : 'sell'}"}`);
    }
    emitTrades(symbol, trades);
    sent += owed;
  }, burstMs);
  return { stop: () => clearInterval(timer) };
}

/**
 * The admin server on port + 1 (127.0.0.1), the same routes as bench/fanout's BenchServer so that either load
 * generator drives every server alike: /rate?n=<updates/s> (0 stops), /heap (bytes of V8 heap plus off-heap buffers
 * in use after a full GC; needs --expose-gc), /cpu (process CPU time in ns).
 */
function startAdmin(port, state) {
  let feed = null;
  let trades = null;
  const srv = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    if (url.pathname === '/rate') {
      const rate = Number(url.searchParams.get('n') || '0');
      if (!(rate >= 0)) { res.writeHead(400); res.end('bad rate\n'); return; }
      if (feed) { feed.stop(); feed = null; }
      if (rate > 0) feed = startFeed(rate, 'BTCUSD', '1s', 'trades', state.emit);
      res.end(`rate ${rate}\n`);
    } else if (url.pathname === '/trades' && state.emitTrades) {
      const rate = Number(url.searchParams.get('n') || '0');
      const burst = Number(url.searchParams.get('burst') || '10');
      if (!(rate >= 0) || !(burst >= 1)) { res.writeHead(400); res.end('bad rate or burst\n'); return; }
      if (trades) { trades.stop(); trades = null; }
      if (rate > 0) trades = startTrades(rate, burst, 'BTCUSD', state.emitTrades);
      res.end(`trades ${rate}/s every ${burst} ms\n`);
    } else if (url.pathname === '/heap') {
      if (global.gc) { for (let i = 0; i < 4; i++) global.gc(); }
      const m = process.memoryUsage();
      res.end(String(m.heapUsed + m.external));
    } else if (url.pathname === '/cpu') {
      const c = process.cpuUsage();
      res.end(String((c.user + c.system) * 1000));
    } else if (url.pathname === '/stats') {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ pid: process.pid, connections: state.connections(), sent: feed ? feed.sent() : 0,
        memory: process.memoryUsage(), gcExposed: !!global.gc }));
    } else {
      res.writeHead(404); res.end();
    }
  });
  srv.listen(port, '127.0.0.1');
  return srv;
}

function portArg() {
  const i = process.argv.indexOf('--port');
  return i > 0 ? Number(process.argv[i + 1]) : 8090;
}

module.exports = { parseCommand, startFeed, startTrades, startAdmin, portArg, TIMEFRAMES, nowMicros };

'use strict';
// Peer 1: a Node.js server on the `ws` package, the way its README broadcasts: a WebSocketServer on /ws speaking
// Candlecast's raw text protocol (sub-<tf>[:SYMBOL], unsub; same frames), one Set of subscribers per series, and each
// update sent as the same Buffer to every subscriber (encode once). Compression off (as in Candlecast's gateway).
// Also the JSON trades channel ({"type":"subscribe","channel":"trades","symbol","batch"}, no snapshot): each burst
// of the feeder's trades goes out as frames of at most `batch` trades, in the gateway's trades frame shape.
//   node ws-server.js --port 8091      admin on port + 1: /rate?n=N, /heap, /cpu, /stats
const http = require('http');
const { WebSocketServer } = require('ws');
const { parseCommand, startAdmin, portArg } = require('./feed');

const series = new Map(); // key -> Set<WebSocket>
let open = 0;
const state = {
  connections: () => open,
  emit: (key, frame) => {
    const subs = series.get(key);
    if (!subs) return;
    const buf = Buffer.from(frame);
    for (const ws of subs) ws.send(buf, { binary: false });
  },
  // one burst of trade JSON strings: for every batch size subscribed, frames of at most that many trades, each
  // encoded once and sent as the same Buffer to every subscriber of that size (as the gateway does)
  emitTrades: (symbol, trades) => {
    const prefix = `trades.${symbol}.`;
    for (const [key, subs] of series) {
      if (!key.startsWith(prefix) || subs.size === 0) continue;
      const batch = Number(key.slice(prefix.length));
      for (let i = 0; i < trades.length; i += batch) {
        const buf = Buffer.from(`{"type":"trades","symbol":"${symbol}","trades":[${trades.slice(i, i + batch).join(',')}]}`);
        for (const ws of subs) ws.send(buf, { binary: false });
      }
    }
  },
};

/** Candlecast's JSON subscribe to trades ({"type":"subscribe","channel":"trades","symbol","batch"}) → {key, ack}. */
function tradesCommand(text) {
  let j;
  try { j = JSON.parse(text); } catch (e) { return { error: 'bad_json' }; }
  if (j.type !== 'subscribe' || j.channel !== 'trades') return { error: 'unknown_command' };
  const symbol = String(j.symbol || '').toUpperCase();
  const batch = Math.min(100, Math.max(1, Number.isInteger(j.batch) ? j.batch : 100));
  return {
    key: `trades.${symbol}.${batch}`,
    ack: JSON.stringify({ type: 'subscription', status: 'subscribed', channel: 'trades', symbol, batch }),
  };
}

const server = http.createServer((req, res) => { res.writeHead(404); res.end(); });
const wss = new WebSocketServer({ server, path: '/ws', perMessageDeflate: false, maxPayload: 4096, backlog: 4096 });
wss.on('connection', (ws) => {
  open++;
  const mine = new Set();
  ws.on('message', (data, isBinary) => {
    const text = isBinary ? '' : data.toString();
    if (text.startsWith('{')) {
      const t = tradesCommand(text);
      if (t.error) return ws.send(JSON.stringify({ type: 'error', code: t.error }));
      if (!series.has(t.key)) series.set(t.key, new Set());
      series.get(t.key).add(ws);
      mine.add(t.key);
      return ws.send(t.ack);
    }
    const cmd = parseCommand(text, 'BTCUSD');
    if (cmd.error) return ws.send(JSON.stringify({ type: 'error', code: cmd.error }));
    if (cmd.unsub) {
      for (const k of mine) series.get(k)?.delete(ws);
      ws.send(JSON.stringify({ type: 'unsubscribed', count: mine.size }));
      mine.clear();
      return;
    }
    const key = `candles.${cmd.symbol}.${cmd.tf}`;
    if (!series.has(key)) series.set(key, new Set());
    series.get(key).add(ws);
    mine.add(key);
    ws.send(JSON.stringify({ type: 'subscribed', symbol: cmd.symbol, tf: cmd.tf }));
  });
  ws.on('close', () => {
    open--;
    for (const k of mine) series.get(k)?.delete(ws);
  });
  ws.on('error', () => {});
});
const port = portArg();
startAdmin(port + 1, state);
server.listen(port, '0.0.0.0', 4096, () => console.log(`ws peer listening on :${server.address().port} (ws ${require('ws/package.json').version}, node ${process.version})`));

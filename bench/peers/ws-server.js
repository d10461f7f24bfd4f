'use strict';
// Peer 1: a Node.js server on the `ws` package, the way its README broadcasts: a WebSocketServer on /ws speaking
// Candlecast's raw text protocol (sub-<tf>[:SYMBOL], unsub; same frames), one Set of subscribers per series, and each
// update sent as the same Buffer to every subscriber (encode once). Compression off (as in Candlecast's gateway).
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
};

const server = http.createServer((req, res) => { res.writeHead(404); res.end(); });
const wss = new WebSocketServer({ server, path: '/ws', perMessageDeflate: false, maxPayload: 4096, backlog: 4096 });
wss.on('connection', (ws) => {
  open++;
  const mine = new Set();
  ws.on('message', (data, isBinary) => {
    const cmd = parseCommand(isBinary ? '' : data.toString(), 'BTCUSD');
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

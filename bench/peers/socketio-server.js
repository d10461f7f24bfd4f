'use strict';
// Peer 2: a Socket.IO hub, the way its docs broadcast: one room per series, `sub` events with Candlecast's command
// text ("sub-1s:BTCUSD") join the room, and each update goes out with io.to(room).emit('candle', frame), which
// Socket.IO encodes once per broadcast. WebSocket transport only (no long-polling), compression off. Heartbeats stay
// at Socket.IO's defaults (25 s ping): clients must answer pings.
//   node socketio-server.js --port 8092      admin on port + 1: /rate?n=N, /heap, /cpu, /stats
const http = require('http');
const { Server } = require('socket.io');
const { parseCommand, startAdmin, portArg } = require('./feed');

let open = 0;
let io;
const state = {
  connections: () => open,
  emit: (key, frame) => io.to(key).emit('candle', frame),
};
const server = http.createServer();
io = new Server(server, {
  transports: ['websocket'], perMessageDeflate: false, httpCompression: false, serveClient: false,
  maxHttpBufferSize: 4096, cors: { origin: true },
});
io.on('connection', (socket) => {
  open++;
  socket.on('sub', (text, ack) => {
    const cmd = parseCommand(text, 'BTCUSD');
    const reply = cmd.error ? { type: 'error', code: cmd.error }
      : cmd.unsub ? { type: 'unsubscribed' } : { type: 'subscribed', symbol: cmd.symbol, tf: cmd.tf };
    if (cmd.unsub) { for (const r of socket.rooms) if (r !== socket.id) socket.leave(r); }
    else if (!cmd.error) socket.join(`candles.${cmd.symbol}.${cmd.tf}`);
    if (typeof ack === 'function') ack(reply); else socket.emit('reply', reply);
  });
  socket.on('disconnect', () => { open--; });
});
const port = portArg();
startAdmin(port + 1, state);
server.listen(port, '0.0.0.0', 4096, () => console.log(`socket.io peer listening on :${server.address().port} (socket.io ${require('socket.io/package.json').version}, node ${process.version})`));

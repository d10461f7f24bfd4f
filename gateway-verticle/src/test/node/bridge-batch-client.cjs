// A history batch through the official Vert.x event-bus bridge client, for BridgeBatchNodeClientTest, written as
// docs/PROTOCOL.md tells a browser to: register an address of its own, send the batch naming it, read the frames.
// Usage: node bridge-batch-client.cjs <url of /eventbus>. Prints one JSON object per line; exits after batch_done.
'use strict';
const crypto = require('crypto');
const EventBus = require('@vertx/eventbus-bridge-client.js');

const out = (o) => process.stdout.write(JSON.stringify(o) + '\n');
const eb = new EventBus(process.argv[2]);
eb.onerror = (e) => out({ event: 'error', body: e && (e.body || e.message || String(e)) });
eb.onopen = () => {
  const events = 'candlecast.batch.' + crypto.randomUUID();
  eb.registerHandler(events, (err, msg) => {
    out({ event: 'frame', err, body: msg && msg.body });
    if (msg && msg.body.type === 'batch_done') {
      eb.unregisterHandler(events);
      setTimeout(() => { eb.close(); process.exit(0); }, 100);
    }
  });
  eb.send('candlecast.history.batch',
    { id: 'js1', symbols: ['btc-usd', 'NOPE', 'ETHUSD'], tf: '1m', limit: 2, progressAddress: events },
    (err, reply) => out({ event: 'ack', err, body: reply && reply.body }));
  eb.send('candlecast.history.batch', { symbols: ['BTCUSD'] },
    (err, reply) => out({ event: 'ack-no-address', err, body: reply && reply.body }));
};
setTimeout(() => { out({ event: 'timeout' }); process.exit(2); }, 20000);

// Drives the official Vert.x event-bus bridge client (@vertx/eventbus-bridge-client.js + sockjs-client) against a
// running gateway, for BridgeNodeClientTest. Usage: node bridge-client.cjs <url of /eventbus> [transport]
// Prints one JSON object per line (what happened); exits when stdin says "quit" or closes.
'use strict';
const EventBus = require('@vertx/eventbus-bridge-client.js');

const url = process.argv[2];
const transport = process.argv[3];
const out = (o) => process.stdout.write(JSON.stringify(o) + '\n');
const options = { vertxbus_ping_interval: 2000 };
if (transport) options.transports = [transport];

const eb = new EventBus(url, options);
eb.onerror = (e) => out({ event: 'error', body: e && (e.body || e.message || String(e)) });
eb.onclose = (e) => out({ event: 'close', code: e && e.code, reason: e && e.reason });
eb.onopen = () => {
  out({ event: 'open' });
  eb.registerHandler('candles.BTCUSD.1s', (err, msg) => out({ event: 'candle', err, body: msg && msg.body }));
  eb.registerHandler('ticker.BTCUSD', (err, msg) => out({ event: 'ticker', err, body: msg && msg.body }));
  eb.registerHandler('trades.BTCUSD', (err, msg) => out({ event: 'trades', err, body: msg && msg.body }));
  // forbidden: registering internal addresses, publishing anywhere, sending anywhere but history
  eb.registerHandler('candlecast.history', (err, msg) => out({ event: 'leak', address: 'candlecast.history' }));
  eb.registerHandler('candlecast.health.feed', (err, msg) => out({ event: 'leak', address: 'health' }));
  eb.publish('candles.BTCUSD.1s', { evil: true });
  eb.publish('candlecast.history', { evil: true });
  eb.send('candlecast.health.feed', { evil: true }, (err, reply) => out({ event: 'send-health', err, reply }));
  eb.send('candlecast.symbols', { evil: true }, (err, reply) => out({ event: 'send-symbols', err, reply }));
  eb.send('candlecast.history', { symbol: 'btcusd', tf: '1s', limit: 2 },
    (err, reply) => out({ event: 'history', err, body: reply && reply.body }));
  eb.send('candlecast.history', { symbol: 'BTC_USD', tf: '1s', evil: true },
    (err, reply) => out({ event: 'history-bad', err, body: reply && reply.body }));
  out({ event: 'sent' });
};

process.stdin.on('data', (d) => {
  if (String(d).includes('quit')) {
    try { eb.close(); } catch (e) { /* already closed */ }
    setTimeout(() => process.exit(0), 200);
  }
});
process.stdin.on('end', () => process.exit(0));

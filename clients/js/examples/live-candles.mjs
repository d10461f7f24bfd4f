// Prints live 1m candles of a symbol: node examples/live-candles.mjs [SYMBOL]
// Env: CANDLECAST_URL (default http://localhost:8080), CANDLECAST_TOKEN (a JWT when the node requires one).
import { CandlecastClient } from '../dist/index.js';

const symbol = process.argv[2] ?? 'BTCUSD';
const client = new CandlecastClient({ url: process.env.CANDLECAST_URL ?? 'http://localhost:8080', token: process.env.CANDLECAST_TOKEN });
client.onState((state, d) => console.error('[' + state + ']' + (d.error ? ' ' + d.error.code + ': ' + d.error.message : '')));

const fmt = (k) => `${new Date(k.t).toISOString()} ${k.symbol} ${k.tf} O ${k.open} H ${k.high} L ${k.low} C ${k.close} V ${k.volume.toFixed(6)} n ${k.trades}${k.closed ? ' closed' : ''}`;

client.candles(symbol, '1m', {
  onSnapshot: (s) => {
    if (s.recovered === false) console.log('-- could not resume: fresh history follows');
    for (const k of s.candles.slice(-5)) console.log(fmt(k));
  },
  onUpdate: (k) => console.log(fmt(k)),
  onError: (e) => console.error(e.code + ': ' + e.message),
}).ready.catch((e) => {
  console.error('subscription refused: ' + e.code + ': ' + e.message);
  process.exit(1);
});

const seconds = Number(process.env.CANDLECAST_RUN_SECONDS ?? 0);
if (seconds > 0) setTimeout(() => client.close().then(() => process.exit(0)), seconds * 1000);
process.on('SIGINT', () => client.close().then(() => process.exit(0)));

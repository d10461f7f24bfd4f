// A bot skeleton: follows RSI(14) on 1m candles and an alert of its own, and acts on both.
//   node examples/bot.mjs [SYMBOL]
// Env: CANDLECAST_URL, CANDLECAST_TOKEN (the alert belongs to the token's subject), CANDLECAST_OWNER (without auth).
import { CandlecastClient } from '../dist/index.js';

const symbol = process.argv[2] ?? 'BTCUSD';
const client = new CandlecastClient({
  url: process.env.CANDLECAST_URL ?? 'http://localhost:8080',
  token: process.env.CANDLECAST_TOKEN,
  owner: process.env.CANDLECAST_OWNER,
});
client.onState((s, d) => console.log(`[state] ${s}${d.delayMs !== undefined ? ' in ' + d.delayMs + ' ms' : ''}`));

// 1. the indicator: act on closed values only (the open window's value is provisional)
client.indicator(symbol, '1m', 'rsi', { period: 14 }, {
  onSnapshot: (s) => console.log(`[rsi] ${s.points.length} points of history${s.recovered === false ? ' (fresh: could not resume)' : ''}`),
  onUpdate: (p) => {
    if (!p.closed) return;
    const rsi = p.values.value;
    if (rsi > 70) console.log(`[rsi] ${rsi.toFixed(1)} overbought → would sell ${symbol}`);
    else if (rsi < 30) console.log(`[rsi] ${rsi.toFixed(1)} oversold → would buy ${symbol}`);
    else console.log(`[rsi] ${rsi.toFixed(1)}`);
  },
  onError: (e) => console.error('[rsi] ' + e.code + ': ' + e.message),
});

// 2. an alert: a 0.5 % move up within 5 minutes; its fires arrive on the alerts stream (resumed without loss)
client.alerts({
  onUpdate: (f) => console.log(`[alert] ${f.kind} on ${f.symbol}: value ${f.value} vs ${f.threshold} (fire ${f.fire})`),
  onError: (e) => console.error('[alerts] ' + e.code + ': ' + e.message),
});
const alert = await client.createAlert({ symbol, condition: { kind: 'move_up', pct: 0.5, window: '5m' }, mode: 'rearm', note: 'bot skeleton' });
console.log(`[alert] created ${alert.id}`);

async function stop() {
  await client.deleteAlert(alert.id).catch(() => undefined);
  await client.close();
  process.exit(0);
}
const seconds = Number(process.env.CANDLECAST_RUN_SECONDS ?? 0);
if (seconds > 0) setTimeout(stop, seconds * 1000);
process.on('SIGINT', stop);

// A tiny terminal ticker: node examples/ticker.mjs BTCUSD ETHUSD
// Env: CANDLECAST_URL, CANDLECAST_TOKEN.
import { CandlecastClient } from '../dist/index.js';

const symbols = process.argv.length > 2 ? process.argv.slice(2) : ['BTCUSD', 'ETHUSD'];
const client = new CandlecastClient({ url: process.env.CANDLECAST_URL ?? 'http://localhost:8080', token: process.env.CANDLECAST_TOKEN });
const rows = new Map();
let state = client.state;
client.onState((s) => { state = s; draw(); });

const tty = process.stdout.isTTY;
function draw() {
  const lines = [`candlecast ticker [${state}]`];
  for (const s of symbols) {
    const t = rows.get(s);
    lines.push(t
      ? `${t.symbol.padEnd(10)} ${String(t.last).padStart(14)} ${(t.change >= 0 ? '+' : '') + t.changePct.toFixed(2)}%`.padEnd(40)
        + (t.bid !== undefined ? ` bid ${t.bid} ask ${t.ask}` : '')
      : `${s.padEnd(10)} …`);
  }
  if (tty) process.stdout.write('\x1b[H\x1b[2J' + lines.join('\n') + '\n');
  else console.log(lines.slice(1).join(' | '));
}

for (const s of symbols) {
  client.ticker(s, {
    onUpdate: (t) => { rows.set(s, t); draw(); },
    onError: (e) => console.error(s + ': ' + e.code + ': ' + e.message),
  });
}

const seconds = Number(process.env.CANDLECAST_RUN_SECONDS ?? 0);
if (seconds > 0) setTimeout(() => client.close().then(() => process.exit(0)), seconds * 1000);
process.on('SIGINT', () => client.close().then(() => process.exit(0)));

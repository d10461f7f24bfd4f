// Raw Node baseline: the socket library the JS client uses in Node (ws) reading candle frames with JSON.parse only,
// no client. Same CLI and output as the drivers' `consume`:
//   node bench/clients/raw/raw.mjs consume --url http://127.0.0.1:9000 --symbol BTCUSD --tf 1s --count N
// Timed from the first candle frame to the N-th (as the drivers do) (the snapshot is not counted). `ws` is taken from
// clients/js/node_modules, else bench/peers/node_modules, else web/node_modules (the first that has it).
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

function loadWs() {
  for (const dir of ['clients/js', 'bench/peers', 'web']) {
    const pkg = resolve(dir, 'package.json');
    if (existsSync(resolve(dir, 'node_modules/ws'))) return createRequire(pkg)('ws');
  }
  throw new Error('ws not found: run npm ci in clients/js or bench/peers (from the repository root)');
}

function wsUrl(url) {
  if (url.startsWith('ws://') || url.startsWith('wss://')) return url;
  return url.replace(/\/$/, '').replace(/^http/, 'ws') + '/ws';
}

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { url: { type: 'string' }, symbol: { type: 'string', default: 'BTCUSD' }, tf: { type: 'string', default: '1s' },
             count: { type: 'string', default: '200000' }, api: { type: 'string', default: 'raw' } },
});
if (positionals[0] !== 'consume' || !values.url) {
  console.error('usage: raw.mjs consume --url URL [--symbol S] [--tf 1s] [--count N]');
  process.exit(2);
}
const WebSocket = loadWs();
const count = Number(values.count);
const ws = new WebSocket(wsUrl(values.url), { perMessageDeflate: false, maxPayload: 0 });
let n = 0;
let start = 0;
ws.on('open', () => {
  ws.send(JSON.stringify({ type: 'subscribe', symbol: values.symbol, tf: values.tf, id: 1 }));
});
ws.on('message', (data) => {
  const frame = JSON.parse(data.toString());
  if (frame.type === 'candle') {
    if (n === 0) start = process.hrtime.bigint();
    if (++n === count) {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      process.stdout.write(JSON.stringify({ lang: 'js', api: 'raw', count: n, seconds: +seconds.toFixed(4),
                                            rate: +(n / seconds).toFixed(1) }) + '\n', () => process.exit(0));
      ws.terminate();
    }
  } else if (frame.type === 'error') {
    console.error('server error: ' + data);
    process.exit(1);
  }
});
ws.on('error', (e) => { console.error(String(e)); process.exit(1); });

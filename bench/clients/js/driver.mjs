#!/usr/bin/env node
// Bench driver of the JS client (issue 18). Prints JSON lines on stdout, nothing else.
//   node bench/clients/js/driver.mjs consume --url URL --symbol S --tf 1s --count N [--api callbacks|iterator] [--token JWT]
//   node bench/clients/js/driver.mjs follow  --url URL --symbol S --tf 1s --seconds D [--token JWT]
// Needs clients/js built (npm ci && npm run build in clients/js): Node takes `ws` from clients/js/node_modules.
import { CandlecastClient } from '../../../clients/js/dist/index.js';

function parse(argv) {
  const [command, ...rest] = argv;
  const o = { command };
  for (let i = 0; i < rest.length; i += 2) {
    const k = rest[i];
    if (!k.startsWith('--') || rest[i + 1] === undefined) fail('bad argument ' + k);
    o[k.slice(2)] = rest[i + 1];
  }
  return o;
}

function fail(msg) {
  process.stderr.write('driver: ' + msg + '\n');
  process.exit(2);
}

const out = (o) => process.stdout.write(JSON.stringify(o) + '\n');

async function consume(o) {
  const count = Number(o.count);
  if (!Number.isInteger(count) || count < 1) fail('--count must be a positive integer');
  const api = o.api ?? 'callbacks';
  if (api !== 'callbacks' && api !== 'iterator') fail('--api must be callbacks or iterator');
  const client = new CandlecastClient({ url: o.url, token: o.token ?? process.env.CANDLECAST_TOKEN });
  let n = 0;
  let start = 0;
  let end = 0;
  let last = null;
  const finish = async () => {
    const seconds = (end - start) / 1000;
    out({ lang: 'js', api, count: n, seconds, rate: n / seconds });
    await client.close();
    process.exit(0);
  };
  if (api === 'callbacks') {
    await new Promise((resolve, reject) => {
      const sub = client.candles(o.symbol, o.tf, {
        onSnapshot: () => { start = performance.now(); },
        onUpdate: (k) => {
          if (n === count) return; // frames already read after the last one counted
          last = k;
          if (++n === count) {
            end = performance.now();
            resolve();
          }
        },
        onError: (e) => reject(e),
      });
      sub.ready.catch(reject);
    });
  } else {
    for await (const item of client.candles(o.symbol, o.tf)) {
      if (item.kind === 'snapshot') {
        start = performance.now();
        continue;
      }
      last = item.data;
      if (++n === count) {
        end = performance.now();
        break;
      }
    }
  }
  if (last === null || typeof last.close !== 'number') fail('no typed candle received');
  await finish();
}

async function follow(o) {
  const seconds = Number(o.seconds);
  if (!(seconds > 0)) fail('--seconds must be a positive number');
  const client = new CandlecastClient({ url: o.url, token: o.token ?? process.env.CANDLECAST_TOKEN });
  client.onState((state) => out({ kind: 'state', state, at: Date.now() }));
  const sub = client.candles(o.symbol, o.tf, {
    onSnapshot: (s) => out({ kind: 'snapshot', recovered: s.recovered, count: s.candles.length, at: Date.now() }),
    onUpdate: (k) => out({ kind: 'candle', t: k.t, closed: k.closed, trades: k.trades, at: Date.now() }),
    onError: (e) => process.stderr.write('driver: ' + e.code + ': ' + e.message + '\n'),
  });
  sub.ready.catch((e) => fail('subscription refused: ' + e.code + ': ' + e.message));
  setTimeout(async () => {
    await client.close();
    process.exit(0);
  }, seconds * 1000);
}

const o = parse(process.argv.slice(2));
for (const k of ['url', 'symbol', 'tf']) if (!o[k]) fail('--' + k + ' is required');
if (o.command === 'consume') await consume(o);
else if (o.command === 'follow') await follow(o);
else fail('command must be consume or follow');

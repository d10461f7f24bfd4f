// JS client decode time per update frame (issue 20): JSON vs binary, over 1e6 frames each, with process.hrtime.
// What the client does per frame: JSON.parse (JSON) or decodeBinaryFrame (binary), then the model.
//   node bench/encoding/decode.mjs <frames.json from EncodingSizes> [frames per kind, default 1e6]
import { readFileSync } from 'node:fs';
import { decodeBinaryFrame, candleFromFrame, tradeFrom } from '../../clients/js/dist/index.js';

const frames = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const N = Number(process.argv[3] ?? 1e6);

function model(f) {
  switch (f.type) {
    case 'candle': return candleFromFrame(f, f.symbol, f.tf);
    case 'trades': return f.trades.map((t) => tradeFrom(t, f.symbol));
    default: return f; // a book frame is the model's shape already (bookFrom copies the fields)
  }
}

/** Wall ns per frame (process.hrtime) and CPU ns per frame (process.cpuUsage: robust on a loaded machine). */
function time(fn, n) {
  let sink = 0;
  for (let i = 0; i < n / 10; i++) sink += fn() ? 1 : 0; // warm-up
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) sink += fn() ? 1 : 0;
  const wall = Number(process.hrtime.bigint() - t0) / n;
  const c = process.cpuUsage(c0);
  if (sink !== n + Math.floor(n / 10)) throw new Error('lost frames');
  return { wall, cpu: ((c.user + c.system) * 1000) / n };
}

console.log('frame     json_wall_ns  binary_wall_ns  wall_ratio  json_cpu_ns  binary_cpu_ns  cpu_ratio   (' + N
  + ' frames each, node ' + process.version + ')');
for (const [kind, f] of Object.entries(frames)) {
  const text = f.json;
  const buf = Buffer.from(f.binary, 'base64');
  const bytes = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength); // an ArrayBuffer, as `ws` gives it
  const j = time(() => model(JSON.parse(text)), N);
  const b = time(() => model(decodeBinaryFrame(bytes)), N);
  console.log(kind.padEnd(9) + j.wall.toFixed(0).padStart(13) + b.wall.toFixed(0).padStart(16)
    + (b.wall / j.wall).toFixed(3).padStart(12) + j.cpu.toFixed(0).padStart(13) + b.cpu.toFixed(0).padStart(15)
    + (b.cpu / j.cpu).toFixed(3).padStart(11));
}

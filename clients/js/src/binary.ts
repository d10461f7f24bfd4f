import { CandlecastError } from './errors.js';

type Json = Record<string, any>;

/**
 * Reads the binary update frames of `/ws?encoding=binary` (issue 20; layout in docs/PROTOCOL.md "Binary encoding"):
 * a candle, trades or book frame becomes the JSON frame of the same update, so both encodings share one code path and
 * yield the same models. A truncated frame, trailing bytes, an unknown kind or layout version, a bad side or invalid
 * UTF-8 throw a `bad_response` CandlecastError.
 */
export function decodeBinaryFrame(data: ArrayBuffer | ArrayBufferView): Json {
  const view = data instanceof ArrayBuffer
    ? new DataView(data)
    : new DataView(data.buffer, data.byteOffset, data.byteLength);
  const r = new Reader(view);
  try {
    const kind = r.u8();
    const version = r.u8();
    if (version !== 1) throw bad('binary frame of layout version ' + version + ', expected 1');
    let f: Json;
    switch (kind) {
      case 1: f = candle(r); break;
      case 2: f = trades(r); break;
      case 3: f = book(r); break;
      default: throw bad('binary frame of unknown kind ' + kind);
    }
    if (r.pos !== view.byteLength) throw bad((view.byteLength - r.pos) + ' bytes after a binary frame of ' + view.byteLength);
    return f;
  } catch (e) {
    if (e instanceof CandlecastError) throw e;
    if (e instanceof RangeError) throw bad('truncated binary frame (' + view.byteLength + ' bytes)');
    throw bad('unreadable binary frame: ' + String((e as any)?.message ?? e));
  }
}

function bad(message: string): CandlecastError {
  return new CandlecastError('bad_response', message);
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

class Reader {
  pos = 0;
  constructor(private readonly v: DataView) {}
  u8(): number { return this.v.getUint8(this.pos++); }
  u16(): number { const x = this.v.getUint16(this.pos, true); this.pos += 2; return x; }
  u32(): number { const x = this.v.getUint32(this.pos, true); this.pos += 4; return x; }
  f64(): number { const x = this.v.getFloat64(this.pos, true); this.pos += 8; return x; }
  /** A signed 64-bit integer as a number (exact up to 2^53, which covers epoch ms, ids and counts). */
  i64(): number {
    const lo = this.v.getUint32(this.pos, true);
    const hi = this.v.getInt32(this.pos + 4, true);
    this.pos += 8;
    return hi * 4294967296 + lo;
  }
  str(): string {
    const n = this.u8();
    if (this.pos + n > this.v.byteLength) throw new RangeError('string past the end');
    let ascii = true;
    for (let i = 0; i < n; i++) if (this.v.getUint8(this.pos + i) > 0x7f) { ascii = false; break; }
    let s: string;
    if (ascii) {
      s = '';
      for (let i = 0; i < n; i++) s += String.fromCharCode(this.v.getUint8(this.pos + i));
    } else {
      try {
        s = UTF8.decode(new Uint8Array(this.v.buffer, this.v.byteOffset + this.pos, n));
      } catch {
        throw bad('binary frame with a string that is not UTF-8');
      }
    }
    this.pos += n;
    return s;
  }
  left(): number { return this.v.byteLength - this.pos; }
}

function candle(r: Reader): Json {
  const symbol = r.str();
  const tf = r.str();
  const t = r.i64();
  const f: Json = {
    type: 'candle', symbol, tf, t,
    open: r.f64(), high: r.f64(), low: r.f64(), close: r.f64(), volume: r.f64(),
    trades: r.i64(),
    unix_timestamp: Math.floor(t / 1000),
    time_window_seconds: r.u32(),
  };
  const flags = r.u8();
  f.closed = (flags & 1) !== 0;
  if (flags & 2) f.partial = true;
  const src = r.str();
  if (src !== '') f.src = src;
  return f;
}

function trades(r: Reader): Json {
  const symbol = r.str();
  const n = r.u16();
  if (r.left() < 33 * n) throw bad('truncated binary trades frame: ' + n + ' trades announced');
  const out: Json[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const id = r.i64();
    const t = r.i64();
    const p = r.f64();
    const q = r.f64();
    const side = r.u8();
    if (side > 1) throw bad('binary trade with side ' + side);
    out[i] = { id, t, p, q, side: side === 0 ? 'buy' : 'sell' };
  }
  return { type: 'trades', symbol, trades: out };
}

function book(r: Reader): Json {
  const symbol = r.str();
  const depth = r.u16();
  const seq = r.i64();
  const time = r.i64();
  const nb = r.u16();
  const na = r.u16();
  if (r.left() < 16 * (nb + na)) throw bad('truncated binary book frame: ' + (nb + na) + ' levels announced');
  const bids: number[][] = new Array(nb);
  for (let i = 0; i < nb; i++) bids[i] = [r.f64(), r.f64()];
  const asks: number[][] = new Array(na);
  for (let i = 0; i < na; i++) asks[i] = [r.f64(), r.f64()];
  return { type: 'book', symbol, depth, seq, time, bids, asks };
}

// The tests' own writer of the binary layout, from docs/PROTOCOL.md "Binary encoding" (not from the gateway's
// encoder): frames as a server would send them to a client with encoding 'binary'.
const enc = new TextEncoder();

class W {
  constructor() { this.b = new DataView(new ArrayBuffer(1 << 16)); this.p = 0; }
  u8(x) { this.b.setUint8(this.p, x); this.p += 1; return this; }
  u16(x) { this.b.setUint16(this.p, x, true); this.p += 2; return this; }
  u32(x) { this.b.setUint32(this.p, x, true); this.p += 4; return this; }
  i64(x) { this.b.setBigInt64(this.p, BigInt(x), true); this.p += 8; return this; }
  f64(x) { this.b.setFloat64(this.p, x, true); this.p += 8; return this; }
  str(s) { const u = enc.encode(s); this.u8(u.length); new Uint8Array(this.b.buffer, this.p, u.length).set(u); this.p += u.length; return this; }
  done() { return this.b.buffer.slice(0, this.p); }
}

/** A candle JSON frame (as the server sends it) as its binary frame. */
export function candleBinary(f) {
  return new W().u8(1).u8(1).str(f.symbol).str(f.tf).i64(f.t)
    .f64(f.open).f64(f.high).f64(f.low).f64(f.close).f64(f.volume).i64(f.trades).u32(f.time_window_seconds)
    .u8((f.closed ? 1 : 0) | (f.partial ? 2 : 0)).str(f.src ?? '').done();
}

export function tradesBinary(f) {
  const w = new W().u8(2).u8(1).str(f.symbol).u16(f.trades.length);
  for (const t of f.trades) w.i64(t.id).i64(t.t).f64(t.p).f64(t.q).u8(t.side === 'buy' ? 0 : 1);
  return w.done();
}

export function bookBinary(f) {
  const w = new W().u8(3).u8(1).str(f.symbol).u16(f.depth).i64(f.seq).i64(f.time).u16(f.bids.length).u16(f.asks.length);
  for (const [p, a] of f.bids) w.f64(p).f64(a);
  for (const [p, a] of f.asks) w.f64(p).f64(a);
  return w.done();
}

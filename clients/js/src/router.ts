import { CandlecastError, errorFromFrame } from './errors.js';
import { Notice, noticeFrom } from './models.js';
import { decodeBinaryFrame } from './binary.js';
import type { BaseSubscription } from './subscription.js';

type Json = Record<string, any>;

function isBytes(data: unknown): data is ArrayBuffer | ArrayBufferView {
  return data instanceof ArrayBuffer || ArrayBuffer.isView(data);
}

/**
 * Where an incoming frame goes: frames with an `id` to the request or subscription that sent it, live frames to
 * the subscription of their series (key from the frame), notices and pongs to the client.
 */
export class Router {
  readonly byId = new Map<string, (f: Json) => void>();
  readonly routes = new Map<string, BaseSubscription<any, any>>();
  /** The server's clock (epoch ms) of the current socket's `connection` frame; undefined before it. */
  serverTimeAtConnect: number | undefined = undefined;

  constructor(private readonly onPong: () => void, private readonly onNotice: (n: Notice) => void,
              private readonly onError: (e: CandlecastError) => void) {}

  /** Issue 20: the connection asked for `encoding=binary`: non-text frames are binary update frames. */
  binary = false;

  frame(data: unknown): void {
    let f: Json;
    try {
      f = this.binary && typeof data !== 'string' && isBytes(data)
        ? decodeBinaryFrame(data)
        : JSON.parse(typeof data === 'string' ? data : String(data));
    } catch {
      return; // a frame that cannot be read (bad JSON, a bad binary frame) is skipped; the connection goes on
    }
    if (f === null || typeof f !== 'object') return;
    const type = f.type;
    if (type === 'candle') {
      // the hot path: one lookup
      const s = this.routes.get('c|' + f.symbol + '|' + f.tf);
      if (s) s.live(f);
      return;
    }
    if (f.id !== undefined && f.id !== null) {
      const h = this.byId.get(String(f.id));
      if (h) {
        h(f);
        return;
      }
    }
    this.dispatch(type, f);
  }

  private dispatch(type: unknown, f: Json): void {
    let key: string;
    switch (type) {
      case 'trades': key = 't|' + f.symbol; break;
      case 'gap':
        // by channel: a candle series' windows, or the tape (also without a channel: servers before candles gaps)
        if (f.channel === 'candles') {
          this.candleGap(f);
          return;
        }
        if (f.channel !== undefined && f.channel !== null && f.channel !== 'trades') return;
        key = 't|' + f.symbol;
        break;
      case 'ticker': key = 'k|' + f.symbol; break;
      case 'book': key = 'b|' + f.symbol; break;
      case 'indicator': case 'risk': case 'patterns': key = 'a|' + f.symbol + '|' + f.tf + '|' + f.key; break;
      case 'alert': key = 'alerts'; break;
      case 'portfolio': key = 'portfolio'; break;
      case 'pong': this.onPong(); return;
      case 'connection':
        this.serverTimeAtConnect = typeof f.timestamp === 'number' && Number.isFinite(f.timestamp) ? f.timestamp : undefined;
        return;
      case 'notice': this.onNotice(noticeFrom(f)); return;
      case 'error': this.onError(errorFromFrame(f)); return;
      default: return;
    }
    const s = this.routes.get(key);
    if (s) s.live(f);
  }

  /** A candles `gap` notice: to its series' subscription (none: ignored); a malformed one is dropped and reported. */
  private candleGap(f: Json): void {
    const fault = candleGapFault(f);
    if (fault !== null) {
      this.onError(new CandlecastError('bad_response', 'a candles gap notice was dropped: ' + fault, undefined, f));
      return;
    }
    const s = this.routes.get('c|' + f.symbol + '|' + f.tf);
    if (s) s.live(f);
  }
}

/**
 * Why a candles `gap` notice (`{"type":"gap","channel":"candles","symbol","tf","from","to"}`) cannot be used, or
 * null: `from` must be an open time (a whole number >= 0, what `since` takes) before `to`.
 */
function candleGapFault(f: Json): string | null {
  if (typeof f.symbol !== 'string' || f.symbol === '') return "no 'symbol'";
  if (typeof f.tf !== 'string' || f.tf === '') return "no 'tf'";
  if (!Number.isSafeInteger(f.from) || f.from < 0) return "'from' is not a whole number of epoch ms >= 0";
  if (!Number.isSafeInteger(f.to)) return "'to' is not a whole number of epoch ms";
  if (f.from >= f.to) return "'from' is not before 'to'";
  return null;
}

interface Pending {
  sent: boolean;
  frame: Json;
  fail(err: CandlecastError): void;
}

/** What the request table needs of the connection. */
export interface RequestIo {
  isOpen(): boolean;
  isClosed(): boolean;
  send(frame: Json): void;
  /** Starts connecting when the client is idle. */
  wake(): void;
}

/**
 * Commands waiting for their reply: sent at once when the socket is open, else at the next open. A drop fails the
 * ones already sent (`connection_lost`: they are not re-sent); `close()` fails all (`closed`).
 */
export class Requests {
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly router: Router, private readonly io: RequestIo, private readonly timeoutMs: number) {}

  request(command: Json, id: string): Promise<Json> {
    return new Promise<Json>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.finish(id);
        reject(new CandlecastError('timeout', 'no reply to ' + command.type + ' in ' + this.timeoutMs + ' ms'));
      }, this.timeoutMs);
      this.router.byId.set(id, (f) => {
        clearTimeout(timer);
        this.finish(id);
        if (f.type === 'error') reject(errorFromFrame(f));
        else resolve(f);
      });
      this.enqueue(id, { ...command, id }, (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });
  }

  enqueue(id: string, frame: Json, fail: (err: CandlecastError) => void): void {
    if (this.io.isClosed()) {
      this.finish(id);
      fail(new CandlecastError('closed', 'the client is closed'));
      return;
    }
    const p: Pending = { sent: false, frame, fail };
    this.pending.set(id, p);
    if (this.io.isOpen()) {
      p.sent = true;
      this.io.send(frame);
    } else {
      this.io.wake();
    }
  }

  finish(id: string): void {
    this.router.byId.delete(id);
    this.pending.delete(id);
  }

  /** Sends what waited for the socket. */
  flush(): void {
    for (const p of this.pending.values()) {
      if (!p.sent) {
        p.sent = true;
        this.io.send(p.frame);
      }
    }
  }

  fail(err: CandlecastError, all: boolean): void {
    for (const [id, p] of [...this.pending]) {
      if (all || p.sent) {
        this.finish(id);
        p.fail(err);
      }
    }
  }
}

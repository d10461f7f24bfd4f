import { BackoffOptions } from './backoff.js';
import { WebSocketCtor } from './connection.js';
import { CandlecastError } from './errors.js';
import { RateOptions } from './pacer.js';

export type ConnectionState = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'closed';

export interface StateDetail {
  /** Failed attempts so far (0 after a connection that reached `connected`). */
  attempt: number;
  /** The wait before the next attempt (state `reconnecting`). */
  delayMs?: number;
  /** Why the connection dropped or ended. */
  error?: CandlecastError;
}

export type TokenSource = string | (() => string | null | Promise<string | null>);

export interface ClientOptions {
  /** The node's base URL (`http://host:8080`) or its WebSocket URL (`ws://host:8080/ws`). */
  url: string;
  /** A JWT, or a function returning one (called on every connect and REST call). */
  token?: TokenSource;
  /** Owner label for alerts and portfolio when the server runs without authentication. */
  owner?: string;
  WebSocket?: WebSocketCtor;
  fetch?: typeof fetch;
  backoff?: BackoffOptions;
  /** No reply to a command within this time → `timeout` (default 10000). */
  requestTimeoutMs?: number;
  /** Ping interval (default 15000); 2 missed pongs or no frame for 2 intervals + 5 s is a drop. */
  pingIntervalMs?: number;
  /** Outgoing frames are paced under the server's message rate limit (default 18/s, burst 36). */
  rateLimit?: RateOptions;
  /**
   * The encoding of the server's updates (issue 20): `'json'` (the default) or `'binary'` (candle, trades and book
   * updates as compact binary frames, read into the same models; replies stay JSON).
   */
  encoding?: 'json' | 'binary';
  /** Random source for the back-off (tests). */
  random?: () => number;
}


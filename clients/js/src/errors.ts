/**
 * The one error type of the client. `code` is the server's error code verbatim (`unknown_symbol`, `bad_field`,
 * `rate_limited`, …) or a client-side one: `timeout`, `connection_lost`, `closed`, `unauthorized`, `forbidden`,
 * `bad_response`; REST errors derive theirs from the HTTP status (see {@link codeForStatus}) and carry `status`.
 */
export class CandlecastError extends Error {
  readonly code: string;
  readonly status?: number;
  /** The server's frame or body that carried the error, when there was one. */
  readonly raw?: unknown;

  constructor(code: string, message: string, status?: number, raw?: unknown) {
    super(message);
    this.name = 'CandlecastError';
    this.code = code;
    if (status !== undefined) this.status = status;
    if (raw !== undefined) this.raw = raw;
  }
}

/** The code of a REST error from its HTTP status and the server's `error` text (docs/CLIENTS.md). */
export function codeForStatus(status: number, text: string): string {
  switch (status) {
    case 400: return 'bad_request';
    case 401: return 'unauthorized';
    case 403: return 'forbidden';
    case 404: return /unknown[ _]symbol/i.test(text) ? 'unknown_symbol' : 'not_found';
    case 410: return 'gone';
    case 429: return 'rate_limited';
    case 503: return 'unavailable';
    default: return 'http_' + status;
  }
}

/** A `{"type":"error",…}` frame of the JSON protocol as an error. */
export function errorFromFrame(frame: Record<string, unknown>): CandlecastError {
  const code = typeof frame.code === 'string' ? frame.code : 'bad_response';
  const message = typeof frame.message === 'string' ? frame.message : code;
  const status = typeof frame.status === 'number' ? frame.status : undefined;
  return new CandlecastError(code, message, status, frame);
}

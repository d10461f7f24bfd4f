/** Finding a WebSocket implementation: injected, the platform's, or the `ws` package in Node. */

export type WebSocketCtor = any;

export async function resolveWebSocket(injected: WebSocketCtor | undefined): Promise<WebSocketCtor> {
  if (injected) return injected;
  const g = (globalThis as any).WebSocket;
  if (typeof g === 'function') return g;
  const name = 'ws';
  try {
    const mod: any = await import(name);
    return mod.default ?? mod.WebSocket ?? mod;
  } catch (e) {
    throw new Error('no WebSocket implementation: install the optional dependency `ws` (npm i ws) or pass {WebSocket}');
  }
}

/** True for the `ws` package's class (it takes headers, so the token goes in `Authorization`). */
export function takesHeaders(ctor: WebSocketCtor): boolean {
  return typeof ctor?.createWebSocketStream === 'function' || typeof ctor?.WebSocketServer === 'function'
    || ctor?.acceptsHeaders === true;
}

/** The HTTP status of a refused handshake, when the implementation says it (`ws`: "Unexpected server response: 401"). */
export function handshakeStatus(error: unknown): number | null {
  const msg = typeof error === 'string' ? error : (error as any)?.message ?? (error as any)?.error?.message;
  if (typeof msg !== 'string') return null;
  const m = /Unexpected server response: (\d{3})/.exec(msg);
  return m ? Number(m[1]) : null;
}

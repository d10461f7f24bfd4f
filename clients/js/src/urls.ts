/** The WebSocket URL (`…/ws`) and the REST base (`…` without a trailing slash) from either form of the URL. */
export interface Endpoints {
  ws: string;
  http: string;
}

export function endpoints(url: string): Endpoints {
  const u = new URL(url);
  const secure = u.protocol === 'https:' || u.protocol === 'wss:';
  if (!['http:', 'https:', 'ws:', 'wss:'].includes(u.protocol)) {
    throw new TypeError('url must be http(s):// or ws(s)://, was ' + url);
  }
  let path = u.pathname.replace(/\/+$/, '');
  if (path.endsWith('/ws')) path = path.slice(0, -3);
  const host = u.host;
  return {
    ws: (secure ? 'wss://' : 'ws://') + host + path + '/ws',
    http: (secure ? 'https://' : 'http://') + host + path,
  };
}

/** Appends query parameters (skipping undefined and null) to a URL. */
export function withQuery(url: string, params: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null) continue;
    parts.push(encodeURIComponent(k) + '=' + encodeURIComponent(String(v)));
  }
  if (parts.length === 0) return url;
  return url + (url.includes('?') ? '&' : '?') + parts.join('&');
}

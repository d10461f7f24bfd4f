/*
 * The access token for a gateway with JWT authentication on (CANDLECAST_GATEWAY_JWT_SECRET). Pure: the storage,
 * location, history and the prompt are passed in (the page's, or fakes in unit tests).
 *
 *   - taken from the URL fragment (#access_token=<jwt>; the fragment never reaches the server or its logs) and
 *     removed from the address bar at once, or typed into the login prompt when the server answers 401;
 *   - kept in sessionStorage (this tab only, gone when it closes), so a reload keeps it;
 *   - sent as `Authorization: Bearer <jwt>` on /api requests; the JS client (live.js) asks for it on every connect
 *     and puts it in the WebSocket URL as `?access_token=<jwt>` (browsers cannot set a WebSocket's headers);
 *     ws-test.html does the same with withTokenParam.
 *
 * index.html's early requests read the token the same way (a few lines of plain script, before this module loads).
 */

export const TOKEN_PARAM = 'access_token';
export const STORAGE_KEY = 'candlecast.accessToken';

/**
 * Splits the access token out of a URL fragment: {token (null when there is none), hash (the fragment without it,
 * '' when nothing is left)}. Other fragment content is kept.
 */
export function splitTokenFromHash(hash) {
  const raw = (hash || '').replace(/^#/, '');
  const params = new URLSearchParams(raw);
  if (!params.has(TOKEN_PARAM)) return { token: null, hash: hash || '' };
  const token = params.get(TOKEN_PARAM).trim();
  params.delete(TOKEN_PARAM);
  const rest = params.toString();
  return { token: token || null, hash: rest ? '#' + rest : '' };
}

/** The URL with ?access_token=<token> (or &access_token=) added; unchanged without a token. */
export function withTokenParam(url, token) {
  if (!token) return url;
  return url + (url.includes('?') ? '&' : '?') + TOKEN_PARAM + '=' + encodeURIComponent(token);
}

/** A copy of the headers with `Authorization: Bearer <token>` added when there is a token. */
export function withBearer(headers, token) {
  return token ? { ...headers, Authorization: 'Bearer ' + token } : { ...headers };
}

export class AccessToken {
  /**
   * @param {object} o
   * @param {Storage} [o.storage]     sessionStorage (a page without it keeps the token in memory)
   * @param {object} [o.location]     {pathname, search, hash}
   * @param {object} [o.history]      {state, replaceState(state, title, url)}
   * @param {(why:string)=>Promise<string|null>} [o.ask]  the login prompt: a token, or null when the user declines
   * @param {()=>void} [o.onChange]   a new token was given (e.g. to reconnect at once)
   */
  constructor(o = {}) {
    this.storage = o.storage || null;
    this.location = o.location || null;
    this.history = o.history || null;
    this.ask = o.ask || (() => Promise.resolve(null));
    this.onChange = o.onChange || (() => {});
    this.memory = null;
    this.pending = null;
  }

  /** Moves a token in the URL fragment into the storage and takes it out of the address bar. Returns whether. */
  adoptFromUrl() {
    if (!this.location) return false;
    const { token, hash } = splitTokenFromHash(this.location.hash);
    if (hash === (this.location.hash || '')) return false;
    if (token) this.set(token);
    if (this.history) {
      this.history.replaceState(this.history.state, '', this.location.pathname + this.location.search + hash);
    }
    return token != null;
  }

  get() {
    try {
      return (this.storage && this.storage.getItem(STORAGE_KEY)) || this.memory;
    } catch (e) {
      return this.memory; // storage blocked by the browser's settings
    }
  }

  set(token) {
    this.memory = token || null;
    try {
      if (this.storage) {
        if (token) this.storage.setItem(STORAGE_KEY, token); else this.storage.removeItem(STORAGE_KEY);
      }
    } catch (e) { /* kept in memory only */ }
  }

  headers(headers = {}) {
    return withBearer(headers, this.get());
  }

  /**
   * After a 401 to a request sent with `used` (the token then, or null): resolves true when there is a token to try
   * again with, false when the user declined. A token that changed meanwhile is tried at once; otherwise the stored
   * one is dropped and the user asked, once for every request that fails at the same time.
   */
  renew(used, why) {
    const now = this.get();
    if (now && now !== used) return Promise.resolve(true);
    if (!this.pending) {
      this.set(null);
      this.pending = Promise.resolve()
        .then(() => this.ask(why || 'this server needs an access token'))
        .catch(() => null)
        .then((given) => {
          const token = typeof given === 'string' ? given.trim() : '';
          if (!token) return false;
          this.set(token);
          this.onChange();
          return true;
        })
        .finally(() => { this.pending = null; });
    }
    return this.pending;
  }
}

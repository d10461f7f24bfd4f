/*
 * The ticker strip: one entry per symbol with the last price, 24 h change and change % (green up, red down).
 * One ticker(symbol) stream of the JS client per symbol: the current ticker first (again after every reconnect), then
 * its updates.
 * Clicking an entry shows that symbol on the active chart.
 */
import { toTicker, isNewerTicker, priceDecimals, formatPrice, formatSigned, formatPct, direction } from './model.js';

export class TickerStrip {
  /**
   * @param {HTMLElement} root
   * @param {object} o  {live (the page's client, live.js), onPick(symbol)}
   */
  constructor(root, o) {
    this.root = root;
    this.live = o.live;
    this.onPick = o.onPick;
    this.items = new Map();   // symbol -> {el, parts, ticker, sub}
    this.updates = 0;
    root.addEventListener('click', (e) => {
      const item = e.target.closest && e.target.closest('[data-symbol]');
      if (item) this.onPick(item.dataset.symbol);
    });
  }

  /** Shows these symbols (in this order) and listens to their tickers. */
  setSymbols(symbols) {
    for (const [sym, item] of this.items) {
      if (!symbols.includes(sym)) {
        item.sub.close();
        item.el.remove();
        this.items.delete(sym);
      }
    }
    for (const sym of symbols) {
      if (this.items.has(sym)) continue;
      const el = document.createElement('button');
      el.type = 'button';
      el.className = 'tick flat';
      el.dataset.symbol = sym;
      el.title = `Show ${sym} on the active chart`;
      el.innerHTML = '<b class="t-sym"></b><span class="t-last">–</span><span class="t-chg">–</span><span class="t-pct">–</span>';
      el.querySelector('.t-sym').textContent = sym;
      const parts = { last: el.querySelector('.t-last'), chg: el.querySelector('.t-chg'), pct: el.querySelector('.t-pct') };
      // A symbol without a ticker yet (ticker_unavailable) keeps its dashes until one comes.
      const sub = this.live.ticker(sym, { onUpdate: (t) => this.update(t), onError: () => {} });
      this.items.set(sym, { el, parts, ticker: null, sub });
    }
    // keep DOM order = symbols order
    for (const sym of symbols) this.root.appendChild(this.items.get(sym).el);
    this.root.hidden = symbols.length === 0;
  }

  update(body) {
    const t = toTicker(body);
    if (!t) return;
    const item = this.items.get(t.symbol);
    if (!item || !isNewerTicker(item.ticker, t)) return;
    item.ticker = t;
    this.updates++;
    const d = priceDecimals(t.last);
    item.parts.last.textContent = formatPrice(t.last, d);
    item.parts.chg.textContent = t.change == null ? '–' : formatSigned(t.change, d);
    item.parts.pct.textContent = t.changePct == null ? '–' : formatPct(t.changePct);
    const dir = direction(t.change == null ? 0 : t.change);
    if (!item.el.classList.contains(dir)) item.el.className = 'tick ' + dir;
  }

  snapshot() {
    const out = {};
    for (const [sym, item] of this.items) {
      out[sym] = item.ticker ? { ...item.ticker, text: {
        last: item.parts.last.textContent, change: item.parts.chg.textContent, changePct: item.parts.pct.textContent,
        direction: item.el.classList.contains('up') ? 'up' : item.el.classList.contains('down') ? 'down' : 'flat',
      } } : null;
    }
    return out;
  }
}

/*
 * The side panels beside the charts: the trade feed (TradePanel) and the order-book ladder (BookPanel). They show the
 * active chart's symbol. Logic lives in tape.js and book.js; this draws (at most once per animation frame) and wires
 * the JS client's trades(symbol) and book(symbol, {depth: 10}) streams (the client resumes them after a reconnect).
 * A hidden panel holds no subscription.
 */
import { TapeFeed, formatTradeRow } from './tape.js';
import { BookSync, bookView, BOOK_DEPTH } from './book.js';
import { priceDecimals } from './model.js';

const hms = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });

/** Rows of cells reused between draws (no element is created per update once the panel is full). */
function rowPool(parent, cells, tag = 'div') {
  const rows = [];
  return (n) => {
    while (rows.length < n) {
      const row = document.createElement(tag);
      row.className = 'p-row';
      const parts = {};
      for (const c of cells) {
        const span = document.createElement('span');
        span.className = c;
        row.appendChild(span);
        parts[c] = span;
      }
      parent.appendChild(row);
      rows.push({ row, parts });
    }
    rows.forEach((r, i) => { r.row.hidden = i >= n; });
    return rows;
  };
}

class Panel {
  constructor(root, o, title) {
    this.root = root;
    this.live = o.live;
    this.symbol = null;
    this.visible = false;
    this.sub = null;
    this.sync = null;
    this.frame = 0;
    root.innerHTML = '<div class="p-head"><b class="p-title"></b><span class="p-sym"></span>'
      + '<span class="p-msg"></span></div><div class="p-body"></div>';
    root.querySelector('.p-title').textContent = title;
    this.msg = root.querySelector('.p-msg');
    this.body = root.querySelector('.p-body');
  }

  setSymbol(symbol) {
    if (symbol === this.symbol) return;
    this.symbol = symbol;
    this.root.querySelector('.p-sym').textContent = symbol || '';
    this.restart();
  }

  setVisible(on) {
    if (on === this.visible) return;
    this.visible = on;
    this.root.hidden = !on;
    this.restart();
  }

  restart() {
    if (this.sub) this.sub.close();
    this.sub = null;
    this.sync = null;
    this.msg.textContent = '';
    this.draw();
    if (!this.visible || !this.symbol) return;
    const sync = this.makeSync(() => this.schedule());
    this.sync = sync;
    const onError = (e) => { if (this.sync === sync) this.msg.textContent = (e && e.message) || 'failed'; };
    this.sub = this.subscribe(sync, onError);
    this.sub.ready.then((ok) => { if (ok && this.sync === sync) this.msg.textContent = ''; });
  }

  schedule() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => { this.frame = 0; this.draw(); });
  }
}

export class TradePanel extends Panel {
  constructor(root, o) {
    super(root, o, 'Trades');
    this.body.innerHTML = '<div class="p-row p-cols"><span>Time</span><span>Price</span><span>Size</span></div>';
    const list = document.createElement('div');
    list.className = 'tape';
    this.body.appendChild(list);
    this.pool = rowPool(list, ['tr-time', 'tr-price', 'tr-size']);
  }

  makeSync(onChange) {
    return new TapeFeed({ symbol: this.symbol, onChange });
  }

  subscribe(sync, onError) {
    return this.live.trades(this.symbol, {
      onSnapshot: (s) => sync.onSnapshot(s), onUpdate: (t) => sync.onUpdate(t), onError,
    });
  }

  draw() {
    const trades = this.sync ? this.sync.rows.rows : [];
    const rows = this.pool(trades.length);
    const d = trades.length ? priceDecimals(trades[0].p) : 2;
    trades.forEach((t, i) => {
      const text = formatTradeRow(t, (ms) => hms.format(ms), d);
      const r = rows[i];
      r.row.className = 'p-row ' + text.side;
      r.row.dataset.id = String(t.id);
      r.parts['tr-time'].textContent = text.time;
      r.parts['tr-price'].textContent = text.price;
      r.parts['tr-size'].textContent = text.size;
    });
  }

  hook() {
    return { symbol: this.symbol, visible: this.visible, rows: this.sync ? this.sync.rows.rows.slice() : [],
      counters: this.sync ? { ...this.sync.counters } : null, shown: this.root.querySelectorAll('.tape .p-row:not([hidden])').length };
  }
}

export class BookPanel extends Panel {
  constructor(root, o) {
    super(root, o, 'Order book');
    this.body.innerHTML = '<div class="p-row p-cols"><span>Price</span><span>Size</span><span>Total</span></div>'
      + '<div class="asks"></div><div class="spread" title="best ask − best bid">Spread <b>–</b></div><div class="bids"></div>';
    const cells = ['bar', 'bk-price', 'bk-size', 'bk-cum'];
    this.asks = rowPool(this.body.querySelector('.asks'), cells);
    this.bids = rowPool(this.body.querySelector('.bids'), cells);
    this.spread = this.body.querySelector('.spread b');
  }

  makeSync(onChange) {
    return new BookSync({ symbol: this.symbol, depth: BOOK_DEPTH, onChange });
  }

  subscribe(sync, onError) {
    return this.live.book(this.symbol, BOOK_DEPTH, { onUpdate: (b) => sync.onUpdate(b), onError });
  }

  draw() {
    const v = bookView(this.sync ? this.sync.book : null);
    this.view = v;
    const fill = (pool, levels) => {
      const rows = pool(levels.length);
      levels.forEach((l, i) => {
        rows[i].parts.bar.style.width = l.pct.toFixed(1) + '%';
        rows[i].parts['bk-price'].textContent = l.text.price;
        rows[i].parts['bk-size'].textContent = l.text.size;
        rows[i].parts['bk-cum'].textContent = l.text.cum;
      });
    };
    fill(this.asks, v.asks);
    fill(this.bids, v.bids);
    this.spread.textContent = v.text.spread;
  }

  hook() {
    const v = this.view || bookView(null);
    const q = (sel) => this.root.querySelectorAll(sel + ' .p-row:not([hidden])').length;
    return { symbol: this.symbol, visible: this.visible, seq: this.sync && this.sync.book ? this.sync.book.seq : null,
      bids: v.bids.length, asks: v.asks.length, spread: v.spread, shownBids: q('.bids'), shownAsks: q('.asks'),
      counters: this.sync ? { ...this.sync.counters } : null, spreadText: this.spread.textContent };
  }
}

/*
 * Alerts on one chart (a ChartPane): the owner's armed price alerts of the chart's symbol as dashed price lines, and
 * the draft line of a new alert: the toolbar's "+ Alert" button puts it at the last price, Alt+click puts it at the
 * clicked price; dragging it (pointer within a few pixels of it) moves it; Enter or ✓ creates the alert
 * (price_above when the level is above the last price, else price_below: alerts.js lineCondition), Escape or ×
 * drops it. The chart does not pan while the line is dragged (the pointer events stop before they reach it).
 */
import { lineCondition, alertLines } from './alerts.js';
import { formatPrice } from './model.js';

/** How close (px) the pointer must be to the draft line to grab it. */
export const GRAB_PX = 6;

export class ChartAlerts {
  /**
   * @param {object} o
   * @param {ChartPane} o.pane
   * @param {(symbol, condition)=>Promise<any>} o.onConfirm  creates the alert (resolves when the server took it)
   */
  constructor(o) {
    this.pane = o.pane;
    this.onConfirm = o.onConfirm;
    this.lines = new Map();     // alert id -> {level, kind, line}
    this.drawn = [];            // the last 50 alert lines drawn: {id, level, kind, style} (tests)
    this.draft = null;          // {level, line}
    this.drag = null;           // the last drag: {from (level), moves, y (px in the chart)}
    this.dragging = false;
    this.busy = false;
    this.build();
  }

  get series() { return this.pane.series; }

  build() {
    const bar = this.pane.root.querySelector('.pane-bar');
    this.button = document.createElement('button');
    this.button.type = 'button';
    this.button.className = 'alert-add';
    this.button.title = 'New price alert: drag the line to the level, then Enter (or Alt+click on the chart)';
    this.button.textContent = '+ Alert';
    this.button.addEventListener('click', () => {
      this.startDraft(this.lastPrice());
      this.button.blur(); // Enter confirms the line, it does not click the button again
    });
    bar.insertBefore(this.button, bar.querySelector('.pane-msg'));
    this.box = document.createElement('div');
    this.box.className = 'alert-draft';
    this.box.hidden = true;
    this.box.innerHTML = '<span class="ad-text"></span><button type="button" class="ad-ok" title="Create (Enter)">✓</button>'
      + '<button type="button" class="ad-cancel" title="Cancel (Escape)">×</button><span class="ad-err"></span>';
    this.box.querySelector('.ad-ok').addEventListener('click', () => this.confirm());
    this.box.querySelector('.ad-cancel').addEventListener('click', () => this.cancel());
    this.pane.root.querySelector('.pane-body').appendChild(this.box);
    const el = this.pane.el.chart;
    this.handlers = {
      down: (e) => this.onDown(e), move: (e) => this.onMove(e), up: (e) => this.onUp(e),
      click: (e) => this.onClick(e), key: (e) => this.onKey(e),
    };
    el.addEventListener('pointerdown', this.handlers.down, { capture: true });
    el.addEventListener('pointermove', this.handlers.move, { capture: true });
    el.addEventListener('pointerup', this.handlers.up, { capture: true });
    el.addEventListener('pointercancel', this.handlers.up, { capture: true });
    el.addEventListener('click', this.handlers.click, { capture: true });
    document.addEventListener('keydown', this.handlers.key);
  }

  lastPrice() {
    const b = this.pane.store.last();
    return b ? b.close : null;
  }

  round(price) {
    const f = 10 ** this.pane.decimals;
    return Math.round(price * f) / f;
  }

  /** The price at a pointer event's height, or null outside the price pane. */
  priceAt(e) {
    const rect = this.pane.el.chart.getBoundingClientRect();
    const y = e.clientY - rect.top;
    const panes = this.pane.chart.panes();
    if (y < 0 || (panes.length && y > panes[0].getHeight())) return null;
    const p = this.series.coordinateToPrice(y);
    return p == null || !(p > 0) ? null : this.round(p);
  }

  nearDraft(e) {
    if (!this.draft) return false;
    const y = this.series.priceToCoordinate(this.draft.level);
    const rect = this.pane.el.chart.getBoundingClientRect();
    return y != null && Math.abs(e.clientY - rect.top - y) <= GRAB_PX;
  }

  onDown(e) {
    if (!this.nearDraft(e) || e.button !== 0) return;
    e.preventDefault();
    e.stopPropagation();
    this.dragging = true;
    this.drag = { from: this.draft.level, moves: 0, y: null };
    try { this.pane.el.chart.setPointerCapture(e.pointerId); } catch (err) { /* synthetic pointer */ }
  }

  onMove(e) {
    if (!this.dragging) {
      this.pane.el.chart.style.cursor = this.nearDraft(e) ? 'ns-resize' : '';
      return;
    }
    e.stopPropagation();
    const p = this.priceAt(e);
    this.drag.moves++;
    this.drag.y = e.clientY - this.pane.el.chart.getBoundingClientRect().top;
    if (p != null) this.setLevel(p);
  }

  onUp(e) {
    if (!this.dragging) return;
    e.stopPropagation();
    this.dragging = false;
    try { this.pane.el.chart.releasePointerCapture(e.pointerId); } catch (err) { /* not captured */ }
  }

  onClick(e) {
    if (!e.altKey) return;
    const p = this.priceAt(e);
    if (p == null) return;
    e.preventDefault();
    e.stopPropagation();
    this.startDraft(p);
  }

  onKey(e) {
    if (!this.draft || e.defaultPrevented) return;
    const t = e.target;
    if (t && /^(INPUT|SELECT|TEXTAREA)$/.test(t.tagName || '')) return;
    if (e.key === 'Enter') { e.preventDefault(); this.confirm(); }
    if (e.key === 'Escape') { e.preventDefault(); this.cancel(); }
  }

  /** Puts the draft line at `price` (a new one, or the one there moves). */
  startDraft(price) {
    if (!(price > 0) || !this.pane.symbol) return;
    if (!this.draft) {
      this.draft = { level: price, line: this.series.createPriceLine({
        price, color: '#2962ff', lineWidth: 2, lineStyle: 0, axisLabelVisible: true, title: 'alert',
      }) };
      this.box.hidden = false;
    }
    this.error('');
    this.setLevel(this.round(price));
  }

  setLevel(level) {
    const d = this.draft;
    if (!d) return;
    d.level = level;
    const kind = lineCondition(level, this.lastPrice()).kind;
    const arrow = kind === 'price_above' ? '▲' : '▼';
    d.line.applyOptions({ price: level, title: `alert ${arrow}` });
    this.box.querySelector('.ad-text').textContent = `${arrow} ${kind === 'price_above' ? 'above' : 'below'} `
      + formatPrice(level, this.pane.decimals);
  }

  error(text) {
    this.box.querySelector('.ad-err').textContent = text || '';
  }

  /** Creates the alert of the draft line; the line goes when the server took it (the alert's line replaces it). */
  async confirm() {
    const d = this.draft;
    if (!d || this.busy) return;
    let cond;
    try {
      cond = lineCondition(d.level, this.lastPrice());
    } catch (e) {
      this.error(e.message);
      return;
    }
    this.busy = true;
    try {
      await this.onConfirm(this.pane.symbol, cond);
      if (this.draft === d) this.cancel();
    } catch (e) {
      this.error(e.message);
    } finally {
      this.busy = false;
    }
  }

  cancel() {
    if (!this.draft) return;
    this.series.removePriceLine(this.draft.line);
    this.draft = null;
    this.dragging = false;
    this.box.hidden = true;
    this.error('');
  }

  /** The owner's alerts (all symbols): the armed price alerts of the chart's symbol become dashed lines. */
  setAlerts(alerts, colors) {
    const want = new Map(alertLines(alerts, this.pane.symbol).map((a) => [a.id, a]));
    for (const [id, l] of this.lines) {
      const w = want.get(id);
      if (!w || w.level !== l.level || w.kind !== l.kind) {
        this.series.removePriceLine(l.line);
        this.lines.delete(id);
      }
    }
    for (const [id, a] of want) {
      if (this.lines.has(id)) continue;
      const up = a.kind === 'price_above';
      const line = this.series.createPriceLine({
        price: a.level, color: up ? colors.up : colors.down, lineWidth: 1, lineStyle: 2, axisLabelVisible: true,
        title: up ? '▲ alert' : '▼ alert',
      });
      this.lines.set(id, { level: a.level, kind: a.kind, line });
      this.drawn.push({ id, level: a.level, kind: a.kind, style: line.options().lineStyle });
      if (this.drawn.length > 50) this.drawn.shift();
    }
  }

  /** The chart shows another symbol: its lines go (setAlerts draws the new symbol's), and so does a draft. */
  clear() {
    this.cancel();
    for (const l of this.lines.values()) this.series.removePriceLine(l.line);
    this.lines.clear();
  }

  dispose() {
    const el = this.pane.el.chart;
    el.removeEventListener('pointerdown', this.handlers.down, { capture: true });
    el.removeEventListener('pointermove', this.handlers.move, { capture: true });
    el.removeEventListener('pointerup', this.handlers.up, { capture: true });
    el.removeEventListener('pointercancel', this.handlers.up, { capture: true });
    el.removeEventListener('click', this.handlers.click, { capture: true });
    document.removeEventListener('keydown', this.handlers.key);
    this.button.remove();
    this.box.remove();
  }

  hook() {
    const c = this;
    return {
      get draft() { return c.draft ? { level: c.draft.level, kind: lineCondition(c.draft.level, c.lastPrice()).kind } : null; },
      get dragging() { return c.dragging; },
      get lastDrag() { return c.drag ? { ...c.drag } : null; },
      lines: () => [...c.lines].map(([id, l]) => ({ id, level: l.level, kind: l.kind, style: l.line.options().lineStyle })),
      /** Every alert line drawn lately (also those gone since). */
      drawnLines: () => c.drawn.map((l) => ({ ...l })),
      /** The draft line's height in the chart element (px), for tests that drag it. */
      draftY: () => (c.draft ? c.series.priceToCoordinate(c.draft.level) : null),
      yOf: (price) => c.series.priceToCoordinate(price),
      /** The close of the chart's newest bar: what a new line's condition is judged against. */
      lastPrice: () => c.lastPrice(),
    };
  }
}

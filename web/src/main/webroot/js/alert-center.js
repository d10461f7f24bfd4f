/*
 * Alerts and notices for the whole page: one owner (alerts.js pageOwner), its alerts over REST (/api/alerts with the
 * X-Candlecast-Owner header; with JWT on the server takes the token's subject), the fires missed since the page last
 * ran once at start (GET /api/alerts/fires?since=…, FireLedger), then its fires live from the JS client's alerts
 * stream (subscribed from the ledger's `since`; the client resumes it after every reconnect, and the fires recorded
 * while the page was away are shown as a catch-up: AwayWindow), operator notices from the client (global ones, and
 * those of symbols the page shows; the active chart's are drawn). Draws through ChartAlerts (per chart), AlertPanel,
 * Toasts, Notifier and NoticeBanner.
 */
import { fireText, makeDefinition, withFires, noteFire } from './alerts.js';
import { FireLedger, AwayWindow, planToasts } from './alert-since.js';
import { fireOf } from './live.js';
import { NoticeBoard } from './notices.js';
import { ChartAlerts } from './alert-line.js';

const HTTP_TIMEOUT_MS = 10000;
const FIRES_LIMIT = 500;
/** Fires of a catch-up arrive one frame at a time: they are gathered this long, then shown as one catch-up. */
export const CATCH_UP_GATHER_MS = 300;

export class AlertCenter {
  /**
   * @param {object} o
   * @param {string} o.owner
   * @param {LiveConnection} o.live   the page's client (live.js)
   * @param {AccessToken} o.auth
   * @param {Storage|null} o.storage      localStorage
   * @param {AlertPanel} o.panel
   * @param {Toasts} o.toasts
   * @param {Notifier} o.notifier
   * @param {NoticeBanner} o.banner
   * @param {(ms)=>string} o.time         a fire's time as shown
   * @param {()=>object} o.colors         the theme's colours
   * @param {(text)=>void} o.say          the page's message line
   * @param {(record)=>void} [o.onCreated] an alert was created (from the form or a chart line)
   */
  constructor(o) {
    Object.assign(this, {
      owner: o.owner, live: o.live, auth: o.auth, panel: o.panel, toasts: o.toasts, notifier: o.notifier,
      banner: o.banner, time: o.time, colors: o.colors, say: o.say || (() => {}), onCreated: o.onCreated || (() => {}),
    });
    this.ledger = new FireLedger(this.owner, o.storage);
    this.notices = new NoticeBoard();
    this.records = [];            // the owner's alerts as the server listed them
    this.lastFires = new Map();   // alert id -> newest fire seen (the list may not show it yet)
    this.alerts = [];             // records with lastFires applied (what is drawn)
    this.charts = new Map();      // ChartPane -> {alerts: ChartAlerts, symbol}
    this.away = new AwayWindow();
    this.missed = null;           // fires of a resumed stream gathered for one catch-up
    this.sub = null;
    this.activeSymbol = null;
    this.fires = [];              // fires shown (newest last), for tests
    this.counters = { catchUps: 0, live: 0, refreshes: 0, caughtUp: 0 };
    this.banner.onDismiss = (id) => { this.notices.dismiss(id); this.renderNotices(); };
  }

  start() {
    this.live.onNotice((n) => this.onNotice(n));
    this.refresh().catch((e) => this.panel.message(e.message));
    this.catchUp().then(() => {
      this.sub = this.live.alerts(this.ledger.query(), {
        onUpdate: (f) => this.onFire(fireOf(f)),
        onError: (e, text) => this.panel.message(text),
      });
    });
  }

  /** The page's connection state (for AwayWindow): fires recorded while it was not connected are a catch-up. */
  connection(state, now = Date.now()) {
    if (this.away.change(state === 'connected', now)) this.counters.catchUps++;
  }

  // ---- REST --------------------------------------------------------------------------------------------------------

  async http(method, url, body) {
    const token = this.auth.get();
    const headers = this.auth.headers({ Accept: 'application/json', 'X-Candlecast-Owner': this.owner });
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await fetch(url, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
    });
    const text = await res.text().catch(() => '');
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch (e) { json = null; }
    if (!res.ok) {
      if (res.status === 401 && await this.auth.renew(token, json && json.error)) return this.http(method, url, body);
      const why = json ? [json.error, json.message].filter(Boolean).join(': ') : text.trim().slice(0, 200);
      const err = new Error(why || `HTTP ${res.status}`);
      err.status = res.status;
      throw err;
    }
    return json;
  }

  async refresh() {
    const body = await this.http('GET', '/api/alerts');
    this.records = body && Array.isArray(body.alerts) ? body.alerts : [];
    this.counters.refreshes++;
    this.panel.message('');
    this.draw();
  }

  /** Creates an alert (a definition from the form or a chart line); the first creation asks for notifications. */
  async create(definition) {
    this.notifier.ask();
    const record = await this.http('POST', '/api/alerts', definition);
    if (record && record.id && !this.records.some((a) => a.id === record.id)) this.records = [record, ...this.records];
    this.draw();
    this.onCreated(record);
    this.refresh().catch(() => {});
    return record;
  }

  async remove(id) {
    await this.http('DELETE', '/api/alerts/' + encodeURIComponent(id));
    this.records = this.records.filter((a) => a.id !== id);
    this.draw();
  }

  // ---- fires -------------------------------------------------------------------------------------------------------

  /** A fire of the stream: shown at once, or gathered with the others of a catch-up. */
  onFire(fire) {
    if (!fire || fire.type !== 'alert' || fire.owner !== this.owner) return;
    if (!this.ledger.accept(fire)) return;
    if (this.away.missed(fire)) {
      if (!this.missed) {
        this.missed = [];
        setTimeout(() => this.showMissed(), CATCH_UP_GATHER_MS);
      }
      this.missed.push(fire);
      return;
    }
    this.counters.live++;
    this.show(fire);
    this.refresh().catch(() => {});
  }

  showMissed() {
    const fresh = this.missed || [];
    this.missed = null;
    this.showCaughtUp(fresh);
    this.refresh().catch(() => {});
  }

  /** At start: the fires recorded since the newest one seen (the first run only takes note). */
  catchUp() {
    return this.fetchMissed().catch((e) => this.panel.message('alerts: ' + e.message));
  }

  async fetchMissed() {
    this.counters.catchUps++;
    const first = this.ledger.query() == null;
    let since = first ? 0 : this.ledger.query();
    const fresh = [];
    for (;;) {
      const body = await this.http('GET', `/api/alerts/fires?since=${since}&limit=${FIRES_LIMIT}`);
      const fires = body && Array.isArray(body.fires) ? body.fires : [];
      if (first) this.ledger.baseline(fires); else fresh.push(...this.ledger.acceptAll(fires));
      if (fires.length < FIRES_LIMIT) break;
      since = fires[fires.length - 1].recordedAt;
    }
    this.showCaughtUp(fresh);
    await this.refresh();
  }

  /** Fires missed while away (oldest first): the newest few as toasts, a count of the others. */
  showCaughtUp(fresh) {
    fresh.forEach((f) => noteFire(this.lastFires, f));
    const plan = planToasts(fresh);
    plan.show.forEach((f) => this.show(f));
    if (plan.more) this.toasts.show({ title: `${plan.more} more alert fires while away`, body: 'see the alerts panel' }, 'info');
    this.counters.caughtUp += fresh.length;
  }

  show(fire) {
    noteFire(this.lastFires, fire);
    const t = fireText(fire, this.time);
    this.fires.push({ fire: fire.fire, alert: fire.alert, symbol: fire.symbol, price: t.price, title: t.title, body: t.body });
    if (this.fires.length > 200) this.fires.shift();
    this.toasts.show(t, 'fire');
    this.notifier.notify(t);
  }

  // ---- notices -----------------------------------------------------------------------------------------------------

  onNotice(body) {
    if (this.notices.add(body)) this.renderNotices();
  }

  renderNotices() {
    this.banner.render(this.notices.visible(this.symbols()));
  }

  symbols() {
    return this.activeSymbol ? [this.activeSymbol] : [];
  }

  // ---- charts ------------------------------------------------------------------------------------------------------

  attach(pane) {
    const alerts = new ChartAlerts({
      pane, onConfirm: (symbol, condition) => this.create(makeDefinition({ symbol, kind: condition.kind, level: condition.level })),
    });
    this.charts.set(pane, { alerts, symbol: pane.symbol });
    alerts.setAlerts(this.alerts, this.colors());
  }

  detach(pane) {
    const c = this.charts.get(pane);
    if (!c) return;
    c.alerts.dispose();
    this.charts.delete(pane);
  }

  /** A chart changed its symbol (or timeframe). */
  follow(pane) {
    const c = this.charts.get(pane);
    if (!c) return;
    if (c.symbol !== pane.symbol) {
      c.alerts.clear();
      c.symbol = pane.symbol;
    }
    c.alerts.setAlerts(this.alerts, this.colors());
  }

  /** The active chart's symbol: the panel lists its alerts, its notices are shown. */
  setActiveSymbol(symbol) {
    this.panel.setSymbol(symbol);
    if (symbol === this.activeSymbol) return;
    this.activeSymbol = symbol;
    this.renderNotices();
  }

  draw() {
    this.alerts = withFires(this.records, this.lastFires);
    for (const c of this.charts.values()) c.alerts.setAlerts(this.alerts, this.colors());
    this.panel.setAlerts(this.alerts);
  }

  hook() {
    const me = this;
    return {
      get owner() { return me.owner; },
      get alerts() { return me.alerts.map((a) => ({ ...a })); },
      get panel() { return me.panel.hook(); },
      get fires() { return me.fires.slice(); },
      get toasts() { return me.toasts.shown.slice(); },
      get notices() { return me.notices.visible(me.symbols()); },
      get counters() { return { ...me.counters, notifications: me.notifier.sent }; },
      get permission() { return me.notifier.permission; },
      get since() { return me.ledger.since; },
      chart: (i) => { const c = [...me.charts.values()][i]; return c ? c.alerts.hook() : null; },
    };
  }
}

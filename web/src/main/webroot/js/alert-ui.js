/*
 * What the user sees of alert fires and operator notices: in-page toasts (bottom right), the browser's Notification
 * when the user allowed it, and the notice banner under the header. Texts come from alerts.js / notices.js.
 */
import { MAX_SHOWN } from './notices.js';

/** How long a toast stays (the pointer over it keeps it). */
export const TOAST_MS = 20000;
const MAX_TOASTS = 5;
const HISTORY = 100;

export class Toasts {
  constructor(root) {
    this.root = root;
    this.shown = [];           // every toast shown, oldest first (tests and diagnostics), at most HISTORY
  }

  /** Shows {id, title, body} (kind 'fire' | 'info'). */
  show(t, kind = 'fire') {
    this.shown.push({ ...t, kind, at: Date.now() });
    if (this.shown.length > HISTORY) this.shown.shift();
    const box = document.createElement('div');
    box.className = 'toast toast-' + kind;
    box.setAttribute('role', kind === 'fire' ? 'alert' : 'status');
    if (t.id) box.dataset.fire = t.id;
    const title = document.createElement('b');
    title.textContent = t.title;
    const body = document.createElement('span');
    body.textContent = t.body || '';
    const close = document.createElement('button');
    close.type = 'button';
    close.className = 'toast-close';
    close.title = 'Dismiss';
    close.textContent = '×';
    close.addEventListener('click', () => box.remove());
    box.append(title, body, close);
    this.root.appendChild(box);
    while (this.root.children.length > MAX_TOASTS) this.root.firstChild.remove();
    let timer = setTimeout(() => box.remove(), TOAST_MS);
    box.addEventListener('pointerenter', () => clearTimeout(timer));
    box.addEventListener('pointerleave', () => { timer = setTimeout(() => box.remove(), TOAST_MS / 2); });
  }
}

/**
 * The browser's notifications: permission is asked once, on the user's first alert creation (never on load), and
 * a fire becomes a Notification only when it was granted. window.Notification is looked up at each use.
 */
export class Notifier {
  constructor(win = window) {
    this.win = win;
    this.asked = false;
    this.sent = 0;
  }

  get permission() {
    const N = this.win.Notification;
    return N ? N.permission : 'unsupported';
  }

  ask() {
    const N = this.win.Notification;
    if (this.asked || !N || N.permission !== 'default') return;
    this.asked = true;
    try {
      const p = N.requestPermission();
      if (p && p.catch) p.catch(() => {});
    } catch (e) { /* an old browser's callback form: nothing to wait for */ }
  }

  notify(t) {
    const N = this.win.Notification;
    if (!N || N.permission !== 'granted') return false;
    try {
      const n = new N(t.title, { body: t.body, tag: t.id });
      n.onclick = () => this.win.focus();
      this.sent++;
      return true;
    } catch (e) {
      return false; // e.g. Android Chrome wants a service worker for notifications
    }
  }
}

/** The banner of operator notices (NoticeBoard.visible): level colour, text, optional link, dismiss. */
export class NoticeBanner {
  constructor(root, onDismiss) {
    this.root = root;
    this.onDismiss = onDismiss;
  }

  render(notices) {
    this.root.textContent = '';
    this.root.hidden = notices.length === 0;
    for (const n of notices.slice(0, MAX_SHOWN)) {
      const row = document.createElement('div');
      row.className = 'notice notice-' + n.level;
      row.dataset.id = n.id;
      row.setAttribute('role', n.level === 'critical' ? 'alert' : 'status');
      const level = document.createElement('b');
      level.textContent = n.symbol ? `${n.level} · ${n.symbol}` : n.level;
      const text = document.createElement('span');
      text.className = 'notice-text';
      text.textContent = n.text;
      row.append(level, text);
      if (n.link) {
        const a = document.createElement('a');
        a.href = n.link;
        a.target = '_blank';
        a.rel = 'noopener noreferrer';
        a.textContent = 'more';
        row.appendChild(a);
      }
      const close = document.createElement('button');
      close.type = 'button';
      close.className = 'notice-close';
      close.title = 'Dismiss';
      close.textContent = '×';
      close.addEventListener('click', () => this.onDismiss(n.id));
      row.appendChild(close);
      this.root.appendChild(row);
    }
  }
}

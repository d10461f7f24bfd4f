/*
 * The replay toolbar (the chart server's Start/Reset buttons): play/pause, reset, a speed selector and the progress
 * of the file. Shown only while the feed runs a replay: GET /api/replay answers its status then, {"state":"none"}
 * (no replay) or an error (503: no feed leader) otherwise. While shown it polls the status every second; the buttons POST
 * /api/replay/{start|pause|reset|speed?x=} (operator-only: a refusal, e.g. 403, is shown as the server's error text).
 *
 * replayView() is pure (tested in src/test/js/replay-bar.test.js); ReplayBar wires it to the DOM.
 */

export const REPLAY_SPEEDS = ['0.5', '1', '2', '5', '10', '50', '100', 'max'];
export const REPLAY_POLL_MS = 1000;

/** A duration in ms as "1h 02m", "3m 05s", "12s"; '' for null or a negative/NaN value. */
export function formatEta(ms) {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) return '';
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m ${String(sec).padStart(2, '0')}s`;
  return `${sec}s`;
}

/** The speed as the selector shows it: "10" for 10 and "10.0", "max" for max; null when not a speed. */
export function normalSpeed(speed) {
  if (speed === 'max') return 'max';
  const n = typeof speed === 'number' ? speed : Number(speed);
  if (!Number.isFinite(n) || n <= 0) return null;
  return String(n);
}

/**
 * What the toolbar shows for a status reply ({state, speed, position, total, eta}); null hides it (no replay, or a
 * malformed status).
 */
export function replayView(status) {
  if (!status || typeof status !== 'object') return null;
  const { state, position, total, eta } = status;
  if (!['running', 'paused', 'finished', 'failed'].includes(state)) return null;
  if (typeof position !== 'number' || typeof total !== 'number') return null;
  const speed = normalSpeed(status.speed);
  const known = total >= 0;
  const fraction = state === 'finished' ? 1 : known && total > 0 ? Math.min(1, position / total) : 0;
  const count = known ? `${position.toLocaleString('en-US')} / ${total.toLocaleString('en-US')}`
    : position.toLocaleString('en-US');
  const etaText = state === 'running' ? formatEta(eta) : '';
  return {
    state,
    playing: state === 'running',
    canPlay: state === 'paused',
    canPause: state === 'running',
    canReset: state !== 'failed',
    speed,
    speedOptions: speed && !REPLAY_SPEEDS.includes(speed) ? [...REPLAY_SPEEDS, speed] : REPLAY_SPEEDS.slice(),
    fraction,
    label: `${state} · ${count}${etaText ? ' · ' + etaText + ' left' : ''}`,
  };
}

export class ReplayBar {
  /**
   * @param root the toolbar element (hidden until a replay answers)
   * @param opts {getJson(url), postJson(url), say(text), setInterval?, clearInterval?}
   */
  constructor(root, opts) {
    this.root = root;
    this.opts = opts;
    this.view = null;
    this.timer = null;
    this.busy = false;
    this.el = {
      play: root.querySelector('[data-replay="play"]'),
      reset: root.querySelector('[data-replay="reset"]'),
      speed: root.querySelector('[data-replay="speed"]'),
      progress: root.querySelector('[data-replay="progress"]'),
      label: root.querySelector('[data-replay="label"]'),
    };
    this.el.play.addEventListener('click', () => this.command(this.view && this.view.playing ? 'pause' : 'start'));
    this.el.reset.addEventListener('click', () => this.command('reset'));
    this.el.speed.addEventListener('change', () => this.command('speed?x=' + encodeURIComponent(this.el.speed.value)));
  }

  /** Asks once; polls every second while a replay runs. */
  async start() {
    await this.refresh();
    if (this.view) this.poll();
  }

  poll() {
    const si = this.opts.setInterval || setInterval;
    if (this.timer == null) this.timer = si(() => this.refresh(), REPLAY_POLL_MS);
  }

  stop() {
    const ci = this.opts.clearInterval || clearInterval;
    if (this.timer != null) ci(this.timer);
    this.timer = null;
  }

  async refresh() {
    const status = await this.opts.getJson('/api/replay').catch(() => null);
    this.show(replayView(status));
  }

  async command(op) {
    if (this.busy) return;
    this.busy = true;
    try {
      this.show(replayView(await this.opts.postJson('/api/replay/' + op)));
    } catch (e) {
      this.opts.say('replay: ' + (e && e.message));
      await this.refresh();
    } finally {
      this.busy = false;
    }
  }

  show(view) {
    this.view = view;
    this.root.hidden = !view;
    if (!view) return;
    const { play, reset, speed, progress, label } = this.el;
    play.disabled = !view.canPlay && !view.canPause;
    play.dataset.state = view.playing ? 'playing' : 'paused';
    play.title = view.playing ? 'Pause the replay' : 'Start the replay';
    play.setAttribute('aria-pressed', String(view.playing));
    reset.disabled = !view.canReset;
    if ([...speed.options].map((o) => o.value).join() !== view.speedOptions.join()) {
      speed.replaceChildren(...view.speedOptions.map((s) => new Option(s === 'max' ? 'max' : s + '×', s)));
    }
    if (view.speed && document.activeElement !== speed) speed.value = view.speed;
    progress.value = view.fraction;
    label.textContent = view.label;
    this.root.dataset.state = view.state;
  }

  /** For tests (window.candlecast.replay()). */
  hook() {
    return this.view ? { ...this.view, visible: !this.root.hidden } : { visible: !this.root.hidden };
  }
}

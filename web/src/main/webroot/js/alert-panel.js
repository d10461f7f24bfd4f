/*
 * The alerts side panel: the owner's alerts of the active chart's symbol (condition, state, fires, a delete button;
 * fired ones marked) and a small form for any kind of alert (symbol = the active chart's, kind, its fields with
 * defaults, mode once/rearm with a cool-down, note). The form's values go through alerts.js makeDefinition, so a bad
 * value is named before anything is sent; the server's refusal text is shown the same way.
 */
import { ALERT_KINDS, ALERT_TFS, makeDefinition, alertRow } from './alerts.js';
import { formatPrice, priceDecimals } from './model.js';

export class AlertPanel {
  /**
   * @param {HTMLElement} root
   * @param {object} o
   * @param {(definition)=>Promise<any>} o.create
   * @param {(id)=>Promise<any>} o.remove
   */
  constructor(root, o) {
    this.root = root;
    this.create = o.create;
    this.remove = o.remove;
    this.symbol = null;
    this.alerts = [];
    this.visible = false;
    this.shownKey = null;
    root.innerHTML = `
      <div class="p-head"><b class="p-title">Alerts</b><span class="p-sym"></span><span class="p-msg"></span></div>
      <details class="alert-form">
        <summary>New alert…</summary>
        <div class="af-grid">
          <label>kind <select name="kind">${Object.entries(ALERT_KINDS)
            .map(([k, v]) => `<option value="${k}">${v.label}</option>`).join('')}</select></label>
          <span class="af-fields"></span>
          <label>mode <select name="mode"><option value="once">once</option><option value="rearm">re-arm</option></select></label>
          <label class="af-cooldown" hidden>cool-down s <input name="cooldown" type="number" min="0" step="1" value="60"></label>
          <label>note <input name="note" type="text" maxlength="200"></label>
          <button type="button" class="af-create">Create</button>
        </div>
        <div class="af-err" role="status"></div>
      </details>
      <div class="p-body alert-list"></div>`;
    const q = (s) => root.querySelector(s);
    this.el = {
      sym: q('.p-sym'), msg: q('.p-msg'), kind: q('select[name=kind]'), fields: q('.af-fields'),
      mode: q('select[name=mode]'), cooldown: q('.af-cooldown'), note: q('input[name=note]'),
      create: q('.af-create'), err: q('.af-err'), list: q('.alert-list'),
    };
    this.el.kind.addEventListener('change', () => this.renderFields());
    this.el.mode.addEventListener('change', () => { this.el.cooldown.hidden = this.el.mode.value !== 'rearm'; });
    this.el.create.addEventListener('click', () => this.submit());
    this.el.list.addEventListener('click', (e) => {
      const b = e.target.closest('button.al-delete');
      if (b) this.delete(b.dataset.id, b);
    });
    this.renderFields();
  }

  setVisible(on) {
    this.visible = on;
    this.root.hidden = !on;
  }

  setSymbol(symbol) {
    this.symbol = symbol;
    this.el.sym.textContent = symbol || '';
    this.render();
  }

  setAlerts(alerts) {
    this.alerts = alerts;
    this.render();
  }

  message(text) {
    this.el.msg.textContent = text || '';
    this.el.msg.title = text || '';
  }

  renderFields() {
    const box = this.el.fields;
    box.textContent = '';
    for (const f of ALERT_KINDS[this.el.kind.value].fields) {
      const label = document.createElement('label');
      label.textContent = (f.name === 'window' ? 'window (30s, 5m, 1h)' : f.name) + ' ';
      let input;
      if (f.tf) {
        input = document.createElement('select');
        for (const tf of ALERT_TFS) input.add(new Option(tf, tf));
        input.value = f.def;
      } else {
        input = document.createElement('input');
        input.type = f.window ? 'text' : 'number';
        if (!f.window) input.step = f.int ? '1' : 'any';
        input.value = f.def === undefined ? '' : f.window ? `${f.def / 60000}m` : String(f.def);
      }
      input.name = f.name;
      label.appendChild(input);
      box.appendChild(label);
    }
  }

  /** The form's values: {kind, mode, cooldown, note, <field>: raw}. */
  values() {
    const v = { symbol: this.symbol, kind: this.el.kind.value, mode: this.el.mode.value,
      cooldown: this.root.querySelector('input[name=cooldown]').value, note: this.el.note.value };
    for (const input of this.el.fields.querySelectorAll('input, select')) v[input.name] = input.value;
    return v;
  }

  async submit() {
    let def;
    try {
      def = makeDefinition(this.values());
    } catch (e) {
      this.el.err.textContent = e.message;
      return;
    }
    this.el.err.textContent = '';
    this.el.create.disabled = true;
    try {
      await this.create(def);
      this.el.note.value = '';
    } catch (e) {
      this.el.err.textContent = e.message;
    } finally {
      this.el.create.disabled = false;
    }
  }

  async delete(id, button) {
    button.disabled = true;
    try {
      await this.remove(id);
    } catch (e) {
      button.disabled = false;
      this.message(e.message);
    }
  }

  /** Redraws the list when what it shows changed (a refresh that changed nothing leaves the rows as they are). */
  render() {
    const list = this.el.list;
    const mine = this.alerts.filter((a) => a.symbol === this.symbol);
    const rows = mine.map(alertRow);
    const key = this.symbol + JSON.stringify(rows);
    if (key === this.shownKey) return;
    this.shownKey = key;
    list.textContent = '';
    if (!rows.length) {
      const empty = document.createElement('div');
      empty.className = 'al-empty';
      empty.textContent = 'No alerts on this symbol: "+ Alert" on the chart, Alt+click, or the form above.';
      list.appendChild(empty);
      return;
    }
    for (const r of rows) list.appendChild(this.row(r));
  }

  row(r) {
    const row = document.createElement('div');
    row.className = `al-row al-${r.state}${r.fired ? ' al-fired' : ''}`;
    row.dataset.id = r.id;
    row.dataset.state = r.state;
    const state = document.createElement('span');
    state.className = 'al-state';
    state.textContent = r.state;
    const text = document.createElement('span');
    text.className = 'al-text';
    text.textContent = r.text;
    text.title = `${r.id} · ${r.mode}`;
    row.append(state, text);
    if (r.fired) {
      const f = document.createElement('span');
      f.className = 'al-fires';
      f.textContent = `${r.fireCount > 1 ? '×' + r.fireCount + ' ' : ''}`
        + (r.lastPrice != null ? 'at ' + formatPrice(r.lastPrice, priceDecimals(r.lastPrice)) : '');
      f.title = 'fired';
      row.appendChild(f);
    }
    const del = document.createElement('button');
    del.type = 'button';
    del.className = 'al-delete';
    del.dataset.id = r.id;
    del.title = 'Delete this alert';
    del.textContent = '×';
    row.appendChild(del);
    return row;
  }

  hook() {
    return [...this.el.list.querySelectorAll('.al-row')].map((r) => ({
      id: r.dataset.id, state: r.dataset.state, fired: r.classList.contains('al-fired'),
      text: r.querySelector('.al-text').textContent,
    }));
  }
}

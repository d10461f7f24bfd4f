/*
 * The indicator menu of one chart (a <details> popover in the chart's toolbar): the chart's indicators with their
 * parameters editable in place (a change replaces the indicator by the one with the new key) and a remove button,
 * and an "add" row (kind + parameters, defaults filled in). Validation is indicators.js's makeSpec (the server's
 * rules); a refused value is shown in the menu and changes nothing.
 */
import { KINDS, MAX_PER_CHART, makeSpec, formatParam } from './indicators.js';

export class IndicatorMenu {
  /**
   * @param {HTMLElement} root   the <details> element
   * @param {(list)=>void} onChange  the user changed the chart's list (specs in order)
   */
  constructor(root, onChange) {
    this.root = root;
    this.onChange = onChange;
    this.list = [];
    root.classList.add('ind-menu');
    root.innerHTML = `
      <summary title="Indicators">Indicators</summary>
      <div class="ind-pop">
        <div class="ind-list"></div>
        <div class="ind-add">
          <select class="ind-kind" aria-label="indicator">
            ${Object.entries(KINDS).map(([k, v]) => `<option value="${k}" title="${v.title}">${v.label} – ${v.title}</option>`).join('')}
          </select>
          <span class="ind-params"></span>
          <button type="button" class="ind-add-btn">Add</button>
        </div>
        <div class="ind-err" role="status"></div>
      </div>`;
    this.el = {
      list: root.querySelector('.ind-list'), kind: root.querySelector('.ind-kind'),
      params: root.querySelector('.ind-params'), add: root.querySelector('.ind-add-btn'), err: root.querySelector('.ind-err'),
    };
    this.el.kind.addEventListener('change', () => this.renderAddParams());
    this.el.add.addEventListener('click', () => this.add());
    this.renderAddParams();
  }

  error(text) {
    this.el.err.textContent = text || '';
  }

  /** Shows the chart's list (from the chart, after any change). */
  set(list) {
    this.list = list.slice();
    const box = this.el.list;
    box.textContent = '';
    this.list.forEach((spec, i) => box.appendChild(this.row(spec, i)));
    this.el.add.disabled = this.list.length >= MAX_PER_CHART;
    this.root.querySelector('summary').textContent = this.list.length ? `Indicators (${this.list.length})` : 'Indicators';
  }

  row(spec, i) {
    const kind = KINDS[spec.name];
    const row = document.createElement('div');
    row.className = 'ind-row';
    row.dataset.key = spec.key;
    const name = document.createElement('b');
    name.textContent = kind.label;
    name.title = kind.title;
    row.appendChild(name);
    const inputs = this.paramInputs(spec.name, spec.params);
    inputs.forEach((label) => row.appendChild(label));
    for (const label of inputs) {
      label.querySelector('input').addEventListener('change', () => this.edit(i, inputs));
    }
    const rm = document.createElement('button');
    rm.type = 'button';
    rm.className = 'ind-remove';
    rm.title = `Remove ${spec.key}`;
    rm.textContent = '×';
    rm.addEventListener('click', () => {
      this.error('');
      this.onChange(this.list.filter((_, k) => k !== i));
    });
    row.appendChild(rm);
    return row;
  }

  paramInputs(name, values) {
    const kind = KINDS[name];
    return kind.params.map((p, k) => {
      const label = document.createElement('label');
      label.textContent = p + ' ';
      const input = document.createElement('input');
      input.type = 'number';
      input.name = p;
      input.step = p === 'mult' ? '0.1' : '1';
      input.min = p === 'mult' ? '0.1' : '1';
      input.max = p === 'mult' ? '10' : '500';
      input.value = formatParam(values && values[p] !== undefined ? values[p] : kind.defaults[k]);
      label.appendChild(input);
      return label;
    });
  }

  renderAddParams() {
    this.el.params.textContent = '';
    this.paramInputs(this.el.kind.value).forEach((l) => this.el.params.appendChild(l));
  }

  static read(inputs) {
    const raw = {};
    for (const label of inputs) {
      const input = label.querySelector('input');
      raw[input.name] = input.value;
    }
    return raw;
  }

  edit(i, inputs) {
    let spec;
    try {
      spec = makeSpec(this.list[i].name, IndicatorMenu.read(inputs));
    } catch (e) {
      this.error(e.message);
      return;
    }
    this.error('');
    if (spec.key === this.list[i].key) return;
    if (this.list.some((s) => s.key === spec.key)) {
      this.error(`${spec.key} is already on the chart`);
      return;
    }
    this.onChange(this.list.map((s, k) => (k === i ? spec : s)));
  }

  add() {
    let spec;
    try {
      spec = makeSpec(this.el.kind.value, IndicatorMenu.read([...this.el.params.querySelectorAll('label')]));
    } catch (e) {
      this.error(e.message);
      return;
    }
    if (this.list.some((s) => s.key === spec.key)) {
      this.error(`${spec.key} is already on the chart`);
      return;
    }
    if (this.list.length >= MAX_PER_CHART) {
      this.error(`at most ${MAX_PER_CHART} indicators per chart`);
      return;
    }
    this.error('');
    this.onChange(this.list.concat([spec]));
  }
}

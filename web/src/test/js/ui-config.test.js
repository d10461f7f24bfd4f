// The page's fallback UI configuration must be the gateway's default: one set of values, checked here against the
// gateway's file (the page falls back to its copy only when /api/ui-config fails or leaves something out).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { DEFAULT_UI_CONFIG } from '../../main/webroot/js/model.js';

const repo = new URL('../../../../', import.meta.url);
const gatewayDefault = JSON.parse(readFileSync(
  new URL('gateway-verticle/src/main/resources/candlecast/gateway/ui-config.json', repo), 'utf8'));

test('the page\'s default UI config is the gateway\'s default ui-config.json', () => {
  assert.deepEqual(DEFAULT_UI_CONFIG.themes, gatewayDefault.themes);
  assert.equal(DEFAULT_UI_CONFIG.layout, gatewayDefault.layout);
  assert.equal(DEFAULT_UI_CONFIG.theme, gatewayDefault.theme);
  assert.deepEqual(DEFAULT_UI_CONFIG.indicators, gatewayDefault.indicators);
  assert.deepEqual(DEFAULT_UI_CONFIG.panels, gatewayDefault.panels);
});

test('the stylesheet\'s colours before the config arrives are the default theme\'s', () => {
  const css = readFileSync(new URL('web/src/main/webroot/style.css', repo), 'utf8');
  const root = /:root, \[data-theme="dark"\] \{([^}]*)\}/.exec(css)[1];
  const theme = gatewayDefault.themes[gatewayDefault.theme];
  const vars = { bg: 'background', text: 'text', grid: 'grid', up: 'up', down: 'down', sma50: 'sma50', sma200: 'sma200' };
  for (const [v, key] of Object.entries(vars)) {
    const m = new RegExp(`--${v}: ([^;]+);`).exec(root);
    assert.ok(m, `--${v} in style.css`);
    assert.equal(m[1].trim(), theme[key], `--${v}`);
  }
});

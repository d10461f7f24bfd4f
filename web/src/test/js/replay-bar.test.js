import { test } from 'node:test';
import assert from 'node:assert/strict';
import { replayView, formatEta, normalSpeed, REPLAY_SPEEDS } from '../../main/webroot/js/replay-bar.js';

const status = (o) => ({ state: 'running', speed: '10', position: 250, total: 1000, eta: 75000, pass: 0, ...o });

test('a running replay shows pause, its progress, the count and the time left', () => {
  const v = replayView(status());
  assert.equal(v.playing, true);
  assert.equal(v.canPause, true);
  assert.equal(v.canPlay, false);
  assert.equal(v.fraction, 0.25);
  assert.equal(v.speed, '10');
  assert.equal(v.label, 'running · 250 / 1,000 · 1m 15s left');
  assert.deepEqual(v.speedOptions, REPLAY_SPEEDS);
});

test('paused, finished and failed replays offer what the feed allows in that state', () => {
  const paused = replayView(status({ state: 'paused', eta: null }));
  assert.deepEqual([paused.canPlay, paused.canPause, paused.canReset], [true, false, true]);
  assert.equal(paused.label, 'paused · 250 / 1,000');
  const finished = replayView(status({ state: 'finished', position: 1000, eta: 0 }));
  assert.deepEqual([finished.canPlay, finished.canPause, finished.canReset, finished.fraction], [false, false, true, 1]);
  const failed = replayView(status({ state: 'failed' }));
  assert.deepEqual([failed.canPlay, failed.canPause, failed.canReset], [false, false, false]);
});

test('rows not counted yet show the position alone and no progress', () => {
  const v = replayView(status({ total: -1, eta: null }));
  assert.equal(v.fraction, 0);
  assert.equal(v.label, 'running · 250');
});

test('speeds outside the selector are added to it; the feed writes 10.0 as 10', () => {
  assert.deepEqual(replayView(status({ speed: '3' })).speedOptions, [...REPLAY_SPEEDS, '3']);
  assert.equal(normalSpeed('10.0'), '10');
  assert.equal(normalSpeed(0.5), '0.5');
  assert.equal(normalSpeed('max'), 'max');
  for (const bad of ['0', '-1', 'fast', null, undefined, {}]) assert.equal(normalSpeed(bad), null, String(bad));
});

test('no replay or a malformed status hides the toolbar', () => {
  for (const bad of [null, undefined, 'running', 5, {}, { state: 'none', reason: 'the running source is not a replay' },
    status({ state: 'rewinding' }), status({ position: '1' }), status({ total: null })]) {
    assert.equal(replayView(bad), null, JSON.stringify(bad));
  }
});

test('formatEta', () => {
  assert.equal(formatEta(0), '0s');
  assert.equal(formatEta(12_400), '12s');
  assert.equal(formatEta(185_000), '3m 05s');
  assert.equal(formatEta(3_720_000), '1h 02m');
  for (const bad of [null, undefined, -1, NaN, Infinity, '5']) assert.equal(formatEta(bad), '', String(bad));
});

// Operator notices on the page (notices.js): the notice JSON checked, safe links only, each shown once, dismissed
// ones never again, a symbol's notice only while the symbol is on a chart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toNotice, safeLink, NoticeBoard, MAX_SHOWN, MAX_TEXT } from '../../main/webroot/js/notices.js';

const notice = (id, extra = {}) => ({ type: 'notice', id, text: `notice ${id}`, level: 'warning', time: 1, ...extra });

test('toNotice: the contract\'s fields; unknown level -> info; unusable bodies -> null', () => {
  assert.deepEqual(toNotice(notice('n-1', { link: 'https://status.example.com/x', symbol: 'BTCUSD' })), {
    id: 'n-1', text: 'notice n-1', level: 'warning', link: 'https://status.example.com/x', symbol: 'BTCUSD', time: 1,
  });
  assert.equal(toNotice(notice('n-2', { level: 'panic' })).level, 'info');
  assert.equal(toNotice(notice('n-3', { text: 'x'.repeat(MAX_TEXT + 10) })).text.length, MAX_TEXT);
  for (const b of [null, 'text', {}, notice(''), notice('n-4', { text: '  ' }), notice('n-5', { text: 3 })]) {
    assert.equal(toNotice(b), null, JSON.stringify(b));
  }
});

test('safeLink: http(s) only', () => {
  assert.equal(safeLink('http://a.example/'), 'http://a.example/');
  assert.equal(safeLink('https://a.example/p?q=1'), 'https://a.example/p?q=1');
  for (const bad of ['javascript:alert(1)', 'data:text/html,x', '/relative', 'ftp://a.example/', '', null, 42]) {
    assert.equal(safeLink(bad), null, String(bad));
  }
  assert.equal(toNotice(notice('n', { link: 'javascript:alert(1)' })).link, null);
});

test('the board: newest first, each once, dismissed never again, symbol notices follow the charts', () => {
  const b = new NoticeBoard();
  assert.equal(b.add(notice('n-1')), true);
  assert.equal(b.add(notice('n-1')), false, 'the same notice again (e.g. on notices and notices.<SYMBOL>)');
  assert.equal(b.add(notice('n-2', { symbol: 'ETHUSD' })), true);
  assert.equal(b.add(notice('n-3')), true);
  assert.deepEqual(b.visible(['BTCUSD']).map((n) => n.id), ['n-3', 'n-1']);
  assert.deepEqual(b.visible(['BTCUSD', 'ETHUSD']).map((n) => n.id), ['n-3', 'n-2', 'n-1']);
  b.dismiss('n-3');
  assert.deepEqual(b.visible(['ETHUSD']).map((n) => n.id), ['n-2', 'n-1']);
  assert.equal(b.add(notice('n-3')), false, 'dismissed stays dismissed');
  for (let i = 10; i < 20; i++) b.add(notice('n-' + i));
  assert.equal(b.visible([]).length, MAX_SHOWN);
  assert.equal(b.visible([])[0].id, 'n-19');
});

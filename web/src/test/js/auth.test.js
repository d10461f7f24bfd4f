// The access-token handling of the page (js/auth.js) with a fake storage, location and history.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AccessToken, splitTokenFromHash, withTokenParam, withBearer, STORAGE_KEY,
} from '../../main/webroot/js/auth.js';

function fakeStorage() {
  const m = new Map();
  return {
    m,
    getItem: (k) => (m.has(k) ? m.get(k) : null),
    setItem: (k, v) => m.set(k, String(v)),
    removeItem: (k) => m.delete(k),
  };
}

/** location + history where replaceState really changes the location, like a browser's. */
function fakeWindow(hash, search = '?layout=1') {
  const location = { pathname: '/', search, hash };
  const urls = [];
  const history = {
    state: null,
    replaceState(state, title, url) {
      urls.push(url);
      const i = url.indexOf('#');
      location.hash = i < 0 ? '' : url.slice(i);
    },
  };
  return { location, history, urls };
}

test('splitTokenFromHash: takes the token out and keeps the rest of the fragment', () => {
  assert.deepEqual(splitTokenFromHash('#access_token=a.b.c'), { token: 'a.b.c', hash: '' });
  assert.deepEqual(splitTokenFromHash('#x=1&access_token=a.b.c&y=2'), { token: 'a.b.c', hash: '#x=1&y=2' });
  assert.deepEqual(splitTokenFromHash('#access_token=a%2Bb'), { token: 'a+b', hash: '' });
  assert.deepEqual(splitTokenFromHash('#access_token='), { token: null, hash: '' });
  assert.deepEqual(splitTokenFromHash('#section'), { token: null, hash: '#section' });
  assert.deepEqual(splitTokenFromHash(''), { token: null, hash: '' });
  assert.deepEqual(splitTokenFromHash(undefined), { token: null, hash: '' });
});

test('withTokenParam and withBearer add the token only when there is one', () => {
  assert.equal(withTokenParam('/eventbus', 'a.b.c'), '/eventbus?access_token=a.b.c');
  assert.equal(withTokenParam('/eventbus?x=1', 'a+b/c'), '/eventbus?x=1&access_token=a%2Bb%2Fc');
  assert.equal(withTokenParam('/eventbus', null), '/eventbus');
  assert.deepEqual(withBearer({ Accept: 'application/json' }, 't'), { Accept: 'application/json', Authorization: 'Bearer t' });
  const h = { Accept: 'application/json' };
  assert.deepEqual(withBearer(h, ''), { Accept: 'application/json' });
  assert.notEqual(withBearer(h, ''), h, 'a copy');
});

test('a token in the URL fragment goes to sessionStorage and out of the address bar', () => {
  const storage = fakeStorage();
  const w = fakeWindow('#access_token=jwt.one');
  const auth = new AccessToken({ storage, location: w.location, history: w.history });
  assert.equal(auth.adoptFromUrl(), true);
  assert.equal(storage.getItem(STORAGE_KEY), 'jwt.one');
  assert.deepEqual(w.urls, ['/?layout=1']);
  assert.equal(w.location.hash, '');
  assert.equal(auth.get(), 'jwt.one');
  assert.deepEqual(auth.headers({ Accept: 'application/json' }), { Accept: 'application/json', Authorization: 'Bearer jwt.one' });

  // a reload (no fragment any more) keeps the token of this tab; the URL is left alone
  const again = new AccessToken({ storage, location: w.location, history: w.history });
  assert.equal(again.adoptFromUrl(), false);
  assert.equal(again.get(), 'jwt.one');
  assert.deepEqual(w.urls, ['/?layout=1']);
});

test('without a token nothing is added and the URL is left alone', () => {
  const w = fakeWindow('#notes');
  const auth = new AccessToken({ storage: fakeStorage(), location: w.location, history: w.history });
  assert.equal(auth.adoptFromUrl(), false);
  assert.deepEqual(w.urls, []);
  assert.equal(auth.get(), null);
  assert.deepEqual(auth.headers({ Accept: 'application/json' }), { Accept: 'application/json' });
});

test('a blocked sessionStorage keeps the token in memory', () => {
  const throwing = { getItem() { throw new Error('denied'); }, setItem() { throw new Error('denied'); }, removeItem() {} };
  const w = fakeWindow('#access_token=mem');
  const auth = new AccessToken({ storage: throwing, location: w.location, history: w.history });
  auth.adoptFromUrl();
  assert.equal(auth.get(), 'mem');
  assert.equal(w.location.hash, '');
});

test('after a 401 the user is asked once for all failing requests; the new token is stored', async () => {
  const storage = fakeStorage();
  storage.setItem(STORAGE_KEY, 'expired');
  const asked = [];
  let answer;
  let changes = 0;
  const auth = new AccessToken({
    storage, ask: (why) => { asked.push(why); return new Promise((r) => { answer = r; }); }, onChange: () => changes++,
  });
  const a = auth.renew('expired', 'invalid token: expired');
  const b = auth.renew('expired', 'invalid token: expired');
  await Promise.resolve();
  assert.equal(auth.get(), null, 'the refused token is dropped');
  answer('  fresh  ');
  assert.deepEqual(await Promise.all([a, b]), [true, true]);
  assert.deepEqual(asked, ['invalid token: expired']);
  assert.equal(storage.getItem(STORAGE_KEY), 'fresh');
  assert.equal(changes, 1);
  // a request that went out with the old token and fails now just tries again with the new one
  assert.equal(await auth.renew('expired', 'x'), true);
  assert.equal(asked.length, 1);
});

test('a declined prompt (or a failing one) ends the retries', async () => {
  const declined = new AccessToken({ storage: fakeStorage(), ask: async () => null });
  assert.equal(await declined.renew(null, 'authentication required'), false);
  assert.equal(declined.get(), null);
  const broken = new AccessToken({ storage: fakeStorage(), ask: async () => { throw new Error('no dialog'); } });
  assert.equal(await broken.renew(null, 'authentication required'), false);
  const blank = new AccessToken({ storage: fakeStorage(), ask: async () => '   ' });
  assert.equal(await blank.renew(null, 'authentication required'), false);
  // without a prompt (the default) nothing is asked
  assert.equal(await new AccessToken().renew(null, 'x'), false);
});

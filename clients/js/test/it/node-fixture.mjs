// Starts one real Candlecast node (the single-node jar) for the integration tests, mints HS256 tokens.
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, openSync, existsSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const JAR = resolve(here, '../../../../deploy/target/candlecast.jar');
export const SECRET = 'candlecast-js-client-tests-secret-0123456789abcdef';

export function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.on('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

const b64 = (v) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');

/** An HS256 JWT for `sub` (with extra claims, e.g. {role:'operator'}). */
export function mintToken(sub, claims = {}, secret = SECRET) {
  const head = b64({ alg: 'HS256', typ: 'JWT' });
  const body = b64({ sub, exp: Math.floor(Date.now() / 1000) + 600, ...claims });
  const sig = createHmac('sha256', secret).update(head + '.' + body).digest('base64url');
  return head + '.' + body + '.' + sig;
}

/** Starts the node and waits for GET /ready (up to 2 minutes). */
export async function startNode() {
  if (!existsSync(JAR)) throw new Error('no ' + JAR + ': build it first (mvn -q package -pl deploy -am -DskipTests)');
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'candlecast-js-'));
  const logFile = join(dataDir, 'node.log');
  const out = openSync(logFile, 'a');
  const env = {
    ...process.env,
    CANDLECAST_HTTP_HOST: '127.0.0.1',
    CANDLECAST_HTTP_PORT: String(port),
    CANDLECAST_KAFKA_EMBEDDED_PORT: '0',
    CANDLECAST_DATA_DIR: dataDir,
    CANDLECAST_GATEWAY_INSTANCES: '1',
    CANDLECAST_FEED_RATE: '50',
    CANDLECAST_MOCK_HISTORY_DAYS: '1',
    CANDLECAST_FEED_SYMBOLS: 'BTCUSD,ETHUSD',
    CANDLECAST_GATEWAY_JWT_SECRET: SECRET,
  };
  const proc = spawn('java', ['-Xmx384m', '-XX:+UseSerialGC', '-jar', JAR], { env, stdio: ['ignore', out, out] });
  const base = 'http://127.0.0.1:' + port;
  const deadline = Date.now() + 120_000;
  let exited = null;
  proc.on('exit', (code) => { exited = code; });
  for (;;) {
    if (exited !== null) throw new Error('the node exited with ' + exited + ', see ' + logFile);
    try {
      const r = await fetch(base + '/ready');
      if (r.status === 200) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error('the node was not ready in 2 minutes, see ' + logFile);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  // ready does not mean the mock feed's symbols have live history yet
  const auth = { headers: { Authorization: 'Bearer ' + mintToken('fixture') } };
  for (const sym of ['BTCUSD', 'ETHUSD']) {
    for (;;) {
      const r = await fetch(base + '/api/candles?symbol=' + sym + '&tf=1s&limit=1', auth).catch(() => null);
      // the mock feed first writes a day of history at full speed: wait until it trades in real time
      const last = r && r.status === 200 ? (await r.json()).at(-1) : null;
      if (last && last.t > Date.now() - 10_000) break;
      if (Date.now() > deadline) throw new Error('no history of ' + sym + ' in 2 minutes, see ' + logFile);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  return {
    base,
    port,
    logFile,
    async stop() {
      if (exited === null) {
        const gone = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGTERM');
        const t = setTimeout(() => proc.kill('SIGKILL'), 10_000);
        await gone;
        clearTimeout(t);
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Resolves when `cond()` is true, polling every 50 ms; rejects after `ms`. */
export async function until(cond, ms, what) {
  const deadline = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error('timed out waiting for ' + what);
    await new Promise((r) => setTimeout(r, 50));
  }
}

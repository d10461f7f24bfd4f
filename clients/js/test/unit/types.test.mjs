import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('../../', import.meta.url));

test('the declarations in dist/ type a consumer program (and reject wrong uses)', async () => {
  const tsc = dir + 'node_modules/typescript/bin/tsc';
  const args = [tsc, '--noEmit', '--strict', '--target', 'ES2022', '--module', 'ES2022', '--moduleResolution', 'bundler',
    '--lib', 'ES2022,DOM', '--skipLibCheck', 'false', 'test/types/consumer.ts'];
  const out = await new Promise((resolve) => {
    execFile(process.execPath, args, { cwd: dir }, (err, stdout, stderr) => resolve({ code: err ? err.code : 0, text: stdout + stderr }));
  });
  assert.equal(out.code, 0, out.text);
});

import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const ROOT = resolve(__dirname, '..', '..', '..');

// vitest strips types without checking them; this is the one place the whole workspace is type-checked.
it('the workspace type-checks (tsc --noEmit -p tsconfig.json)', async () => {
  const result = await promisify(execFile)(process.execPath, [resolve(ROOT, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', 'tsconfig.json'], {
    cwd: ROOT,
    maxBuffer: 64 * 1024 * 1024,
  }).then(
    () => '',
    (error: { stdout?: string }) => error.stdout ?? String(error),
  );
  expect(result).toBe('');
}, 300_000);

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const bin = join(__dirname, '..', '..', 'bin', 'ephenv.js');
const dir = mkdtempSync(join(tmpdir(), 'ephenv-help-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the CLI as a user does and lists every module file it loaded. */
function loadedBy(args: string[]): { code: number | null; stdout: string; modules: string[] } {
  const probe = join(dir, 'probe.js');
  const list = join(dir, `modules-${args.join('-') || 'none'}.json`);
  writeFileSync(probe, `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(list)}, JSON.stringify(Object.keys(require.cache))));`);
  const run = spawnSync(process.execPath, ['--require', probe, bin, ...args], { encoding: 'utf8' });
  return { code: run.status, stdout: run.stdout, modules: JSON.parse(readFileSync(list, 'utf8')) };
}

describe('ephenv help', () => {
  // Compiling TypeScript (SWC) and loading the libraries cost more than a help screen may take.
  it('prints every command without loading the compiler, a library or the AWS SDK', () => {
    for (const args of [['help'], ['--help'], []]) {
      const { code, stdout, modules } = loadedBy(args);
      expect(code).toBe(args.length === 0 ? 2 : 0);
      for (const command of ['pr', 'deploy <model>', 'destroy <model>', 'destroy --pr', 'validate', 'benchmark', 'status', 'token', 'logs', 'reap']) {
        expect(stdout).toContain(`  ${command}`);
      }
      expect(modules.filter((m) => /@swc|@aws-sdk|[\\/]libs[\\/]|\.ts$/.test(m))).toEqual([]);
    }
  });

  it('runs the commands themselves from the bundle of their sources, without registering a compiler', () => {
    const { code, modules } = loadedBy(['token']);
    expect(code).toBe(2); // a usage error: the project is missing
    expect(modules.some((m) => m.endsWith(join('.ephenv', 'build', 'cli', 'ephenv.js')))).toBe(true);
    expect(modules.filter((m) => /@swc|[\\/]typescript[\\/]|\.ts$/.test(m))).toEqual([]);
  });
});

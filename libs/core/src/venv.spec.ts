import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { ensureVenv, requirementFiles, venvKey } from './venv';

const ws = mkdtempSync(join(tmpdir(), 'ephenv-venv-'));
afterAll(() => rmSync(ws, { recursive: true, force: true }));

function project(name: string, requirements: string): string {
  const dir = join(ws, 'apps', name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'requirements.txt'), requirements);
  return dir;
}

describe('virtualenvs', () => {
  it('are created once per distinct requirements and reused after', async () => {
    const a = project('a', '# nothing to install\n');
    const b = project('b', '# nothing to install\n');
    const printed: string[] = [];
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => printed.push(String(chunk)) > 0);
    const first = await ensureVenv(ws, a).finally(() => stderr.mockRestore());
    expect(first.created).toBe(true);
    // The first install says what it installs and, at the end, how long it took.
    expect(printed.join('')).toContain(`creating a virtualenv for ${join(a, 'requirements.txt')}`);
    expect(printed.join('')).toMatch(new RegExp(`virtualenv ready in \\d+\\.\\d s: ${first.dir}`));
    expect(existsSync(first.python)).toBe(true);
    const again = await ensureVenv(ws, b);
    expect(again).toEqual({ ...first, created: false });
    writeFileSync(join(b, 'requirements.txt'), '# changed\n');
    expect(venvKey(requirementFiles(b))).not.toBe(venvKey(requirementFiles(a)));
  }, 120_000);

  it('two concurrent callers wait for one build', async () => {
    const c = project('c', '# concurrent\n');
    const [x, y] = await Promise.all([ensureVenv(ws, c), ensureVenv(ws, c)]);
    expect(x.dir).toBe(y.dir);
    expect([x.created, y.created].sort()).toEqual([false, true]);
  }, 120_000);

  it("a failed install shows pip's error and the command to retry, and leaves no half-built venv", async () => {
    const d = project('d', 'ephenv-no-such-package-anywhere==0.0.1\n');
    const error = await ensureVenv(ws, d).then(() => undefined, (e: Error) => e);
    expect(error?.message).toMatch(/pip could not install the requirements/);
    expect(error?.message).toMatch(/ephenv-no-such-package-anywhere/);
    expect(error?.message).toMatch(/retry by hand with:\n {2}.*-m pip install -r .*requirements\.txt/);
    const key = venvKey(requirementFiles(d));
    expect(existsSync(join(ws, '.ephenv', 'venvs', key))).toBe(false);
  }, 180_000);

  it('a model without requirements.txt is told where they go', () => {
    expect(() => requirementFiles(join(ws, 'apps', 'none'))).toThrow(/requirements.txt not found/);
  });
});

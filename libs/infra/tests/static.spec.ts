import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { terraformEnv } from '@ephenv/preview';
import { infraDir, stageExampleRoot, stageModule, terraform, terraformInit, workspaceRoot } from './support/terraform';

describe('terraform sources', () => {
  let tmp: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'ephenv-infra-static-'));
    env = { ...process.env, ...terraformEnv(workspaceRoot) };
  });

  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('are formatted as terraform fmt writes them', async () => {
    const result = await terraform(['fmt', '-check', '-recursive', '-diff', '-no-color'], { cwd: infraDir, env });
    expect(result.stdout).toBe('');
    expect(result.code).toBe(0);
  });

  const stages: Record<string, (dir: string) => string> = {
    'preview-stack': (dir) => stageModule('preview-stack', dir),
    bootstrap: (dir) => stageModule('bootstrap', dir),
    'example root stack': (dir) => stageExampleRoot(dir, 'example-model'),
  };

  it.each(Object.keys(stages))('%s initialises offline and validates without warnings', async (name) => {
    const dir = stages[name](join(tmp, name.replace(/ /g, '-')));
    await terraformInit(['-backend=false'], { cwd: dir, env });
    const result = await terraform(['validate', '-json', '-no-color'], { cwd: dir, env });
    const report = JSON.parse(result.stdout);
    expect(report.diagnostics).toEqual([]);
    expect(report.valid).toBe(true);
  }, 120_000);
});

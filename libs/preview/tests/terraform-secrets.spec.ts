import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { maskInGitHubActions } from '../src/aws/preview-token';
import { runTerraform, terraformProcessEnv } from '../src/aws/run-terraform';

describe('Terraform never runs with debug logging', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ephenv-tf-log-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('drops every TF_LOG* variable, whatever its case, and keeps the rest', () => {
    expect(terraformProcessEnv({ TF_LOG: 'TRACE', TF_LOG_PROVIDER: 'DEBUG', TF_LOG_PATH: '/tmp/tf.log', tf_log_core: 'TRACE', TF_VAR_x: '1', PATH: '/bin' })).toEqual({
      TF_VAR_x: '1',
      PATH: '/bin',
    });
  });

  it('a real terraform run with TF_LOG=TRACE and TF_LOG_PATH set writes no debug log', async () => {
    const log = join(dir, 'terraform.log');
    const debugFile = join(dir, 'debug.log');
    const env = { ...process.env, TF_LOG: 'TRACE', TF_LOG_PATH: debugFile };
    const control = await runTerraform(['version'], { cwd: dir, env: { ...process.env }, log });
    expect(control.code).toBe(0);
    const result = await runTerraform(['version'], { cwd: dir, env, log });
    expect(result.code).toBe(0);
    expect(readFileSync(log, 'utf8')).toContain('Terraform v');
    expect(readFileSync(log, 'utf8')).not.toMatch(/\[(TRACE|DEBUG|INFO)\]/);
    expect(() => readFileSync(debugFile)).toThrow(/ENOENT/);
  }, 60_000);
});

describe('the preview token in GitHub Actions', () => {
  it('is masked with ::add-mask:: when GITHUB_ACTIONS=true, and nothing is printed elsewhere', () => {
    const lines: string[] = [];
    maskInGitHubActions('tok-123', { GITHUB_ACTIONS: 'true' }, (line) => lines.push(line) > 0);
    maskInGitHubActions('tok-456', {}, (line) => lines.push(line) > 0);
    maskInGitHubActions('tok-789', { GITHUB_ACTIONS: 'false' }, (line) => lines.push(line) > 0);
    expect(lines).toEqual(['::add-mask::tok-123\n']);
  });
});

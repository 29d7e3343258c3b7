import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPO = resolve(__dirname, '..', '..');
const SKIP = /(^|\/)(node_modules|dist|\.ephenv|\.nx|\.git|__pycache__|\.terraform|tmp)(\/|$)/;

/** A clean checkout of this workspace in a temporary git repository, sharing node_modules and virtualenvs. */
function cleanCheckout(): string {
  const root = mkdtempSync(join(tmpdir(), 'ephenv-e2e-'));
  const tracked = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { cwd: REPO, encoding: 'utf8' })
    .split('\n')
    .filter((f) => f && !SKIP.test(f) && existsSync(join(REPO, f)));
  for (const file of tracked) cpSync(join(REPO, file), join(root, file));
  symlinkSync(join(REPO, 'node_modules'), join(root, 'node_modules'));
  mkdirSync(join(root, '.ephenv'));
  mkdirSync(join(REPO, '.ephenv', 'venvs'), { recursive: true });
  symlinkSync(join(REPO, '.ephenv', 'venvs'), join(root, '.ephenv', 'venvs'));
  git(root, 'init', '-q', '-b', 'main');
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', 'base');
  return root;
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=ephenv', '-c', 'user.email=ci@ephenv.dev', ...args], { cwd, encoding: 'utf8' });
}

function nx(cwd: string, ...args: string[]) {
  const result = spawnSync(join(cwd, 'node_modules', '.bin', 'nx'), args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_SKIP_NX_CACHE: 'true', CI: 'true', FORCE_COLOR: '0', NO_COLOR: '1' },
  });
  return { code: result.status, out: `${result.stdout}\n${result.stderr}` };
}

describe('a clean checkout', () => {
  let root: string;
  beforeAll(() => {
    root = cleanCheckout();
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('`nx g @ephenv:model fraud-detector` creates the full service with inferred targets', () => {
    const generated = nx(root, 'g', '@ephenv:model', 'fraud-detector', '--no-interactive');
    expect(generated.code, generated.out).toBe(0);
    for (const file of ['ephenv.json', 'Dockerfile', 'src/serve', 'load/k6.js', 'infra/main.tf', 'tests/test_serve.py']) {
      expect(existsSync(join(root, 'apps/fraud-detector', file)), file).toBe(true);
    }
    const shown = nx(root, 'show', 'project', 'fraud-detector', '--json');
    expect(shown.code, shown.out).toBe(0);
    const project = JSON.parse(shown.out.slice(shown.out.indexOf('{'), shown.out.lastIndexOf('}') + 1));
    expect(Object.keys(project.targets)).toEqual(expect.arrayContaining(['train', 'test', 'infra-validate', 'deploy-preview', 'destroy-preview']));
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', 'add fraud-detector');
  });

  it('refuses a second run with the same name and changes nothing; --dry-run writes nothing', () => {
    const again = nx(root, 'g', '@ephenv:model', 'fraud-detector', '--no-interactive');
    expect(again.code).not.toBe(0);
    expect(again.out).toContain('a project of that name already exists');
    const dry = nx(root, 'g', '@ephenv:model', 'churn-model', '--dry-run', '--no-interactive');
    expect(dry.code, dry.out).toBe(0);
    expect(dry.out).toContain('CREATE apps/churn-model/ephenv.json');
    const bad = nx(root, 'g', '@ephenv:model', 'Churn_Model', '--no-interactive');
    expect(bad.code).not.toBe(0);
    expect(bad.out).toContain('kebab-case');
    expect(git(root, 'status', '--porcelain')).toBe('');
  });

  it('runs the generated service\'s tests against the real server', () => {
    const test = nx(root, 'run', 'fraud-detector:test');
    expect(test.code, test.out).toBe(0);
    expect(test.out).toMatch(/\d+ passed/);
  }, 600_000);

  it('validates the generated Terraform stack offline', () => {
    const validated = nx(root, 'run', 'fraud-detector:infra-validate');
    expect(validated.code, validated.out).toBe(0);
    expect(validated.out).toContain('The configuration is valid.');
    expect(existsSync(join(root, 'apps/fraud-detector/infra/.terraform'))).toBe(false);
  }, 300_000);

  it('affects only the model a change touches, and every model when the shared stack changes', () => {
    const affected = () => nx(root, 'show', 'projects', '--affected', '--base=HEAD', '--head=', '--type=app').out;
    writeFileSync(join(root, 'apps/fraud-detector/train.py'), readFileSync(join(root, 'apps/fraud-detector/train.py'), 'utf8') + '\n# tuned\n');
    let out = nx(root, 'show', 'projects', '--affected', '--files=apps/fraud-detector/train.py').out;
    expect(out).toContain('fraud-detector');
    expect(out).not.toContain('iris-classifier');
    out = nx(root, 'show', 'projects', '--affected', '--files=libs/infra/preview-stack/main.tf').out;
    expect(out).toContain('fraud-detector');
    expect(out).toContain('iris-classifier');
    expect(affected()).toContain('fraud-detector');
  });
});

import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processesMentioning } from '@ephenv/core';
import { PACKAGES, readJsonFile, WORKSPACE_ROOT } from '../tests/packages';
import { startRegistry, type LocalRegistry } from './local-registry';

const NX_VERSION = readJsonFile<{ devDependencies: Record<string, string> }>(join(WORKSPACE_ROOT, 'package.json')).devDependencies.nx;
const UPLINK = execFileSync('npm', ['config', 'get', 'registry'], { encoding: 'utf8' }).trim();
// One virtualenv per requirements hash, shared with this workspace's (the generated model's requirements are the example's).
const VENVS = join(WORKSPACE_ROOT, '.ephenv', 'venvs');

let registry: LocalRegistry;
let dir: string;

function env(): NodeJS.ProcessEnv {
  return { ...process.env, NPM_CONFIG_USERCONFIG: registry.npmrc, npm_config_registry: `${registry.url}/`, npm_config_prefer_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false', NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_SKIP_NX_CACHE: 'true', NX_TUI: 'false', CI: 'true', FORCE_COLOR: '0', NO_COLOR: '1', GITHUB_BASE_REF: '', NX_BASE: '' };
}

// Every command and its output, for the README's examples and for a failing CI run's artifact.
const TRANSCRIPT = join(WORKSPACE_ROOT, 'dist', 'e2e', 'registry-transcript.log');

function run(cwd: string, command: string, ...args: string[]) {
  const started = Date.now();
  const result = spawnSync(command, args, { cwd, env: env(), encoding: 'utf8', timeout: 900_000 });
  const out = `${result.stdout}\n${result.stderr}`;
  appendFileSync(TRANSCRIPT, `$ ${[basename(command), ...args].join(' ')}   # in ${basename(cwd)}, exit ${result.status}, ${((Date.now() - started) / 1000).toFixed(1)} s\n${out}\n`);
  return { code: result.status, out };
}

const nx = (cwd: string, ...args: string[]) => run(cwd, join(cwd, 'node_modules', '.bin', 'nx'), ...args);
const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'user.name=ephenv', '-c', 'user.email=ci@ephenv.dev', ...args], { cwd, encoding: 'utf8' });

function createWorkspace(name: string, ...args: string[]): string {
  const created = run(dir, 'npx', '-y', `create-nx-workspace@${NX_VERSION}`, name, '--nxCloud=skip', '--packageManager=npm', '--no-interactive', ...args);
  expect(created.code, created.out).toBe(0);
  const root = join(dir, name);
  mkdirSync(VENVS, { recursive: true });
  mkdirSync(join(root, '.ephenv'), { recursive: true });
  symlinkSync(VENVS, join(root, '.ephenv', 'venvs'));
  return root;
}

/** What a team does next in either workspace: a model, its whole lifecycle, and the affected check. */
function provesTheModelLifecycle(root: () => string) {
  it('`nx g @ephenv/nx:model fraud-detector` scaffolds a service whose targets come from the published plugin', () => {
    const generated = nx(root(), 'g', '@ephenv/nx:model', 'fraud-detector', '--no-interactive');
    expect(generated.code, generated.out).toBe(0);
    const config = readJsonFile<{ load: { scenario: { duration: string } } }>(join(root(), 'apps/fraud-detector/ephenv.json'));
    config.load.scenario.duration = '3s';
    writeFileSync(join(root(), 'apps/fraud-detector/ephenv.json'), JSON.stringify(config, null, 2) + '\n');
    git(root(), 'add', '-A');
    git(root(), 'commit', '-q', '--no-verify', '-m', 'add fraud-detector');
  });

  it('affects only the model a change touches, and every model when the shared preview-stack changes', () => {
    const affected = (file: string) => nx(root(), 'show', 'projects', '--affected', `--files=${file}`);
    const model = affected('apps/fraud-detector/train.py');
    expect(model.code, model.out).toBe(0);
    expect(model.out).toContain('fraud-detector');
    expect(model.out).not.toContain('preview-stack');
    const shared = affected('libs/infra/preview-stack/main.tf');
    expect(shared.out).toContain('fraud-detector');
    expect(shared.out).toContain('preview-stack');
  });

  it('test, deploy-preview, validate, benchmark and destroy-preview pass and leave no process behind', () => {
    for (const target of ['test', 'deploy-preview', 'validate', 'benchmark']) {
      const result = nx(root(), 'run', `fraud-detector:${target}`);
      if (result.code !== 0) nx(root(), 'run', 'fraud-detector:destroy-preview');
      expect(result.code, `${target}\n${result.out}`).toBe(0);
    }
    const destroyed = nx(root(), 'run', 'fraud-detector:destroy-preview');
    expect(destroyed.code, destroyed.out).toBe(0);
    expect(existsSync(join(root(), '.ephenv/previews/fraud-detector.json'))).toBe(false);
    expect(processesMentioning(root()).filter((line) => !line.includes('plugin-worker.js'))).toEqual([]);
  });
}

describe('adopting ephenv from a registry', { timeout: 900_000 }, () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ephenv-registry-'));
    mkdirSync(join(WORKSPACE_ROOT, 'dist', 'e2e'), { recursive: true });
    writeFileSync(TRANSCRIPT, '');
    registry = await startRegistry(join(dir, 'verdaccio'), UPLINK);
    for (const { dir: packageDir } of PACKAGES) {
      const published = run(packageDir, 'npm', 'publish', '--registry', `${registry.url}/`, '--tag', 'latest');
      expect(published.code, published.out).toBe(0);
    }
  }, 300_000);

  afterAll(async () => {
    await registry?.stop();
    if (registry) expect(processesMentioning(`127.0.0.1:${new URL(registry.url).port}`)).toEqual([]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  describe('create-nx-workspace --preset=@ephenv/nx', () => {
    let root = '';
    it('creates a workspace with the plugin registered and the example model', () => {
      root = createWorkspace('acme-ml', '--preset=@ephenv/nx');
      expect(readJsonFile<{ plugins: unknown[] }>(join(root, 'nx.json')).plugins).toContainEqual({ plugin: '@ephenv/nx', options: { sharedProjects: ['preview-stack'] } });
      expect(existsSync(join(root, 'apps/iris-classifier/ephenv.json'))).toBe(true);
      expect(readFileSync(join(root, '.github/workflows/ephemeral-env.yml'), 'utf8')).toContain("node-version: '24'");
    });
    provesTheModelLifecycle(() => root);
  });

  describe('create-nx-workspace, then nx add @ephenv/nx', () => {
    let root = '';
    it('nx add installs the plugin and runs init: plugin registered, workflows, policy, Terraform modules', () => {
      root = createWorkspace('plain-ml', '--preset=apps');
      const added = run(root, 'npx', 'nx', 'add', '@ephenv/nx');
      expect(added.code, added.out).toBe(0);
      expect(readJsonFile<{ plugins: unknown[] }>(join(root, 'nx.json')).plugins).toContainEqual({ plugin: '@ephenv/nx', options: { sharedProjects: ['preview-stack'] } });
      for (const file of ['.github/workflows/ephemeral-env.yml', 'ephenv.policy.json', 'libs/infra/preview-stack/main.tf']) expect(existsSync(join(root, file)), file).toBe(true);
      git(root, 'add', '-A');
      git(root, 'commit', '-q', '--no-verify', '-m', 'nx add @ephenv/nx');
      const again = run(root, 'npx', 'nx', 'g', '@ephenv/nx:init', '--no-interactive');
      expect(again.code, again.out).toBe(0);
      expect(git(root, 'status', '--porcelain')).toBe('');
    });
    provesTheModelLifecycle(() => root);
  });
});

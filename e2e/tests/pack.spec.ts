import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { npmPack, PACKAGES, readJsonFile, WORKSPACE_ROOT, type PackedPackage } from './packages';

// Every entry point the libraries import each other by (tsconfig's path aliases, test helpers aside)
// must be one the published package exports.
const PUBLIC_ENTRIES = Object.keys(readJsonFile<{ compilerOptions: { paths: Record<string, string[]> } }>(join(WORKSPACE_ROOT, 'tsconfig.base.json')).compilerOptions.paths)
  .filter((alias) => alias.startsWith('@ephenv/') && alias !== '@ephenv/testing' && !alias.endsWith('/testing'));
const NX_VERSION = readJsonFile<{ devDependencies: Record<string, string> }>(join(WORKSPACE_ROOT, 'package.json')).devDependencies.nx;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** Runs a command in the consumer folder, with this machine's Node and no Nx daemon or cloud. */
function run(cwd: string, command: string, args: string[]) {
  // No colour: under CI's FORCE_COLOR, console.log would paint the numbers the assertions read.
  const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_SKIP_NX_CACHE: 'true', NX_TUI: 'false', FORCE_COLOR: '0', NO_COLOR: '1' };
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8', timeout: 120_000 });
  return { code: result.status, out: `${result.stdout}${result.stderr}` };
}

describe('the npm packages', { timeout: 180_000 }, () => {
  let packDir: string;
  let consumer: string;
  const packed = new Map<string, PackedPackage>();
  const filesOf = (name: string) => packed.get(name)?.files ?? [];

  beforeAll(() => {
    packDir = mkdtempSync(join(tmpdir(), 'ephenv-pack-'));
    for (const { dir } of PACKAGES) {
      const pack = npmPack(dir, packDir);
      packed.set(pack.name, pack);
    }
  });
  afterAll(() => {
    rmSync(packDir, { recursive: true, force: true });
    if (consumer) rmSync(consumer, { recursive: true, force: true });
  });

  it.each(PACKAGES.map((p) => p.name))('%s holds compiled JavaScript only: its entry is .js, no .ts source, no test', (name) => {
    const pkg = readJsonFile<{ main: string; types: string }>(join(PACKAGES.find((p) => p.name === name)!.dir, 'package.json'));
    const files = filesOf(name);
    expect(pkg.main).toMatch(/\.js$/);
    expect(files).toContain(pkg.main.replace(/^\.\//, ''));
    expect(files).toContain(pkg.types.replace(/^\.\//, ''));
    expect(files.filter((f) => /\.(ts|tsx|mts|cts)$/.test(f) && !f.endsWith('.d.ts'))).toEqual([]);
    expect(files.filter((f) => /\.spec\.|(^|\/)testing\/|\.map$/.test(f))).toEqual([]);
  });

  it('every @ephenv dependency is one of the packages, at its version; nx and @nx/devkit are peers within 23.x', () => {
    for (const { dir } of PACKAGES) {
      const pkg = readJsonFile<{ name: string; dependencies?: Record<string, string>; peerDependencies?: Record<string, string> }>(join(dir, 'package.json'));
      for (const [dep, version] of Object.entries(pkg.dependencies ?? {}).filter(([d]) => d.startsWith('@ephenv/'))) {
        expect(packed.has(dep), `${pkg.name} depends on ${dep}`).toBe(true);
        expect(version).toBe(readJsonFile<{ version: string }>(join(PACKAGES.find((p) => p.name === dep)!.dir, 'package.json')).version);
      }
      expect(Object.keys(pkg.dependencies ?? {}).filter((d) => ['nx', '@nx/devkit', 'vitest', 'fast-check'].includes(d)), pkg.name).toEqual([]);
    }
    const plugin = readJsonFile<{ peerDependencies: Record<string, string> }>(join(PACKAGES.find((p) => p.name === '@ephenv/nx')!.dir, 'package.json'));
    expect(plugin.peerDependencies).toEqual({ nx: '>=23.0.0 <24.0.0', '@nx/devkit': '>=23.0.0 <24.0.0' });
  });

  it('@ephenv/nx holds every generator, executor and migration with its schema, every template, the CLI and the Terraform modules', () => {
    const files = new Set(filesOf('@ephenv/nx'));
    const pluginDir = join(WORKSPACE_ROOT, 'generators');
    const expected: string[] = ['bin/ephenv.js', 'generators.json', 'executors.json', 'migrations.json', 'src/cli/usage.js'];
    const generators = readJsonFile<{ generators: Record<string, { factory: string; schema: string }> }>(join(pluginDir, 'generators.json')).generators;
    const executors = readJsonFile<{ executors: Record<string, { implementation: string; schema: string }> }>(join(pluginDir, 'executors.json')).executors;
    const migrations = readJsonFile<{ generators: Record<string, { implementation: string }> }>(join(pluginDir, 'migrations.json')).generators;
    for (const { factory, schema } of Object.values(generators)) expected.push(`${factory}.js`, schema);
    for (const { implementation, schema } of Object.values(executors)) expected.push(`${implementation}.js`, schema);
    for (const { implementation } of Object.values(migrations)) expected.push(`${implementation}.js`);
    const templates = filesUnder(join(pluginDir, 'src')).filter((f) => /\/files\//.test(f));
    expect(templates.length).toBeGreaterThan(20);
    expected.push(...templates.map((f) => relative(pluginDir, f)));
    // JavaScript that ships as written (the CLI's usage, the Yeoman runner): tsc does not emit it.
    expected.push(...filesUnder(join(pluginDir, 'src')).filter((f) => !/\/files\//.test(f) && /\.(m?js)$/.test(f)).map((f) => relative(pluginDir, f)));
    for (const module of ['preview-stack', 'bootstrap']) {
      const dir = join(WORKSPACE_ROOT, 'libs', 'infra', module);
      expected.push(...filesUnder(dir).filter((f) => f.endsWith('.tf')).map((f) => join('infra', module, relative(dir, f))));
    }
    expect(expected.map((f) => f.replace(/^\.\//, '')).filter((f) => !files.has(f))).toEqual([]);
  });

  it('@ephenv/core holds the JSON Schemas of ephenv.json and the preview policy', () => {
    expect(filesOf('@ephenv/core')).toEqual(expect.arrayContaining(['ephenv.schema.json', 'ephenv.policy.schema.json']));
  });

  it(`installed from the tarballs into an empty folder, the plugin loads on Node ${process.versions.node} and its generators, executors and the gateway bundle run without TypeScript`, () => {
    consumer = mkdtempSync(join(tmpdir(), 'ephenv-consumer-'));
    writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', version: '0.0.0', private: true }));
    writeFileSync(join(consumer, 'nx.json'), JSON.stringify({ $schema: './node_modules/nx/schemas/nx-schema.json' }));
    // npm's own cache answers what the workspace installed already; the registry only the rest.
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts', `nx@${NX_VERSION}`, `@nx/devkit@${NX_VERSION}`, ...[...packed.values()].map((p) => p.tarball)], { cwd: consumer, stdio: 'pipe' });

    const loaded = run(consumer, process.execPath, ['-e', `(async () => {
      const plugin = require('@ephenv/nx');
      if (plugin.createNodes?.[0] !== '**/ephenv.json') throw new Error('no createNodes');
      const { generators } = require('@ephenv/nx/generators.json');
      const { executors } = require('@ephenv/nx/executors.json');
      for (const g of Object.values(generators)) if (typeof require('@ephenv/nx/' + g.factory).default !== 'function') throw new Error(g.factory);
      for (const e of Object.values(executors)) if (typeof require('@ephenv/nx/' + e.implementation).default !== 'function') throw new Error(e.implementation);
      for (const entry of ${JSON.stringify(PUBLIC_ENTRIES)}) require(entry);
      const { bundleGateway } = require('@ephenv/gateway');
      await bundleGateway({ entry: 'local', outfile: 'gateway-local.js' });
      await bundleGateway({ entry: 'lambda', outfile: 'gateway-lambda.js' });
      console.log('loaded ' + Object.keys(generators).length + ' generators ' + Object.keys(executors).length + ' executors, gateway bundled');
    })().catch((e) => { console.error(e); process.exitCode = 1; });`]);
    expect(loaded.code, loaded.out).toBe(0);
    expect(loaded.out).toMatch(/loaded \d+ generators \d+ executors, gateway bundled/);

    const help = run(consumer, join(consumer, 'node_modules', '.bin', 'ephenv'), ['help']);
    expect(help.code, help.out).toBe(0);

    const nx = join(consumer, 'node_modules', '.bin', 'nx');
    const model = run(consumer, nx, ['g', '@ephenv/nx:model', 'fraud-detector', '--no-interactive']);
    expect(model.code, model.out).toBe(0);
    expect(readJsonFile<{ plugins: unknown[] }>(join(consumer, 'nx.json')).plugins).toContainEqual({ plugin: '@ephenv/nx', options: { sharedProjects: ['preview-stack'] } });
    const checked = run(consumer, nx, ['run', 'fraud-detector:validate-contract']);
    expect(checked.code, checked.out).toBe(0);
  });
});

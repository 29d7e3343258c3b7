import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AWS_PROVIDER_PATH,
  findProviderMirror,
  mirrorCacheFile,
  renderCliConfig,
  terraformEnv,
  withInitLock,
} from '@ephenv/preview';
import { workspaceRoot } from './support/terraform';

/** A fake filesystem mirror: unpacked (version/platform directories) or packed (provider zips). */
const makeMirror = (root: string, layout: 'unpacked' | 'packed' = 'unpacked') => {
  const provider = join(root, AWS_PROVIDER_PATH);
  if (layout === 'unpacked') {
    mkdirSync(join(provider, '5.100.0', 'linux_amd64'), { recursive: true });
  } else {
    mkdirSync(provider, { recursive: true });
    writeFileSync(join(provider, 'terraform-provider-aws_5.100.0_linux_amd64.zip'), '');
  }
  return root;
};

describe('provider mirror discovery', () => {
  let tmp: string;
  let workspace: string;
  /** An environment in which none of Terraform's standard plugin directories exist. */
  let bareEnv: NodeJS.ProcessEnv;

  beforeEach(() => {
    tmp = mkdtempSync(join(tmpdir(), 'ephenv-cli-config-'));
    workspace = join(tmp, 'workspace');
    mkdirSync(workspace);
    bareEnv = { HOME: join(tmp, 'home'), XDG_DATA_HOME: join(tmp, 'xdg') };
  });

  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  it('takes EPHENV_TF_PROVIDER_MIRROR first, and rejects one without the AWS provider', () => {
    const mirror = makeMirror(join(tmp, 'explicit'));
    makeMirror(join(bareEnv.HOME!, '.terraform.d', 'plugins'));
    expect(findProviderMirror(workspace, { env: { ...bareEnv, EPHENV_TF_PROVIDER_MIRROR: mirror } })).toBe(mirror);
    expect(() => findProviderMirror(workspace, { env: { ...bareEnv, EPHENV_TF_PROVIDER_MIRROR: tmp } })).toThrow(
      /EPHENV_TF_PROVIDER_MIRROR=.* has no registry\.terraform\.io\/hashicorp\/aws directory/,
    );
  });

  it("finds a mirror in Terraform's standard plugin directories without searching", () => {
    const plugins = makeMirror(join(bareEnv.XDG_DATA_HOME!, 'terraform', 'plugins'));
    expect(findProviderMirror(workspace, { env: bareEnv, searchRoots: [] })).toBe(plugins);
    expect(existsSync(mirrorCacheFile(workspace))).toBe(false);
  });

  it('searches the filesystem within the depth bound, skips node_modules, and caches what it found', () => {
    const searchRoot = join(tmp, 'disk');
    makeMirror(join(searchRoot, 'node_modules', 'pkg'));
    expect(findProviderMirror(workspace, { env: bareEnv, searchRoots: [searchRoot] })).toBeUndefined();
    expect(readFileSync(mirrorCacheFile(workspace), 'utf8').trim()).toBe('none');

    rmSync(mirrorCacheFile(workspace));
    makeMirror(join(searchRoot, 'a', 'b', 'c', 'too-deep'));
    expect(findProviderMirror(workspace, { env: bareEnv, searchRoots: [searchRoot], maxDepth: 5 })).toBeUndefined();

    rmSync(mirrorCacheFile(workspace));
    const mirror = makeMirror(join(searchRoot, 'opt', 'plugins'));
    expect(findProviderMirror(workspace, { env: bareEnv, searchRoots: [searchRoot] })).toBe(mirror);
    expect(readFileSync(mirrorCacheFile(workspace), 'utf8').trim()).toBe(mirror);
    // The cached answer is used without a new search.
    expect(findProviderMirror(workspace, { env: bareEnv, searchRoots: [join(tmp, 'nowhere')] })).toBe(mirror);
  });

  it('writes a CLI config that installs hashicorp/* only from the mirror, which Terraform links without a cache', () => {
    const mirror = makeMirror(join(tmp, 'mirror'));
    const env = terraformEnv(workspace, { env: { ...bareEnv, EPHENV_TF_PROVIDER_MIRROR: mirror } });
    expect(env).toEqual({
      TF_CLI_CONFIG_FILE: join(workspace, '.ephenv', 'terraform', 'cli.tfrc'),
      TF_IN_AUTOMATION: '1',
      TF_INPUT: '0',
    });
    const config = readFileSync(env.TF_CLI_CONFIG_FILE, 'utf8');
    expect(config).toContain(`path    = ${JSON.stringify(mirror)}`);
    expect(config).toMatch(/direct \{\s+exclude = \["registry\.terraform\.io\/hashicorp\/\*"\]/);
    expect(config).not.toContain('plugin_cache_dir');
  });

  it('adds a shared plugin cache when the mirror holds zips that every init would extract again', () => {
    const mirror = makeMirror(join(tmp, 'mirror'), 'packed');
    const env = terraformEnv(workspace, { env: { ...bareEnv, EPHENV_TF_PROVIDER_MIRROR: mirror } });
    expect(env.TF_PLUGIN_CACHE_DIR).toBe(join(workspace, '.ephenv', 'terraform', 'plugin-cache'));
    expect(existsSync(env.TF_PLUGIN_CACHE_DIR)).toBe(true);
    expect(readFileSync(env.TF_CLI_CONFIG_FILE, 'utf8')).toContain(`plugin_cache_dir = ${JSON.stringify(env.TF_PLUGIN_CACHE_DIR)}`);
  });

  it('respects a TF_CLI_CONFIG_FILE that exists, and replaces one that does not', () => {
    const own = join(tmp, 'own.tfrc');
    writeFileSync(own, '');
    const mirror = makeMirror(join(tmp, 'mirror'));
    expect(terraformEnv(workspace, { env: { ...bareEnv, TF_CLI_CONFIG_FILE: own } })).toEqual({
      TF_CLI_CONFIG_FILE: own,
      TF_IN_AUTOMATION: '1',
      TF_INPUT: '0',
    });
    const env = terraformEnv(workspace, {
      env: { ...bareEnv, TF_CLI_CONFIG_FILE: join(tmp, 'missing.tfrc'), EPHENV_TF_PROVIDER_MIRROR: mirror },
    });
    expect(env.TF_CLI_CONFIG_FILE).toBe(join(workspace, '.ephenv', 'terraform', 'cli.tfrc'));
  });

  it('escapes paths that HCL would read as templates', () => {
    const config = renderCliConfig('/odd/${dir}/%{x}"q', '/cache');
    expect(config).toContain('path    = "/odd/$${dir}/%%{x}\\"q"');
  });

  it('without a mirror, leaves provider installation to Terraform and keeps the shared cache', () => {
    const config = renderCliConfig(undefined, '/cache');
    expect(config).not.toContain('provider_installation');
    expect(config).toContain('plugin_cache_dir = "/cache"');
  });

  it('agrees with find-mirror.sh on this machine', () => {
    const fromShell = execFileSync('bash', [join(workspaceRoot, 'tools', 'terraform', 'find-mirror.sh')], { encoding: 'utf8' }).trim();
    expect(fromShell).not.toBe('');
    expect(findProviderMirror(workspaceRoot)).toBe(fromShell);
  });
});

describe('terraform init lock', () => {
  let tmp: string;

  beforeEach(() => {
    tmp = mkdtempSync(join(tmpdir(), 'ephenv-init-lock-'));
  });

  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  it('lets only one init run at a time and releases the lock when it fails', async () => {
    let running = 0;
    let overlap = false;
    const init = () =>
      withInitLock(tmp, async () => {
        running++;
        if (running > 1) overlap = true;
        await sleep(30);
        running--;
      });
    await Promise.all([init(), init(), init()]);
    expect(overlap).toBe(false);

    await expect(withInitLock(tmp, async () => Promise.reject(new Error('init failed')))).rejects.toThrow('init failed');
    await expect(withInitLock(tmp, async () => 'next', { timeoutMs: 1000 })).resolves.toBe('next');
  });

  it('takes over a lock whose owner died', async () => {
    const lockDir = join(tmp, '.ephenv', 'terraform', 'init.lock');
    mkdirSync(lockDir, { recursive: true });
    // PIDs are at most 2^22 on Linux: this one cannot be running.
    writeFileSync(join(lockDir, 'pid'), String(2 ** 22 + 1));
    await expect(withInitLock(tmp, async () => 'ran', { timeoutMs: 1000 })).resolves.toBe('ran');
  });

  it('gives up with a message naming the lock when its owner never finishes', async () => {
    const lockDir = join(tmp, '.ephenv', 'terraform', 'init.lock');
    mkdirSync(lockDir, { recursive: true });
    writeFileSync(join(lockDir, 'pid'), String(process.pid));
    await expect(withInitLock(tmp, async () => 'ran', { timeoutMs: 300 })).rejects.toThrow(/init\.lock for too long/);
  });
});

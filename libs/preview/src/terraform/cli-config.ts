import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/** Where a filesystem mirror keeps the AWS provider, relative to the mirror's root. */
export const AWS_PROVIDER_PATH = join('registry.terraform.io', 'hashicorp', 'aws');

/** Written in the cache file when a full search found no mirror, so the search is not repeated. */
const NO_MIRROR = 'none';

export const terraformStateDir = (workspaceRoot: string) => join(workspaceRoot, '.ephenv', 'terraform');
export const mirrorCacheFile = (workspaceRoot: string) => join(terraformStateDir(workspaceRoot), 'provider-mirror.txt');

export interface MirrorSearch {
  env?: NodeJS.ProcessEnv;
  /** Directories the bounded search walks (default: the filesystem root). */
  searchRoots?: string[];
  /** Depth of the bounded search below each root (default 5, as `find -maxdepth 5`). */
  maxDepth?: number;
}

const isMirror = (dir: string) => {
  try {
    return statSync(join(dir, AWS_PROVIDER_PATH)).isDirectory();
  } catch {
    return false;
  }
};

/** The plugin directories Terraform itself looks in, in its own order of preference. */
export function standardPluginDirs(env: NodeJS.ProcessEnv = process.env): string[] {
  const home = env.HOME ?? homedir();
  const dataHome = env.XDG_DATA_HOME || join(home, '.local', 'share');
  return [
    join(home, '.terraform.d', 'plugins'),
    join(dataHome, 'terraform', 'plugins'),
    '/usr/local/share/terraform/plugins',
    '/usr/share/terraform/plugins',
  ];
}

/**
 * Walks `roots` down to `maxDepth` for `<mirror>/registry.terraform.io/hashicorp/aws`, skipping
 * virtual filesystems and dependency trees, and returns the first mirror found.
 */
export function searchFilesystemForMirror(roots: string[], maxDepth: number): string | undefined {
  const args = [
    ...roots,
    '-maxdepth',
    String(maxDepth),
    '(',
    '-path',
    '/proc',
    '-o',
    '-path',
    '/sys',
    '-o',
    '-path',
    '/dev',
    '-o',
    '-name',
    'node_modules',
    '-o',
    '-name',
    '.git',
    ')',
    '-prune',
    '-o',
    '-type',
    'd',
    '-path',
    `*/${AWS_PROVIDER_PATH}`,
    '-print',
    '-quit',
  ];
  let out: string;
  try {
    out = execFileSync('find', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch (e) {
    // find exits non-zero on unreadable directories but still prints what it found.
    out = String((e as { stdout?: string }).stdout ?? '');
  }
  const hit = out.split('\n').find(Boolean);
  return hit ? resolve(hit, '..', '..', '..') : undefined;
}

/**
 * The directory of a Terraform filesystem mirror holding hashicorp/aws, or undefined when this
 * machine has none (Terraform then installs from the registry). Order: EPHENV_TF_PROVIDER_MIRROR,
 * the standard plugin directories, the cached result of an earlier search, a bounded search.
 */
export function findProviderMirror(workspaceRoot: string, search: MirrorSearch = {}): string | undefined {
  const env = search.env ?? process.env;
  const explicit = env.EPHENV_TF_PROVIDER_MIRROR;
  if (explicit) {
    if (!isMirror(explicit)) {
      throw new Error(
        `EPHENV_TF_PROVIDER_MIRROR=${explicit} has no ${AWS_PROVIDER_PATH} directory: point it at the mirror's root ` +
          `(the directory containing registry.terraform.io), or unset it to let ephenv search.`,
      );
    }
    return resolve(explicit);
  }

  const standard = standardPluginDirs(env).find(isMirror);
  if (standard) return standard;

  const cacheFile = mirrorCacheFile(workspaceRoot);
  if (existsSync(cacheFile)) {
    const cached = readFileSync(cacheFile, 'utf8').trim();
    if (cached === NO_MIRROR) return undefined;
    if (isMirror(cached)) return cached;
  }

  const found = searchFilesystemForMirror(search.searchRoots ?? ['/'], search.maxDepth ?? 5);
  writeAtomically(cacheFile, `${found ?? NO_MIRROR}\n`);
  return found;
}

/**
 * A packed mirror holds provider zips, which every `terraform init` would extract again; an
 * unpacked one holds ready directories that Terraform links into `.terraform` without copying.
 */
export function isPackedMirror(mirror: string): boolean {
  return readdirSync(join(mirror, AWS_PROVIDER_PATH)).some((entry) => entry.endsWith('.zip'));
}

export interface CliConfig {
  /** The CLI configuration file ephenv wrote. */
  configFile: string;
  /**
   * Shared provider cache, so N model stacks do not install the provider N times; absent with an
   * unpacked mirror, which Terraform already links without copying (and a cache there would only
   * add the cache's race between parallel inits).
   */
  pluginCacheDir?: string;
  mirror: string | undefined;
}

/** HCL string literal: JSON escaping plus HCL's template sequences. */
const hclString = (value: string) => JSON.stringify(value).replace(/\$\{/g, () => '$${').replace(/%\{/g, '%%{');

export function renderCliConfig(mirror: string | undefined, pluginCacheDir: string | undefined): string {
  const lines = ['# Written by ephenv (libs/preview/src/terraform/cli-config.ts) on every run; edits are overwritten.'];
  if (pluginCacheDir) lines.push(`plugin_cache_dir = ${hclString(pluginCacheDir)}`);
  if (mirror) {
    lines.push(
      '',
      '# hashicorp/* only from the local mirror: this machine cannot reach the registry.',
      'provider_installation {',
      '  filesystem_mirror {',
      `    path    = ${hclString(mirror)}`,
      '    include = ["registry.terraform.io/hashicorp/*"]',
      '  }',
      '  direct {',
      '    exclude = ["registry.terraform.io/hashicorp/*"]',
      '  }',
      '}',
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Writes `.ephenv/terraform/cli.tfrc` for this machine (and the shared plugin cache when one helps). */
export function writeCliConfig(workspaceRoot: string, search: MirrorSearch = {}): CliConfig {
  const dir = terraformStateDir(workspaceRoot);
  const mirror = findProviderMirror(workspaceRoot, search);
  const pluginCacheDir = mirror && !isPackedMirror(mirror) ? undefined : join(dir, 'plugin-cache');
  if (pluginCacheDir) mkdirSync(pluginCacheDir, { recursive: true });
  const configFile = join(dir, 'cli.tfrc');
  const content = renderCliConfig(mirror, pluginCacheDir);
  const current = existsSync(configFile) ? readFileSync(configFile, 'utf8') : undefined;
  if (current !== content) writeAtomically(configFile, content);
  return { configFile, pluginCacheDir, mirror };
}

/**
 * The environment variables every Terraform run of ephenv adds to its own: a CLI config that
 * finds the provider offline (unless TF_CLI_CONFIG_FILE already names an existing file, which is
 * respected as is), the shared plugin cache when it saves copies, and non-interactive mode.
 * When TF_PLUGIN_CACHE_DIR is set, run `terraform init` inside `withInitLock`: Terraform's cache
 * is not safe for parallel installs.
 */
export function terraformEnv(workspaceRoot: string, search: MirrorSearch = {}): Record<string, string> {
  const env = search.env ?? process.env;
  const automation = { TF_IN_AUTOMATION: '1', TF_INPUT: '0' };
  const userConfig = env.TF_CLI_CONFIG_FILE;
  if (userConfig && existsSync(userConfig)) {
    return { TF_CLI_CONFIG_FILE: userConfig, ...automation };
  }
  const { configFile, pluginCacheDir } = writeCliConfig(workspaceRoot, search);
  return { TF_CLI_CONFIG_FILE: configFile, ...(pluginCacheDir ? { TF_PLUGIN_CACHE_DIR: pluginCacheDir } : {}), ...automation };
}

/** Parallel runs (one per model) may write the same file: write aside, then rename over it. */
function writeAtomically(file: string, content: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, content);
  renameSync(temp, file);
}

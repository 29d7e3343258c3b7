import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const WORKSPACE_ROOT = resolve(__dirname, '..', '..');

/** The published packages and the build output each is packed from (the build targets' outputPath). */
export const PACKAGES = [
  ...['core', 'gateway', 'preview', 'reaper', 'validate', 'benchmark', 'evaluate', 'report', 'pipeline'].map((lib) => ({
    name: `@ephenv/${lib}`,
    dir: join(WORKSPACE_ROOT, 'dist', 'libs', lib),
  })),
  { name: '@ephenv/nx', dir: join(WORKSPACE_ROOT, 'dist', 'generators') },
];

export interface PackedPackage {
  name: string;
  tarball: string;
  files: string[];
}

/** `npm pack` of one built package into `destination`: the tarball and the paths it holds. */
export function npmPack(dir: string, destination: string): PackedPackage {
  if (!existsSync(join(dir, 'package.json'))) {
    throw new Error(`${dir} has no package.json: build the packages first (npx nx run nx-plugin:build)`);
  }
  const out = execFileSync('npm', ['pack', '--json', '--pack-destination', destination], { cwd: dir, encoding: 'utf8' });
  const [packed] = JSON.parse(out) as { name: string; filename: string; files: { path: string }[] }[];
  return { name: packed.name, tarball: join(destination, packed.filename), files: packed.files.map((f) => f.path).sort() };
}

export const readJsonFile = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;

import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ensureVenv, modelArtifactDir, venvsDir } from '@ephenv/core';

export const REPO = resolve(__dirname, '..', '..', '..');
const EXAMPLE = join(REPO, 'apps', 'iris-classifier');

export interface TestWorkspace {
  root: string;
  projects: string[];
  cleanup(): void;
}

/**
 * A throwaway workspace holding copies of the example model under the given names, trained,
 * sharing the repository's virtualenvs (built once, as a user's would be).
 */
export async function makeWorkspace(names: string[]): Promise<TestWorkspace> {
  const root = mkdtempSync(join(tmpdir(), 'ephenv-ws-'));
  writeFileSync(join(root, 'nx.json'), '{}\n');
  const venv = await ensureVenv(REPO, EXAMPLE);
  mkdirSync(join(root, '.ephenv'), { recursive: true });
  symlinkSync(venvsDir(REPO), venvsDir(root));
  for (const name of names) {
    const dir = join(root, 'apps', name);
    cpSync(EXAMPLE, dir, { recursive: true, filter: (src) => !src.includes('__pycache__') });
    const config = JSON.parse(readFileSync(join(dir, 'ephenv.json'), 'utf8'));
    writeFileSync(join(dir, 'ephenv.json'), JSON.stringify({ ...config, name }, null, 2));
    execFileSync(venv.python, [join(dir, 'train.py'), '--output', modelArtifactDir(root, `apps/${name}`)], { stdio: 'ignore' });
  }
  return { root, projects: names, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** Ports something listens on (Linux /proc/net/tcp), to prove a destroy left none behind. */
export function listeningPorts(): Set<number> {
  const ports = new Set<number>();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols[3] === '0A') ports.add(parseInt(cols[1].split(':')[1], 16));
    }
  }
  return ports;
}

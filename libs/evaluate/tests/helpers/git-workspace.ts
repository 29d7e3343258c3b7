import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ensureVenv, modelArtifactDir, venvsDir } from '@ephenv/core';
import { REPO } from './python';

const EXAMPLE = join(REPO, 'apps', 'iris-classifier');

/** The evaluate section the tests use: accuracy may drop by at most 0.02, F1 must stay above 0.9. */
export const EVALUATE_SECTION = {
  data: { file: 'data/evaluation.jsonl' },
  task: 'classification',
  batchSize: 16,
  concurrency: 2,
  thresholds: { accuracy: { minAbsoluteChange: -0.02 }, f1_macro: { threshold: 0.9 } },
};

export interface GitWorkspace {
  root: string;
  python: string;
  git(...args: string[]): string;
  /**
   * Copies the example model to apps/<name> with the tests' evaluate section and the iris
   * evaluation set; with `exampleSection`, keeps the example's own (train.py's held-out split).
   */
  addModel(name: string, options?: { exampleSection?: boolean }): void;
  train(name: string): void;
  cleanup(): void;
}

/** This workspace's tracked files but its models: nx.json, the @ephenv plugin and the libraries. */
function copyWorkspace(root: string): void {
  const files = execFileSync('git', ['ls-files', '-z'], { cwd: REPO, encoding: 'utf8' }).split('\0');
  for (const file of files) {
    if (!file || file.startsWith('apps/') || !existsSync(join(REPO, file))) continue;
    mkdirSync(dirname(join(root, file)), { recursive: true });
    copyFileSync(join(REPO, file), join(root, file));
  }
  symlinkSync(join(REPO, 'node_modules'), join(root, 'node_modules'), 'dir');
}

/**
 * A real git repository that is an Nx workspace like a user's (this one's files and installed
 * node_modules, no models), with copies of the example model added by the tests, sharing the
 * repository's virtualenvs. Its evaluation set is iris itself, written by scikit-learn: 150
 * labelled rows.
 */
export async function makeGitWorkspace(): Promise<GitWorkspace> {
  const root = mkdtempSync(join(tmpdir(), 'ephenv-eval-'));
  const venv = await ensureVenv(REPO, EXAMPLE);
  copyWorkspace(root);
  mkdirSync(join(root, '.ephenv'), { recursive: true });
  symlinkSync(venvsDir(REPO), venvsDir(root));
  const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  git('init', '--quiet', '--initial-branch=main');
  git('config', 'user.email', 'test@ephenv.dev');
  git('config', 'user.name', 'ephenv test');
  const dataset = execFileSync(
    venv.python,
    ['-c', 'import json; from sklearn.datasets import load_iris; d = load_iris(); f = ["sepal_length", "sepal_width", "petal_length", "petal_width"]\nfor x, y in zip(d.data, d.target): print(json.dumps({"request": dict(zip(f, map(float, x))), "expected": str(d.target_names[y])}))'],
    { encoding: 'utf8' },
  );
  const addModel = (name: string, options: { exampleSection?: boolean } = {}) => {
    const dir = join(root, 'apps', name);
    cpSync(EXAMPLE, dir, { recursive: true, filter: (src) => !src.includes('__pycache__') });
    const config = JSON.parse(readFileSync(join(dir, 'ephenv.json'), 'utf8'));
    writeFileSync(join(dir, 'ephenv.json'), JSON.stringify({ ...config, name, ...(!options.exampleSection && { evaluate: EVALUATE_SECTION }) }, null, 2) + '\n');
    const project = JSON.parse(readFileSync(join(dir, 'project.json'), 'utf8'));
    writeFileSync(join(dir, 'project.json'), JSON.stringify({ ...project, name, sourceRoot: `apps/${name}/src` }, null, 2) + '\n');
    mkdirSync(join(dir, 'data'), { recursive: true });
    writeFileSync(join(dir, 'data', 'evaluation.jsonl'), dataset);
  };
  const train = (name: string) => {
    execFileSync(venv.python, [join(root, 'apps', name, 'train.py'), '--output', modelArtifactDir(root, `apps/${name}`)], { stdio: 'ignore' });
  };
  return {
    root,
    python: venv.python,
    git,
    addModel,
    train,
    cleanup: () => {
      try {
        git('worktree', 'prune');
      } catch {
        // The repository is removed next.
      }
      rmSync(root, { recursive: true, force: true });
    },
  };
}

import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const PROJECT = 'iris-classifier';
export const PROJECT_ROOT = 'apps/iris-classifier';
const FIXTURES = join(__dirname, '..', 'fixtures');

export interface Workspace {
  root: string;
  git(...args: string[]): string;
  /** Path relative to the project folder. */
  read<T = any>(path: string): T;
  write(path: string, value: unknown): void;
  remove(path: string): void;
  commit(message: string): void;
  cleanup(): void;
}

/**
 * A real git repository in the OS temp folder: nx.json (defaultBase main) and the iris-classifier
 * model service (ephenv.json, schemas, examples, changed by `base` if given) committed on main,
 * then a `pr` branch checked out.
 */
export function createWorkspace(options: { commitModel?: boolean; base?: (ws: Workspace) => void } = {}): Workspace {
  const root = mkdtempSync(join(tmpdir(), 'ephenv-validate-'));
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=ephenv test', '-c', 'user.email=test@ephenv.invalid', '-c', 'commit.gpgsign=false', ...args], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  const project = (path: string) => join(root, PROJECT_ROOT, path);
  const ws: Workspace = {
    root,
    git,
    read: (path) => JSON.parse(readFileSync(project(path), 'utf8')),
    write(path, value) {
      mkdirSync(dirname(project(path)), { recursive: true });
      writeFileSync(project(path), typeof value === 'string' ? value : JSON.stringify(value, null, 2));
    },
    remove: (path) => rmSync(project(path), { recursive: true, force: true }),
    commit(message) {
      git('add', '-A');
      git('commit', '--allow-empty', '-q', '-m', message);
    },
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };

  git('init', '-q', '-b', 'main');
  writeFileSync(join(root, 'nx.json'), JSON.stringify({ defaultBase: 'main' }));
  writeFileSync(join(root, '.gitignore'), 'dist\n.ephenv\n');
  if (options.commitModel !== false) {
    copyModel(ws);
    options.base?.(ws);
  }
  ws.commit('base');
  git('checkout', '-q', '-b', 'pr');
  if (options.commitModel === false) copyModel(ws);
  return ws;
}

function copyModel(ws: Workspace): void {
  ws.write('ephenv.json', readFileSync(join(FIXTURES, 'ephenv.json'), 'utf8'));
  ws.write('schemas/input.schema.json', readFileSync(join(FIXTURES, 'input.schema.json'), 'utf8'));
  ws.write('schemas/output.schema.json', readFileSync(join(FIXTURES, 'output.schema.json'), 'utf8'));
  cpSync(join(FIXTURES, 'examples'), join(ws.root, PROJECT_ROOT, 'schemas', 'examples'), { recursive: true });
}

/** A breaking change for the compatibility check to catch: a new required input field, committed. */
export function addRequiredInput(w: Workspace): void {
  const schema = w.read('schemas/input.schema.json');
  schema.definitions.Instance.properties.sepal_area = { type: 'number' };
  schema.definitions.Instance.required.push('sepal_area');
  w.write('schemas/input.schema.json', schema);
  for (const name of ['setosa', 'virginica']) {
    const example = w.read(`schemas/examples/${name}.json`);
    example.request.instances[0].sepal_area = 17.85;
    w.write(`schemas/examples/${name}.json`, example);
  }
  w.commit('require sepal_area');
}

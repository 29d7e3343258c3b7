import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { YeomanTemplate } from './normalize-options';

/** One file of the Yeoman generator's output, relative to the model folder. */
export interface TemplateFile {
  path: string;
  content: Buffer;
  executable: boolean;
}

/** Runs the generator in its own ES module process (see the file). */
const RUNNER = join(__dirname, 'yeoman-runner.mjs');

/** The generator's entry file: a package name installed in the workspace, or a path to a package or a generator. */
export function resolveGenerator(workspaceRoot: string, generator: string): string {
  const looksLikePath = generator.startsWith('.') || isAbsolute(generator);
  let target = resolve(workspaceRoot, generator);
  if (!looksLikePath) {
    try {
      target = dirname(createRequire(join(workspaceRoot, 'package.json')).resolve(`${generator}/package.json`));
    } catch {
      throw new Error(`--template ${generator}: no such package in ${join(workspaceRoot, 'node_modules')}; install it (npm install --save-dev ${generator}) or pass a path to the generator.`);
    }
  }
  if (!existsSync(target)) throw new Error(`--template ${generator}: ${target} does not exist; pass an installed Yeoman generator's package name or a path to it.`);
  if (statSync(target).isFile()) return target;
  for (const entry of [join('generators', 'app', 'index.js'), join('app', 'index.js'), 'index.js']) {
    if (existsSync(join(target, entry))) return join(target, entry);
  }
  throw new Error(`--template ${generator}: ${target} is not a Yeoman generator (no generators/app/index.js or app/index.js).`);
}

function listFiles(root: string, dir = root): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(root, path) : [relative(root, path)];
  });
}

/**
 * Runs the Yeoman generator through yeoman-environment in a temporary folder named like the model
 * (generators derive names from it), without prompts or installs, and returns what it wrote.
 * The folder is removed whatever happens: the workspace only changes through the Nx tree.
 */
export async function runYeomanTemplate(workspaceRoot: string, name: string, template: YeomanTemplate): Promise<TemplateFile[]> {
  const entry = resolveGenerator(workspaceRoot, template.generator);
  const scratch = mkdtempSync(join(tmpdir(), 'ephenv-yeoman-'));
  const cwd = join(scratch, name);
  mkdirSync(cwd);
  try {
    try {
      await promisify(execFile)(process.execPath, [RUNNER, entry, cwd, template.generator, JSON.stringify(template.answers)], { cwd, maxBuffer: 16 * 1024 * 1024 });
    } catch (error) {
      const stderr = String((error as { stderr?: unknown }).stderr ?? '').trim();
      throw new Error(`the Yeoman generator ${template.generator} failed: ${stderr.split('\n').pop() || (error as Error).message}`);
    }
    const files = listFiles(cwd).filter((f) => f !== '.yo-rc.json');
    if (files.length === 0) throw new Error(`the Yeoman generator ${template.generator} wrote no files; check its --templateAnswers.`);
    return files.sort().map((path) => ({
      path: path.split('\\').join('/'),
      content: readFileSync(join(cwd, path)),
      executable: (statSync(join(cwd, path)).mode & 0o111) !== 0,
    }));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import type { BenchmarkSummary } from './benchmark';
import type { EvaluateReport } from './evaluate';
import { RESULT_FILES, resultFile, resultsDir, runFile, sideFile, SIDE_FILES, type ModelResultKind } from './files';
import type { PrRun } from './pr-run';
import type { PreviewOutput } from './preview';
import { shapeProblem } from './shapes';
import type { ValidateReport } from './validate';

/** The shape of each per-model result file. */
export interface ModelResultShapes {
  preview: PreviewOutput;
  validate: ValidateReport;
  evaluate: EvaluateReport;
  benchmark: BenchmarkSummary;
}

type ResultKind = ModelResultKind | 'run';

/** The command that writes each file again. */
export const RESULT_PRODUCERS: Record<ResultKind, string> = {
  run: 'npx ephenv pr',
  preview: 'npx nx run <model>:deploy-preview',
  validate: 'npx nx run <model>:validate',
  evaluate: 'npx nx run <model>:evaluate',
  benchmark: 'npx nx run <model>:benchmark',
};

/** A result file that is missing, unreadable, or not what its producer writes: whoever reads it would lie. */
export class ResultFileError extends Error {
  override name = 'ResultFileError';
  constructor(
    readonly file: string,
    readonly kind: ResultKind,
    /** What is wrong, in a sentence that names the file as the workspace shows it. */
    readonly problem: string,
    fix = `Remove it or run "${RESULT_PRODUCERS[kind]}" again.`,
  ) {
    super(`${problem}. ${fix}`);
  }
}

/** A result as read: its data, its text (for the report's secret scan) and where it is. */
export interface LoadedResult<T> {
  data: T;
  text: string;
  file: string;
}

function write(file: string, data: unknown): string {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(data, null, 2) + '\n');
  return file;
}

function load<T>(workspaceRoot: string, file: string, kind: ResultKind): LoadedResult<T> | undefined {
  if (!existsSync(file)) return undefined;
  const shown = relative(workspaceRoot, file) || file;
  let text: string;
  let data: unknown;
  try {
    text = readFileSync(file, 'utf8');
    data = JSON.parse(text);
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    throw new ResultFileError(file, kind, `cannot read ${shown}: ${why}`);
  }
  const problem = shapeProblem(kind, data);
  if (problem) throw new ResultFileError(file, kind, `${shown} is not a ${kind} result: ${problem}`);
  return { data: data as T, text, file };
}

/** Writes `dist/ephenv/<project>/<kind>.json`; returns its path. */
export function writeResult<K extends ModelResultKind>(workspaceRoot: string, project: string, kind: K, data: ModelResultShapes[K]): string {
  return write(resultFile(workspaceRoot, project, kind), data);
}

/** `dist/ephenv/<project>/<kind>.json` with its text, or undefined when there is none; a malformed file is a ResultFileError. */
export function loadResult<K extends ModelResultKind>(workspaceRoot: string, project: string, kind: K): LoadedResult<ModelResultShapes[K]> | undefined {
  return load(workspaceRoot, resultFile(workspaceRoot, project, kind), kind);
}

/** `dist/ephenv/<project>/<kind>.json`, or undefined when there is none; a malformed file is a ResultFileError. */
export function findResult<K extends ModelResultKind>(workspaceRoot: string, project: string, kind: K): ModelResultShapes[K] | undefined {
  return loadResult(workspaceRoot, project, kind)?.data;
}

/** `dist/ephenv/<project>/<kind>.json`; a missing or malformed file is a ResultFileError naming the file and the command that writes it. */
export function readResult<K extends ModelResultKind>(workspaceRoot: string, project: string, kind: K): ModelResultShapes[K] {
  const found = findResult(workspaceRoot, project, kind);
  if (found === undefined) {
    const file = resultFile(workspaceRoot, project, kind);
    throw new ResultFileError(file, kind, `${relative(workspaceRoot, file)} does not exist`, `Run "${RESULT_PRODUCERS[kind]}" first.`);
  }
  return found;
}

export const hasResult = (workspaceRoot: string, project: string, kind: ModelResultKind) => existsSync(resultFile(workspaceRoot, project, kind));

export function removeResult(workspaceRoot: string, project: string, kind: ModelResultKind): void {
  rmSync(resultFile(workspaceRoot, project, kind), { force: true });
}

/** Whether `dist/ephenv/<project>` holds any result file. */
export const hasAnyResult = (workspaceRoot: string, project: string) => (Object.keys(RESULT_FILES) as ModelResultKind[]).some((kind) => hasResult(workspaceRoot, project, kind));

/** Writes a side file (JUnit XML) next to the JSON results; returns its path. */
export function writeSideFile(workspaceRoot: string, project: string, name: keyof typeof SIDE_FILES, text: string): string {
  const file = sideFile(workspaceRoot, project, name);
  mkdirSync(resultsDir(workspaceRoot, project), { recursive: true });
  writeFileSync(file, text);
  return file;
}

/** Writes `dist/ephenv/pr-run.json`. */
export function writeRun(workspaceRoot: string, run: PrRun): string {
  return write(runFile(workspaceRoot), run);
}

/** `dist/ephenv/pr-run.json` with its text, or undefined when there is none; a malformed file is a ResultFileError. */
export function loadRun(workspaceRoot: string): LoadedResult<PrRun> | undefined {
  return load(workspaceRoot, runFile(workspaceRoot), 'run');
}

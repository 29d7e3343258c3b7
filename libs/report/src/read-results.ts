import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { BenchmarkSummary } from '@ephenv/benchmark';
import type { EvaluateReport } from '@ephenv/evaluate';
import type { DeploymentSummary, PrRun, Step, StepStatus } from '@ephenv/core';
import type { ValidateReport } from '@ephenv/validate';

/** `dist/ephenv/pr-run.json`, as `ephenv pr` writes it: which models the run covered and how each step went. */
export type PrRunFile = PrRun;
export type { Step, StepStatus };

/**
 * `dist/ephenv/<project>/preview.json` (libs/preview preview-output): the preview record without
 * its token and processes. An aws preview carries what Terraform created, in `aws` or at the top.
 */
export interface PreviewOutput {
  project: string;
  provider: 'local' | 'aws';
  url: string;
  pr: string;
  gitSha: string;
  startedAt: string;
  endpointType?: 'serverless' | 'realtime';
  ttlHours?: number;
  logs?: Record<string, string>;
  aws?: Record<string, unknown>;
  deployment?: DeploymentSummary;
  [field: string]: unknown;
}

/** Everything one model's run left in dist/ephenv/<project>, plus its steps from pr-run.json. */
export interface ModelResults {
  project: string;
  preview?: PreviewOutput;
  validate?: ValidateReport;
  evaluate?: EvaluateReport;
  benchmark?: BenchmarkSummary;
  steps: Partial<Record<Step, StepStatus>>;
}

export interface ReportInputs {
  workspaceRoot: string;
  run?: PrRunFile;
  models: ModelResults[];
  /** Workspace-relative paths of every file read, for the secret scan's warnings. */
  files: { path: string; text: string }[];
}

/** An input exists but cannot be read or is not what its producer writes: the report would lie. */
export class ReportInputError extends Error {
  override name = 'ReportInputError';
}

export const RESULT_FILES = { preview: 'preview.json', validate: 'validate.json', evaluate: 'evaluate.json', benchmark: 'benchmark.json' } as const;

export const resultsRoot = (workspaceRoot: string) => join(workspaceRoot, 'dist', 'ephenv');
export const runFilePath = (workspaceRoot: string) => join(resultsRoot(workspaceRoot), 'pr-run.json');

type Shape = (data: Record<string, unknown>) => string | undefined;

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** What each file must hold for the report to read it; a mismatch names the missing part. */
const SHAPES: Record<'run' | keyof typeof RESULT_FILES, Shape> = {
  run: (d) => (!Array.isArray(d.models) ? '"models" is not a list' : !isObject(d.steps) ? '"steps" is not an object' : undefined),
  preview: (d) => (typeof d.url !== 'string' ? '"url" is missing' : d.provider !== 'local' && d.provider !== 'aws' ? '"provider" is neither local nor aws' : undefined),
  validate: (d) => (!Array.isArray(d.checks) ? '"checks" is not a list' : d.status !== 'pass' && d.status !== 'fail' ? '"status" is neither pass nor fail' : undefined),
  evaluate: (d) => (!Array.isArray(d.metrics) ? '"metrics" is not a list' : !['pass', 'fail', 'error', 'skipped'].includes(d.status as string) ? '"status" is not pass, fail, error or skipped' : undefined),
  benchmark: (d) => (!isObject(d.metrics) ? '"metrics" is missing' : !isObject(d.ephenv) ? 'the "ephenv" block is missing (not written by ephenv benchmark)' : undefined),
};

const PRODUCER: Record<keyof typeof SHAPES, string> = {
  run: 'npx ephenv pr',
  preview: 'npx nx run <model>:deploy-preview',
  validate: 'npx nx run <model>:validate',
  evaluate: 'npx nx run <model>:evaluate',
  benchmark: 'npx nx run <model>:benchmark',
};

function readInput<T>(workspaceRoot: string, file: string, kind: keyof typeof SHAPES, files: ReportInputs['files']): T | undefined {
  if (!existsSync(file)) return undefined;
  const shown = relative(workspaceRoot, file);
  let text: string;
  let data: unknown;
  try {
    text = readFileSync(file, 'utf8');
    data = JSON.parse(text);
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    throw new ReportInputError(`cannot read ${shown}: ${why}. Remove it or run "${PRODUCER[kind]}" again.`);
  }
  const problem = isObject(data) ? SHAPES[kind](data) : 'it is not a JSON object';
  if (problem) throw new ReportInputError(`${shown} is not a ${kind} result: ${problem}. Remove it or run "${PRODUCER[kind]}" again.`);
  files.push({ path: shown, text });
  return data as T;
}

/**
 * The models to report: those pr-run.json lists, and any other folder of dist/ephenv holding a
 * result (a model deployed or validated by hand), sorted by name.
 */
export function readResults(workspaceRoot: string): ReportInputs {
  const files: ReportInputs['files'] = [];
  const root = resultsRoot(workspaceRoot);
  const run = readInput<PrRunFile>(workspaceRoot, runFilePath(workspaceRoot), 'run', files);
  const names = new Set(run?.models ?? []);
  if (existsSync(root)) {
    for (const entry of readdirSync(root, { withFileTypes: true })) {
      if (entry.isDirectory() && Object.values(RESULT_FILES).some((f) => existsSync(join(root, entry.name, f)))) names.add(entry.name);
    }
  }
  const models = [...names].sort().map((project): ModelResults => {
    const dir = join(root, project);
    return {
      project,
      preview: readInput<PreviewOutput>(workspaceRoot, join(dir, RESULT_FILES.preview), 'preview', files),
      validate: readInput<ValidateReport>(workspaceRoot, join(dir, RESULT_FILES.validate), 'validate', files),
      evaluate: readInput<EvaluateReport>(workspaceRoot, join(dir, RESULT_FILES.evaluate), 'evaluate', files),
      benchmark: readInput<BenchmarkSummary>(workspaceRoot, join(dir, RESULT_FILES.benchmark), 'benchmark', files),
      steps: run?.steps[project] ?? {},
    };
  });
  return { workspaceRoot, run, models, files };
}

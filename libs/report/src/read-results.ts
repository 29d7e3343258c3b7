import { existsSync, readdirSync } from 'node:fs';
import { relative } from 'node:path';
import {
  hasAnyResult,
  loadResult,
  loadRun,
  resultsRoot,
  ResultFileError,
  runFile,
  type BenchmarkSummary,
  type EvaluateReport,
  type LoadedResult,
  type PreviewOutput,
  type PrRun,
  type Step,
  type StepStatus,
  type ValidateReport,
} from '@ephenv/core';

export type { PreviewOutput, PrRun as PrRunFile, Step, StepStatus };
/** An input exists but cannot be read or is not what its producer writes: the report would lie. */
export { ResultFileError as ReportInputError, resultsRoot, runFile as runFilePath };

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
  run?: PrRun;
  models: ModelResults[];
  /** Workspace-relative paths of every file read, for the secret scan's warnings. */
  files: { path: string; text: string }[];
}

/**
 * The models to report: those pr-run.json lists, and any other folder of dist/ephenv holding a
 * result (a model deployed or validated by hand), sorted by name. Every file is read through
 * core's results module: a malformed one is a ReportInputError naming it.
 */
export function readResults(workspaceRoot: string): ReportInputs {
  const files: ReportInputs['files'] = [];
  const seen = <T>(loaded: LoadedResult<T> | undefined): T | undefined => {
    if (loaded) files.push({ path: relative(workspaceRoot, loaded.file), text: loaded.text });
    return loaded?.data;
  };
  const run = seen(loadRun(workspaceRoot));
  const names = new Set(run?.models ?? []);
  const root = resultsRoot(workspaceRoot);
  if (existsSync(root)) {
    for (const entry of readdirSync(root, { withFileTypes: true })) {
      if (entry.isDirectory() && hasAnyResult(workspaceRoot, entry.name)) names.add(entry.name);
    }
  }
  const models = [...names].sort().map(
    (project): ModelResults => ({
      project,
      preview: seen(loadResult(workspaceRoot, project, 'preview')),
      validate: seen(loadResult(workspaceRoot, project, 'validate')),
      evaluate: seen(loadResult(workspaceRoot, project, 'evaluate')),
      benchmark: seen(loadResult(workspaceRoot, project, 'benchmark')),
      steps: run?.steps[project] ?? {},
    }),
  );
  return { workspaceRoot, run, models, files };
}

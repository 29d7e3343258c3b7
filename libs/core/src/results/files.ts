import { join } from 'node:path';

/**
 * Every result file ephenv's steps leave in `dist/ephenv`: the per-model files under
 * `dist/ephenv/<project>/`, and the run's own `pr-run.json`. Each name is defined here only.
 */
export const RESULT_FILES = {
  preview: 'preview.json',
  validate: 'validate.json',
  evaluate: 'evaluate.json',
  benchmark: 'benchmark.json',
} as const;

/** The kinds of per-model result file, in the order the steps write them. */
export type ModelResultKind = keyof typeof RESULT_FILES;
export const MODEL_RESULT_KINDS = Object.keys(RESULT_FILES) as ModelResultKind[];

/** Side files written next to the JSON results for CI's own readers (test reporters, job summaries). */
export const SIDE_FILES = {
  validateJunit: 'validate.junit.xml',
  evaluateJunit: 'evaluate.junit.xml',
} as const;

/** `dist/ephenv`: everything a run leaves for CI. */
export const resultsRoot = (workspaceRoot: string) => join(workspaceRoot, 'dist', 'ephenv');
/** `dist/ephenv/<project>`: one model's results. */
export const resultsDir = (workspaceRoot: string, project: string) => join(resultsRoot(workspaceRoot), project);
/** `dist/ephenv/<project>/<kind>.json`. */
export const resultFile = (workspaceRoot: string, project: string, kind: ModelResultKind) => join(resultsDir(workspaceRoot, project), RESULT_FILES[kind]);
/** `dist/ephenv/<project>/<side file>`. */
export const sideFile = (workspaceRoot: string, project: string, name: keyof typeof SIDE_FILES) => join(resultsDir(workspaceRoot, project), SIDE_FILES[name]);
/** `dist/ephenv/pr-run.json`: which models `ephenv pr` covered and how each step went. */
export const runFile = (workspaceRoot: string) => join(resultsRoot(workspaceRoot), 'pr-run.json');

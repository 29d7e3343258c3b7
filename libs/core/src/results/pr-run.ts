export type StepStatus = 'ok' | 'failed' | 'skipped';
export type Step = 'deploy' | 'validate' | 'evaluate' | 'benchmark' | 'destroy';

/** `dist/ephenv/pr-run.json`, as `ephenv pr` writes it: which models the run covered and how each step went. */
export interface PrRun {
  pr: string;
  provider: string;
  base?: string;
  head?: string;
  models: string[];
  steps: Record<string, Partial<Record<Step, StepStatus>>>;
  startedAt: string;
  finishedAt?: string;
}


// evaluate.json: written by @ephenv/evaluate, read by the report and the pipeline.
import type { EvaluateTask, MetricName } from '../config';

/** A class as a model or a data file names it: "setosa", or 0. `0` and `"0"` are different classes, as in numpy. */
export type Label = string | number;

export interface ThresholdCheck {
  /** e.g. ">= 0.9", ">= base - 0.02". */
  rule: string;
  passed: boolean;
  /** Why it failed, with the numbers. */
  message?: string;
}

export interface ChangedExample {
  line: number;
  input: unknown;
  expected: Label;
  base: Label | number;
  pr: Label | number;
  /** regression: |pr - base|; classification: the change of the probability of the expected class (1 when unknown). */
  change: number;
}

export interface Transition {
  from: Label;
  to: Label;
  count: number;
  /** Base was wrong, PR is right. */
  fixed: number;
  /** Base was right, PR is wrong. */
  broke: number;
}

export interface PredictionDiff {
  total: number;
  changed: number;
  /** changed / total. */
  share: number;
  /** The largest changes first, at most `top`. */
  top: ChangedExample[];
  /** classification: base class -> PR class, the most frequent first. */
  transitions?: Transition[];
  fixed?: number;
  broke?: number;
}

export interface MetricRow {
  metric: MetricName;
  /** Undefined when the model is new on the base (evaluated alone). */
  base?: number;
  pr: number;
  /** pr - base. */
  change?: number;
  greaterIsBetter: boolean;
  checks: ThresholdCheck[];
  /** pass/fail of the thresholds; none when the metric has no threshold. */
  status: 'pass' | 'fail' | 'none';
}

/** `dist/ephenv/<project>/evaluate.json`. */
export interface EvaluateReport {
  project: string;
  /** error: the evaluation could not run (no preview, a model stopped answering, bad data); skipped: no `evaluate` section. */
  status: 'pass' | 'fail' | 'error' | 'skipped';
  /** Why it was skipped. */
  reason?: string;
  startedAt: string;
  durationMs: number;
  task?: EvaluateTask;
  data?: { file: string; rows: number; batchSize: number; concurrency: number };
  /** The baseline: the base ref's model served locally, a running endpoint, or none (new model). */
  baseline: { kind: 'local' | 'url' | 'absent'; ref: string; url?: string };
  pr?: { url: string };
  metrics: MetricRow[];
  confusionMatrix?: { base?: { labels: Label[]; matrix: number[][] }; pr: { labels: Label[]; matrix: number[][] } };
  diff?: PredictionDiff;
  timing?: { totalMs: number; ephenvMs: number; requests: number };
  error?: string;
}

import type { EvaluateTask, MetricName } from '@ephenv/core';
import type { PredictionDiff } from './diff';
import type { Label } from './metrics/labels';
import type { ThresholdCheck } from './thresholds';

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

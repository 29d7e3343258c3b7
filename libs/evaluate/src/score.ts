import type { EvaluateConfig, MetricName } from '@ephenv/core';
import type { EvalRow } from './dataset';
import { classificationMetrics } from './metrics/classification';
import type { Label } from './metrics/labels';
import { regressionMetrics } from './metrics/regression';
import type { Prediction } from './predict';

export interface Scores {
  metrics: Partial<Record<MetricName, number>>;
  confusionMatrix?: { labels: Label[]; matrix: number[][] };
}

/** The configured metrics of one model's predictions; log_loss only when every answer had probabilities. */
export function score(config: EvaluateConfig, rows: EvalRow[], predictions: Prediction[]): Scores {
  const pick = (all: Record<string, number | undefined>) =>
    Object.fromEntries(config.metrics.filter((m) => all[m] !== undefined).map((m) => [m, all[m]!])) as Partial<Record<MetricName, number>>;
  if (config.task === 'regression') {
    const expected = rows.map((r, i) => {
      if (typeof r.expected !== 'number') throw new Error(`data line ${r.line}: a regression's expected value must be a number; got ${JSON.stringify(r.expected)}`);
      return r.expected;
    });
    return { metrics: pick({ ...regressionMetrics(expected, predictions.map((p) => p.value!)) }) };
  }
  const probabilities = predictions.every((p) => p.probabilities) ? predictions.map((p) => p.probabilities!) : undefined;
  const m = classificationMetrics(rows.map((r) => r.expected), predictions.map((p) => p.label!), probabilities);
  const { confusionMatrix, ...values } = m;
  return { metrics: pick(values), confusionMatrix };
}

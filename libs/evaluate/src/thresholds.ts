import type { ThresholdCheck } from '@ephenv/core';
export type { ThresholdCheck };
import type { MetricName, MetricThresholdSpec } from '@ephenv/core';

/** Metrics where a larger value is better; the others (losses, errors) are better small. */
const GREATER_IS_BETTER: Record<MetricName, boolean> = {
  accuracy: true,
  balanced_accuracy: true,
  precision_macro: true,
  recall_macro: true,
  f1_macro: true,
  r2: true,
  log_loss: false,
  mae: false,
  rmse: false,
  max_error: false,
};

export const greaterIsBetter = (metric: MetricName, spec?: MetricThresholdSpec) => spec?.greaterIsBetter ?? GREATER_IS_BETTER[metric];

const fmt = (v: number) => (Number.isInteger(v) ? String(v) : v.toPrecision(6).replace(/\.?0+$/, ''));
const signed = (v: number) => (v >= 0 ? `+ ${fmt(v)}` : `- ${fmt(-v)}`);

/**
 * MLflow's MetricThreshold, per metric: `threshold` (value >= threshold, or <= when lower is
 * better), `minAbsoluteChange` (>= base + change, or <= base - change), `minRelativeChange`
 * (>= base·(1 + change), or <= base·(1 - change)). MLflow requires positive changes (a required
 * improvement); a negative one here is a tolerated regression. Change rules need a base value:
 * without one (a model new on the base) only `threshold` is judged.
 */
export function judge(metric: MetricName, spec: MetricThresholdSpec, pr: number | undefined, base: number | undefined): ThresholdCheck[] {
  const up = greaterIsBetter(metric, spec);
  const op = up ? '>=' : '<=';
  const checks: ThresholdCheck[] = [];
  const check = (rule: string, bound: number) => {
    if (pr === undefined || Number.isNaN(pr)) {
      checks.push({ rule, passed: false, message: `${metric} could not be computed for the PR's model` });
      return;
    }
    const passed = up ? pr >= bound : pr <= bound;
    checks.push({ rule, passed, ...(!passed && { message: `${metric} ${fmt(pr)} is not ${op} ${fmt(bound)} (${rule})` }) });
  };
  if (spec.threshold !== undefined) check(`${op} ${fmt(spec.threshold)}`, spec.threshold);
  if (base !== undefined) {
    if (spec.minAbsoluteChange !== undefined) {
      const change = up ? spec.minAbsoluteChange : -spec.minAbsoluteChange;
      check(`${op} base ${signed(change)}`, base + change);
    }
    if (spec.minRelativeChange !== undefined) {
      const factor = up ? 1 + spec.minRelativeChange : 1 - spec.minRelativeChange;
      check(`${op} base × ${fmt(factor)}`, base * factor);
    }
  }
  return checks;
}

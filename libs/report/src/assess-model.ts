import type { ModelConfig } from '@ephenv/core';
import { parseThresholdExpression, type BenchmarkSummary, type SummaryMetric } from '@ephenv/benchmark';
import type { CompatFinding } from '@ephenv/validate';
import { estimateCost, type CostEstimate } from './estimate-cost';
import { code, ms } from './markdown';
import type { ModelResults } from './read-results';

export type Verdict = 'pass' | 'warn' | 'fail';

/** One model's results judged for the comment: what failed, what wants a look, what it costs. */
export interface ModelAssessment {
  results: ModelResults;
  verdict: Verdict;
  /** Markdown lines, one per problem, each naming the step and the check or threshold. */
  failures: string[];
  warnings: string[];
  breaking: CompatFinding[];
  cost?: CostEstimate;
  expiresAt?: Date;
  ttlHours?: number;
}

export interface AssessContext {
  now: Date;
  /** The model's ephenv.json, when found: sizes and TTL that preview.json does not hold. */
  config?: ModelConfig;
}

/** The value a threshold expression judged, in the metric's unit (e.g. "p(95) = 78.12 ms"). */
export function thresholdValue(metric: SummaryMetric | undefined, expression: string): string | undefined {
  if (!metric) return undefined;
  let key: string;
  try {
    const parsed = parseThresholdExpression(expression);
    key = parsed.method === 'p' ? `p(${parsed.percentile})` : parsed.method;
  } catch {
    return undefined;
  }
  const value = metric.values[key];
  if (value === undefined) return undefined;
  if (metric.type === 'rate' && key === 'rate') return `${key} = ${(value * 100).toFixed(2)}%`;
  if (metric.contains === 'time' && key !== 'count') return `${key} = ${ms(value)}`;
  return `${key} = ${Number.isInteger(value) ? value : value.toFixed(3)}`;
}

function benchmarkProblems(summary: BenchmarkSummary): { failures: string[]; warnings: string[] } {
  const failures: string[] = [];
  const warnings: string[] = [];
  for (const [name, metric] of Object.entries(summary.metrics)) {
    for (const [expression, result] of Object.entries(metric.thresholds ?? {})) {
      if (result.ok) continue;
      const value = thresholdValue(metric, expression);
      failures.push(`benchmark threshold ${code(`${name}: ${expression}`)} not met${value ? `: ${value}` : ''}`);
    }
  }
  if (summary.ephenv.aborted) failures.push(`benchmark stopped early: ${summary.ephenv.aborted}`);
  const baseline = summary.ephenv.baseline;
  if (baseline?.regressed) {
    const rows = baseline.rows.filter((r) => r.regression).map((r) => `${r.label} ${r.change !== undefined ? `${r.change >= 0 ? '+' : ''}${(r.change * 100).toFixed(1)}%` : 'worse'}`);
    warnings.push(`benchmark slower than the baseline: ${rows.join(', ')}`);
  }
  return { failures, warnings };
}

function usageOf(summary: BenchmarkSummary | undefined) {
  const m = summary?.metrics;
  if (!m?.http_reqs) return undefined;
  return {
    requests: m.http_reqs.values.count ?? 0,
    meanDurationMs: m.http_req_duration?.values.avg ?? 0,
    bytes: (m.data_sent?.values.count ?? 0) + (m.data_received?.values.count ?? 0),
  };
}

function expiry(results: ModelResults, ttlHours: number | undefined): Date | undefined {
  const expiresAt = results.preview?.expiresAt;
  if (expiresAt && !Number.isNaN(Date.parse(expiresAt))) return new Date(expiresAt);
  const started = Date.parse(results.preview?.startedAt ?? '');
  return ttlHours !== undefined && !Number.isNaN(started) ? new Date(started + ttlHours * 3600_000) : undefined;
}

export function assessModel(results: ModelResults, context: AssessContext): ModelAssessment {
  const { preview, validate, evaluate, benchmark, steps, project } = results;
  const failures: string[] = [];
  const warnings: string[] = [];
  const config = context.config;

  if (!preview && steps.deploy === 'failed') failures.push(`deploy-preview failed: no preview was recorded; see the log of ${code(`nx run ${project}:deploy-preview`)}`);
  if (!validate && steps.validate === 'failed') failures.push(`validate failed before writing its results; see the log of ${code(`nx run ${project}:validate`)}`);
  if (!benchmark && steps.benchmark === 'failed') failures.push(`benchmark failed before writing its results; see the log of ${code(`nx run ${project}:benchmark`)}`);
  if (!evaluate && steps.evaluate === 'failed') failures.push(`evaluate failed before writing its results; see the log of ${code(`nx run ${project}:evaluate`)}`);
  for (const step of ['deploy', 'validate', 'evaluate', 'benchmark'] as const) {
    if (steps[step] === 'skipped') warnings.push(`${step} was skipped`);
  }

  if (validate) {
    for (const check of validate.checks) {
      const line = `validate ${check.part} / ${check.name}: ${check.message}`;
      if (check.status === 'fail') failures.push(line);
      else if (check.status === 'warn') warnings.push(line);
    }
  }
  if (evaluate?.status === 'error') failures.push(`evaluate could not run: ${evaluate.error}`);
  for (const m of evaluate?.metrics ?? []) {
    for (const c of m.checks.filter((check) => !check.passed)) failures.push(`evaluate ${m.metric}: ${c.message}${m.base !== undefined ? ` (base ${m.base.toFixed(4)})` : ''}`);
  }
  if (benchmark) {
    const problems = benchmarkProblems(benchmark);
    failures.push(...problems.failures);
    warnings.push(...problems.warnings);
  }
  if (steps.destroy === 'failed') {
    failures.push(`destroy-preview failed: resources may be left behind; run ${code(`nx run ${project}:destroy-preview`)} again (the reaper removes them after expiry)`);
  }
  if (!preview && !validate && !benchmark && failures.length === 0 && steps.destroy !== 'ok') {
    failures.push(`no results in dist/ephenv/${project}: did its deploy-preview, validate and benchmark targets run?`);
  }

  const ttlHours = preview?.ttlHours ?? config?.ttlHours;
  let cost: CostEstimate | undefined;
  if (preview) {
    const started = Date.parse(preview.startedAt);
    // What the provider recorded as billed, sizes it did not record taken from the model's ephenv.json.
    const billed = preview.cost;
    cost = estimateCost({
      billed: billed !== undefined,
      endpointType: billed?.endpointType ?? preview.endpointType ?? config?.endpoint.type ?? 'serverless',
      instanceType: billed?.instanceType ?? config?.endpoint.instanceType,
      instanceCount: billed?.instanceCount ?? config?.endpoint.instanceCount,
      memorySizeMb: billed?.memorySizeMb ?? config?.endpoint.memorySizeMb,
      gatewayMemoryMb: billed?.gatewayMemoryMb,
      gatewayArchitecture: billed?.gatewayArchitecture,
      region: billed?.region ?? config?.aws.region,
      hours: Number.isNaN(started) ? 0 : Math.max(0, (context.now.getTime() - started) / 3600_000),
      usage: usageOf(benchmark),
    });
    if (!cost.complete) warnings.push(...cost.notes.filter((n) => n.startsWith('no ')).map((n) => `cost estimate incomplete: ${n}`));
  }

  return {
    results,
    verdict: failures.length > 0 ? 'fail' : warnings.length > 0 ? 'warn' : 'pass',
    failures,
    warnings,
    breaking: validate?.compat?.findings?.filter((f) => f.severity === 'breaking') ?? [],
    cost,
    expiresAt: preview ? expiry(results, ttlHours) : undefined,
    ttlHours,
  };
}

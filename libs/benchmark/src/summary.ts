// benchmark.json's shape is defined once, in core's results module.
import type { BenchmarkSummary, EphenvRunInfo, SummaryCheck, SummaryGroup, SummaryMetric } from '@ephenv/core';
export type { BenchmarkSummary, EphenvRunInfo, SummaryCheck, SummaryGroup, SummaryMetric };
import { createHash } from 'node:crypto';
import type { MetricRegistry } from './metrics';
import type { Sink } from './sinks';
import type { MetricThresholds } from './thresholds/thresholds';

/** Trend columns in every summary: k6's defaults plus p(99) (for the baseline) and count. */
export const SUMMARY_TREND_STATS = ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)', 'count'] as const;

/**
 * The trend columns of a run: the defaults plus every percentile a threshold reads, so the
 * summary shows the value each threshold was judged on (k6 applies summaryTrendStats to all trends).
 */
export function trendStatsFor(thresholds: MetricThresholds[]): string[] {
  const stats: string[] = [...SUMMARY_TREND_STATS];
  for (const mt of thresholds) {
    for (const t of mt.thresholds) {
      const key = t.expression.method === 'p' ? `p(${t.expression.percentile})` : undefined;
      if (key && !stats.includes(key)) stats.push(key);
    }
  }
  return stats;
}

/** k6 exits with 99 when thresholds fail (errext/exitcodes ThresholdsHaveFailed); so do we. */
export const THRESHOLDS_FAILED_EXIT_CODE = 99;
/** k6's exit code for an invalid configuration (exitcodes InvalidConfig), e.g. a malformed threshold. */
export const INVALID_CONFIG_EXIT_CODE = 104;

/** k6 group/check ids: the hex MD5 of the path (lib/models.go). */
const pathId = (path: string) => createHash('md5').update(path).digest('hex');

export function rootGroup(checks: { name: string; passes: number; fails: number }[]): SummaryGroup {
  return {
    name: '',
    path: '',
    id: pathId(''),
    groups: [],
    checks: checks.map((c) => ({ name: c.name, path: `::${c.name}`, id: pathId(`::${c.name}`), passes: c.passes, fails: c.fails })),
  };
}

/** The values k6 puts in a metric's summary entry (internal/js/summary.go metricValueGetter). */
export function sinkValues(sink: Sink, durationMs: number, trendStats: readonly string[] = SUMMARY_TREND_STATS): Record<string, number> {
  switch (sink.type) {
    case 'counter':
      return { count: sink.value, rate: sink.rate(durationMs) };
    case 'gauge':
      return { value: sink.value, min: sink.min, max: sink.max };
    case 'rate':
      return { rate: sink.rate(), passes: sink.trues, fails: sink.total - sink.trues };
    case 'trend': {
      const values: Record<string, number> = {};
      for (const stat of trendStats) values[stat] = trendStat(sink, stat);
      return values;
    }
  }
}

function trendStat(sink: Extract<Sink, { type: 'trend' }>, stat: string): number {
  switch (stat) {
    case 'avg':
      return sink.avg();
    case 'min':
      return sink.min;
    case 'max':
      return sink.max;
    case 'med':
      return sink.p(0.5);
    case 'count':
      return sink.count;
    default:
      return sink.p(Number(stat.slice(2, -1)) / 100);
  }
}

/**
 * The metrics section: every metric that received samples, and every metric or submetric with
 * thresholds (even without samples, as k6 lists them), each threshold with its last result.
 */
export function summarizeMetrics(
  registry: MetricRegistry,
  thresholds: MetricThresholds[],
  durationMs: number,
  trendStats: readonly string[] = SUMMARY_TREND_STATS,
): Record<string, SummaryMetric> {
  const withThresholds = new Map(thresholds.map((t) => [t.name, t]));
  const metrics: Record<string, SummaryMetric> = {};
  for (const [name, type, contains, sink] of registry.entries()) {
    const t = withThresholds.get(name);
    if (sink.isEmpty() && !t) continue;
    metrics[name] = { type, contains, values: sinkValues(sink, durationMs, trendStats) };
    if (t && t.thresholds.length > 0) {
      metrics[name].thresholds = Object.fromEntries(t.thresholds.map((th) => [th.source, { ok: !th.lastFailed }]));
    }
  }
  return metrics;
}

/** "metric: expression" for each failed threshold recorded in a summary's metrics. */
export function failedThresholds(metrics: Record<string, SummaryMetric>): string[] {
  return Object.entries(metrics).flatMap(([name, m]) =>
    Object.entries(m.thresholds ?? {})
      .filter(([, r]) => !r.ok)
      .map(([expr]) => `${name}: ${expr}`),
  ).sort();
}

/** The URL as reported: origin and path only, so credentials or query strings never reach a report. */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname === '/' ? '' : u.pathname}`;
  } catch {
    return '(invalid url)';
  }
}

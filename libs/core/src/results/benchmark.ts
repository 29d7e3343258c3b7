// benchmark.json: k6's handleSummary data plus ephenv's block; written by @ephenv/benchmark, read by the report and the pipeline.
import type { ScenarioConfig } from '../config';

export type MetricType = 'counter' | 'gauge' | 'rate' | 'trend';

export type ValueContains = 'default' | 'time' | 'data';

/** `benchmark.json` → `ephenv.timeline`: columns, one entry per second of the run (what uPlot draws). */
export interface Timeline {
  /** Width of a bucket. */
  bucketMs: 1000;
  /** Seconds since the start of the run (bucket start). */
  t: number[];
  /** Requests completed in the second. */
  requests: number[];
  /** Of which failed (http_req_failed). */
  errors: number[];
  /** http_req_duration quantiles (ms) estimated from the second's histogram; 0 when no request ended. */
  p50: number[];
  p95: number[];
  p99: number[];
  /** The whole run's http_req_duration histogram: counts per bin, bin i being (bounds[i-1], bounds[i]]. */
  histogram: { boundsMs: number[]; counts: number[] };
}

export interface ComparisonRow {
  label: string;
  metric: string;
  stat: string;
  kind: 'latency' | 'throughput' | 'error-rate';
  baseline?: number;
  current?: number;
  /** (current - baseline) / baseline; undefined when either is missing or the baseline is 0. */
  change?: number;
  regression: boolean;
  /** Better by as much as a regression would be worse (tolerance and floor alike). */
  improvement: boolean;
}

export interface BaselineComparison {
  baselineFile: string;
  baselineStartedAt?: string;
  tolerance: number;
  latencyFloorMs: number;
  errorRateFloor: number;
  rows: ComparisonRow[];
  regressed: boolean;
  /** Why the comparison may not be like for like (different scenario, engine). */
  notes: string[];
}

export interface SummaryMetric {
  type: MetricType;
  contains: ValueContains;
  values: Record<string, number>;
  thresholds?: Record<string, { ok: boolean }>;
}

export interface SummaryCheck {
  name: string;
  path: string;
  id: string;
  passes: number;
  fails: number;
}

export interface SummaryGroup {
  name: string;
  path: string;
  id: string;
  groups: SummaryGroup[];
  checks: SummaryCheck[];
}

/** What ephenv adds to k6's data: how the run was made and what it concluded. */
export interface EphenvRunInfo {
  engine: 'embedded' | 'k6';
  project: string;
  /** The preview URL, without credentials or query. */
  url: string;
  scenario: ScenarioConfig;
  scenarioDescription: string;
  startedAt: string;
  finishedAt: string;
  testRunDurationMs: number;
  thresholds: { ok: boolean; failed: string[] };
  /** Set when the run stopped early: an abortOnFail threshold, or an interrupt. */
  aborted?: string;
  baseline?: BaselineComparison;
  /** Per-second requests, errors and latency quantiles, and the latency histogram (the HTML report's charts). */
  timeline?: Timeline;
}

/** `benchmark.json`: k6's handleSummary data, plus the `ephenv` block. */
export interface BenchmarkSummary {
  root_group: SummaryGroup;
  options: { summaryTrendStats: string[]; summaryTimeUnit: string; noColor: boolean };
  state: { isStdOutTTY: boolean; isStdErrTTY: boolean; testRunDurationMs: number };
  metrics: Record<string, SummaryMetric>;
  ephenv: EphenvRunInfo;
}

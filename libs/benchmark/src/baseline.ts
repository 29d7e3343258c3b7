import type { BaselineComparison, ComparisonRow } from '@ephenv/core';
export type { BaselineComparison, ComparisonRow };
import { readFileSync } from 'node:fs';
import type { BenchmarkSummary, SummaryMetric } from './summary';

export interface BaselineOptions {
  /** Relative change tolerated before a regression is flagged (0.1 = 10%). */
  tolerance?: number;
  /**
   * Latency changes smaller than this many ms are never a regression, whatever the percentage.
   * On a loopback preview p95 sits at a few ms, where timer granularity (1 ms) and a GC pause
   * move it by 10-30% from run to run; a 2 ms floor absorbs that noise while a real slowdown of
   * a model (tens of ms) still shows.
   */
  latencyFloorMs?: number;
  /**
   * Error-rate increases smaller than this (absolute, 0.005 = half a percentage point) are never
   * a regression: on a short run a single transient error already moves the rate by that much.
   */
  errorRateFloor?: number;
}

export const DEFAULT_TOLERANCE = 0.1;
export const DEFAULT_LATENCY_FLOOR_MS = 2;
export const DEFAULT_ERROR_RATE_FLOOR = 0.005;

export class BaselineError extends Error {
  override name = 'BaselineError';
}

/** A previous benchmark.json (or any k6 handleSummary JSON) to compare with. */
export function readBaseline(file: string): BenchmarkSummary {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (e as Error).message;
    throw new BaselineError(`cannot read the baseline ${file}: ${reason}. Pass --baseline with the benchmark.json of a previous run (e.g. main's).`);
  }
  const metrics = (data as { metrics?: unknown } | null)?.metrics;
  if (!metrics || typeof metrics !== 'object') {
    throw new BaselineError(`the baseline ${file} has no "metrics": it is not a benchmark.json or a k6 handleSummary JSON`);
  }
  return data as BenchmarkSummary;
}

function stat(metrics: Record<string, SummaryMetric>, metric: string, ...keys: string[]): number | undefined {
  const values = metrics[metric]?.values;
  if (!values) return undefined;
  for (const key of keys) if (typeof values[key] === 'number') return values[key];
  return undefined;
}

/**
 * Compares p50/p95/p99 of http_req_duration, throughput (http_reqs per second) and error rate
 * (http_req_failed) with a baseline; a row is a regression when it is worse by more than the
 * tolerance and, for latency and errors, by more than an absolute noise floor.
 */
export function compareWithBaseline(current: BenchmarkSummary, baseline: BenchmarkSummary, baselineFile: string, options: BaselineOptions = {}): BaselineComparison {
  const tolerance = options.tolerance ?? DEFAULT_TOLERANCE;
  const latencyFloorMs = options.latencyFloorMs ?? DEFAULT_LATENCY_FLOOR_MS;
  const errorRateFloor = options.errorRateFloor ?? DEFAULT_ERROR_RATE_FLOOR;
  if (!(tolerance >= 0)) throw new BaselineError(`tolerance must be a non-negative fraction (0.1 = 10%), got ${tolerance}`);

  const row = (label: string, kind: ComparisonRow['kind'], metric: string, keys: string[]): ComparisonRow => {
    const b = stat(baseline.metrics, metric, ...keys);
    const c = stat(current.metrics, metric, ...keys);
    const change = b !== undefined && c !== undefined && b !== 0 ? (c - b) / b : undefined;
    let regression = false;
    let improvement = false;
    if (b !== undefined && c !== undefined) {
      if (kind === 'latency') {
        regression = c > b * (1 + tolerance) && c - b > latencyFloorMs;
        improvement = c < b * (1 - tolerance) && b - c > latencyFloorMs;
      } else if (kind === 'throughput') {
        regression = c < b * (1 - tolerance);
        improvement = c > b * (1 + tolerance);
      } else {
        regression = c - b > Math.max(b * tolerance, errorRateFloor);
        improvement = b - c > Math.max(b * tolerance, errorRateFloor);
      }
    }
    return { label, metric, stat: keys[0], kind, baseline: b, current: c, change, regression, improvement };
  };

  const rows = [
    row('p50 latency', 'latency', 'http_req_duration', ['med', 'p(50)']),
    row('p95 latency', 'latency', 'http_req_duration', ['p(95)']),
    row('p99 latency', 'latency', 'http_req_duration', ['p(99)']),
    row('throughput', 'throughput', 'http_reqs', ['rate']),
    row('error rate', 'error-rate', 'http_req_failed', ['rate']),
  ];

  const notes: string[] = [];
  if (baseline.ephenv?.scenario && JSON.stringify(baseline.ephenv.scenario) !== JSON.stringify(current.ephenv.scenario)) {
    notes.push(`the baseline ran a different scenario (${baseline.ephenv.scenarioDescription ?? JSON.stringify(baseline.ephenv.scenario)}): deltas compare unlike loads`);
  }
  if (baseline.ephenv?.engine && baseline.ephenv.engine !== current.ephenv.engine) {
    notes.push(`the baseline was measured by the ${baseline.ephenv.engine} engine, this run by ${current.ephenv.engine}`);
  }

  return {
    baselineFile,
    baselineStartedAt: baseline.ephenv?.startedAt,
    tolerance,
    latencyFloorMs,
    errorRateFloor,
    rows,
    regressed: rows.some((r) => r.regression),
    notes,
  };
}

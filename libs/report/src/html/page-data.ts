import type { BenchmarkSummary, ComparisonRow, SummaryMetric } from '@ephenv/benchmark';
import type { ModelAssessment } from '../assess-model';

/**
 * What the HTML page shows of one model, as plain JSON: the page's script draws the charts from
 * it, and the browser test compares the numbers the page shows with benchmark.json's.
 */
export interface ModelPageData {
  project: string;
  verdict: ModelAssessment['verdict'];
  previewUrl?: string;
  /** Headline figures: this PR's and, when there was one, the baseline's. */
  figures: { label: string; unit: 'ms' | 'req/s' | '%'; pr?: number; baseline?: number }[];
  timeline?: NonNullable<BenchmarkSummary['ephenv']['timeline']>;
  validate?: { status: string; checks: { name: string; part: string; status: string; message?: string }[]; breaking: number };
  cost?: { free: boolean; perHour: number; perThousandRequests: number; soFar: number; complete: boolean };
  failures: string[];
}

const value = (metric: SummaryMetric | undefined, key: string): number | undefined => {
  const v = metric?.values?.[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
};

/** The baseline's figure of a comparison row, matched by metric and stat. */
const baselineOf = (rows: ComparisonRow[], metric: string, stat: string) => rows.find((r) => r.metric === metric && r.stat === stat)?.baseline;

export function modelPageData(a: ModelAssessment): ModelPageData {
  const { results } = a;
  const bench = results.benchmark;
  const rows = bench?.ephenv.baseline?.rows ?? [];
  const duration = bench?.metrics.http_req_duration;
  const figures: ModelPageData['figures'] = bench
    ? [
        { label: 'p50 latency', unit: 'ms', pr: value(duration, 'med'), baseline: baselineOf(rows, 'http_req_duration', 'med') },
        { label: 'p95 latency', unit: 'ms', pr: value(duration, 'p(95)'), baseline: baselineOf(rows, 'http_req_duration', 'p(95)') },
        { label: 'p99 latency', unit: 'ms', pr: value(duration, 'p(99)'), baseline: baselineOf(rows, 'http_req_duration', 'p(99)') },
        { label: 'throughput', unit: 'req/s', pr: value(bench.metrics.http_reqs, 'rate'), baseline: baselineOf(rows, 'http_reqs', 'rate') },
        {
          label: 'error rate',
          unit: '%',
          pr: percent(value(bench.metrics.http_req_failed, 'rate')),
          baseline: percent(baselineOf(rows, 'http_req_failed', 'rate')),
        },
      ]
    : [];
  return {
    project: results.project,
    verdict: a.verdict,
    previewUrl: results.preview?.url,
    figures,
    timeline: bench?.ephenv.timeline,
    validate: results.validate && {
      status: results.validate.status,
      checks: results.validate.checks.map((c) => ({ name: c.name, part: c.part, status: c.status, message: c.message })),
      breaking: a.breaking.length,
    },
    cost: a.cost && { free: a.cost.free, perHour: a.cost.perHour, perThousandRequests: a.cost.perThousandRequests, soFar: a.cost.soFar, complete: a.cost.complete },
    failures: a.failures,
  };
}

const percent = (rate: number | undefined) => (rate === undefined ? undefined : rate * 100);

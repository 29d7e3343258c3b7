import type { ThresholdSpec } from '@ephenv/core';
import { parseDuration } from '../duration';
import type { MetricDefinition } from '../metrics';
import type { MetricType, Sink } from '../sinks';
import { aggregateKey, parseMetricName, parseThresholdExpression, ThresholdError, type AggregationMethod, type ThresholdExpression } from './parse-expression';

export interface Threshold {
  source: string;
  expression: ThresholdExpression;
  abortOnFail: boolean;
  /** delayAbortEval: an abortOnFail threshold only aborts once the test has run longer than this. */
  delayAbortEvalMs?: number;
  /** The result of the last evaluation (k6 Threshold.LastFailed). */
  lastFailed: boolean;
}

/** The thresholds of one metric or submetric, as written under one key of `load.thresholds`. */
export interface MetricThresholds {
  /** The key as written: "http_req_duration" or "http_req_duration{status:200}". */
  name: string;
  /** The parent metric ("http_req_duration"). */
  metric: string;
  tags: [string, string][];
  thresholds: Threshold[];
  /** Set once an abortOnFail threshold failed past its delay (sticky, as k6's Thresholds.Abort). */
  abort: boolean;
}

const SUPPORTED_METHODS: Record<MetricType, readonly AggregationMethod[]> = {
  counter: ['count', 'rate'],
  gauge: ['value'],
  rate: ['rate'],
  trend: ['avg', 'min', 'max', 'med', 'p'],
};

export interface ThresholdCatalogue {
  /** The metrics the engine knows, with their types. */
  metrics: Readonly<Record<string, MetricDefinition>>;
  /** Unknown metric names are an error (embedded engine) or left to the engine (k6, whose script may define custom metrics). */
  strict: boolean;
  /** Tag keys recorded per metric, for submetrics; undefined = any tag (k6). */
  tags?: (metric: string) => readonly string[] | undefined;
  engine: string;
}

/**
 * Parses and checks every threshold before the run, as k6 does: syntax, an aggregation the
 * metric's type supports, a known metric and tags. Errors name the metric and the expression.
 */
export function parseThresholds(config: Record<string, ThresholdSpec[]>, catalogue: ThresholdCatalogue): MetricThresholds[] {
  return Object.entries(config).map(([name, specs]) => {
    const where = `threshold on metric "${name}"`;
    let parsedName: ReturnType<typeof parseMetricName>;
    try {
      parsedName = parseMetricName(name);
    } catch (e) {
      throw new ThresholdError(`invalid ${where}: ${(e as Error).message}`);
    }
    const { metric, tags } = parsedName;
    const definition = Object.hasOwn(catalogue.metrics, metric) ? catalogue.metrics[metric] : undefined;
    if (!definition && catalogue.strict) {
      throw new ThresholdError(
        `invalid ${where}: the ${catalogue.engine} engine records no metric "${metric}". ` +
          `Known metrics: ${Object.keys(catalogue.metrics).join(', ')}. Thresholds on custom metrics need the k6 engine (--engine k6).`,
      );
    }
    if (tags.length > 0 && definition && catalogue.tags) {
      const recorded = catalogue.tags(metric) ?? [];
      const unknown = tags.filter(([key]) => !recorded.includes(key)).map(([key]) => key);
      if (unknown.length > 0) {
        throw new ThresholdError(
          `unsupported submetric in ${where}: the ${catalogue.engine} engine does not tag ${metric} samples with ` +
            `${unknown.map((k) => `"${k}"`).join(', ')}` +
            (recorded.length ? ` (it records ${recorded.join(', ')})` : ' (it records no tags on this metric)') +
            `. Use one of those tags or run with --engine k6.`,
        );
      }
    }
    if (!Array.isArray(specs)) throw new ThresholdError(`invalid ${where}: expected an array of threshold expressions`);
    const thresholds = specs.map((spec) => parseOne(spec, where, metric, definition));
    return { name, metric, tags, thresholds, abort: false };
  });
}

function parseOne(spec: ThresholdSpec, where: string, metric: string, definition: MetricDefinition | undefined): Threshold {
  const config = typeof spec === 'string' ? { threshold: spec } : spec;
  if (!config || typeof config.threshold !== 'string') {
    throw new ThresholdError(`invalid ${where}: each threshold is a string such as "p(95)<200" or {"threshold": "...", "abortOnFail": true}`);
  }
  let expression: ThresholdExpression;
  try {
    expression = parseThresholdExpression(config.threshold);
  } catch (e) {
    throw new ThresholdError(`invalid ${where}: ${(e as Error).message}`);
  }
  if (definition && !SUPPORTED_METHODS[definition.type].includes(expression.method)) {
    throw new ThresholdError(
      `invalid ${where}: "${config.threshold}" uses ${expression.method === 'p' ? 'a percentile' : `"${expression.method}"`}, ` +
        `which a ${definition.type} metric does not support; ${metric} supports ${SUPPORTED_METHODS[definition.type].map((m) => (m === 'p' ? 'p(N)' : m)).join(', ')}`,
    );
  }
  let delayAbortEvalMs: number | undefined;
  if (config.delayAbortEval !== undefined) {
    try {
      delayAbortEvalMs = parseDuration(config.delayAbortEval, `delayAbortEval of "${config.threshold}" on ${metric}`);
    } catch (e) {
      throw new ThresholdError(`invalid ${where}: ${(e as Error).message}`);
    }
  }
  return { source: config.threshold, expression, abortOnFail: config.abortOnFail === true, delayAbortEvalMs, lastFailed: false };
}

/** The aggregates a threshold can read from a sink; a missing key means "no value yet" (k6 Thresholds.Run). */
function aggregates(sink: Sink, thresholds: Threshold[], durationMs: number): Map<string, number> {
  const values = new Map<string, number>();
  switch (sink.type) {
    case 'counter':
      values.set('count', sink.value);
      if (durationMs > 0) values.set('rate', sink.rate(durationMs));
      break;
    case 'gauge':
      values.set('value', sink.value);
      break;
    case 'trend':
      values.set('min', sink.min);
      values.set('max', sink.max);
      values.set('avg', sink.avg());
      values.set('med', sink.p(0.5));
      for (const t of thresholds) {
        if (t.expression.method === 'p') values.set(aggregateKey(t.expression), sink.p(t.expression.percentile! / 100));
      }
      break;
    case 'rate':
      // No samples: no rate at all (k6 #2520), so the threshold is not failed on a 0/0.
      if (sink.total > 0) values.set('rate', sink.rate());
      break;
  }
  return values;
}

function passes(lhs: number, e: ThresholdExpression): boolean {
  switch (e.operator) {
    case '>':
      return lhs > e.value;
    case '>=':
      return lhs >= e.value;
    case '<=':
      return lhs <= e.value;
    case '<':
      return lhs < e.value;
    case '==':
    case '===':
      return lhs === e.value;
    case '!=':
      return lhs !== e.value;
  }
}

/** The value a threshold is compared with, or undefined when the sink has none (for display). */
export function thresholdValue(sink: Sink, threshold: Threshold, durationMs: number): number | undefined {
  return aggregates(sink, [threshold], durationMs).get(aggregateKey(threshold.expression));
}

/**
 * Evaluates one metric's thresholds against its sink after `elapsedMs` of test (k6
 * Thresholds.Run + runAll): updates each `lastFailed`, and sets `abort` when a failing
 * abortOnFail threshold's delayAbortEval is shorter than the time spent. Returns true if all pass.
 */
export function runThresholds(mt: MetricThresholds, sink: Sink, elapsedMs: number): boolean {
  const values = aggregates(sink, mt.thresholds, elapsedMs);
  let ok = true;
  for (const t of mt.thresholds) {
    const lhs = values.get(aggregateKey(t.expression));
    const pass = lhs === undefined || passes(lhs, t.expression);
    t.lastFailed = !pass;
    if (pass) continue;
    ok = false;
    if (mt.abort || !t.abortOnFail) continue;
    mt.abort = t.delayAbortEvalMs === undefined || t.delayAbortEvalMs < elapsedMs;
  }
  return ok;
}

export interface ThresholdsOutcome {
  /** Names of the metrics (as written) with at least one failing threshold, sorted. */
  breached: string[];
  shouldAbort: boolean;
}

/**
 * All thresholds of a run. During the run empty sinks are skipped; at the end they are not: a
 * trend or counter without samples is then judged on zeros, a rate without samples passes (k6
 * MetricsEngine.evaluateThresholds).
 */
export function evaluateThresholds(
  all: MetricThresholds[],
  sinkOf: (name: string) => Sink | undefined,
  elapsedMs: number,
  ignoreEmptySinks: boolean,
): ThresholdsOutcome {
  const breached: string[] = [];
  let shouldAbort = false;
  for (const mt of all) {
    const sink = sinkOf(mt.name);
    if (!sink || mt.thresholds.length === 0 || (ignoreEmptySinks && sink.isEmpty())) continue;
    if (runThresholds(mt, sink, elapsedMs)) continue;
    breached.push(mt.name);
    if (mt.abort) shouldAbort = true;
  }
  return { breached: breached.sort(), shouldAbort };
}

/** Every failing expression as "metric: expression", for error messages and the report. */
export function failedExpressions(all: MetricThresholds[]): string[] {
  return all.flatMap((mt) => mt.thresholds.filter((t) => t.lastFailed).map((t) => `${mt.name}: ${t.source}`));
}

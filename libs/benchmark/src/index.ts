export { runBenchmark, BenchmarkError, REGRESSION_EXIT_CODE } from './run-benchmark';
export type { BenchmarkOptions, BenchmarkContext, BenchmarkResult, EngineChoice } from './run-benchmark';
export {
  THRESHOLDS_FAILED_EXIT_CODE,
  INVALID_CONFIG_EXIT_CODE,
  SUMMARY_TREND_STATS,
  failedThresholds,
  displayUrl,
} from './summary';
export type { BenchmarkSummary, SummaryMetric, SummaryGroup, SummaryCheck, EphenvRunInfo } from './summary';
export { renderSummary } from './render-summary';
export { renderMarkdown } from './render-markdown';
export { compareWithBaseline, readBaseline, BaselineError, DEFAULT_TOLERANCE, DEFAULT_LATENCY_FLOOR_MS, DEFAULT_ERROR_RATE_FLOOR } from './baseline';
export type { BaselineComparison, BaselineOptions, ComparisonRow } from './baseline';
export { parseThresholdExpression, parseMetricName, ThresholdError } from './thresholds/parse-expression';
export type { ThresholdExpression, Operator, AggregationMethod } from './thresholds/parse-expression';
export { parseThresholds, runThresholds, evaluateThresholds } from './thresholds/thresholds';
export type { MetricThresholds, Threshold, ThresholdCatalogue } from './thresholds/thresholds';
export { resolveScenario, describeScenario, ScenarioError } from './scenario';
export type { ScenarioPlan, ScenarioOverrides, ResolvedScenario } from './scenario';
export { parseDuration, formatDuration, DurationError } from './duration';
export { percentileOfSorted, TrendSink, CounterSink, GaugeSink, RateSink } from './sinks';
export { runEmbedded, CHECK_STATUS_200, CHECK_BODY_JSON } from './engine/run-embedded';
export type { EmbeddedRunOptions, EmbeddedRunResult } from './engine/run-embedded';
export { buildK6Invocation, findK6, readK6Summary, spawnK6, K6Error, K6_INSTALL_HINT } from './k6-runner';
export type { K6Options, K6RunInput, K6Invocation } from './k6-runner';
export { exitCodeFor } from './exit-code';
export { TimelineRecorder, histogramQuantile, LATENCY_BOUNDS_MS, type Timeline } from './timeline';
export { timelineFromK6Json } from './k6-timeline';

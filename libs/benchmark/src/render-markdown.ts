import type { BaselineComparison, ComparisonRow } from './baseline';
import { humanizeBytes, humanizeDuration, humanizeRate } from './format';
import { thresholdReading } from './render-summary';
import type { BenchmarkSummary } from './summary';

/** Text for a table cell or code span: no pipes or backticks that would break the table. */
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/`/g, "'").replace(/\r?\n/g, ' ');

function formatRow(value: number | undefined, kind: ComparisonRow['kind']): string {
  if (value === undefined) return 'n/a';
  if (kind === 'latency') return humanizeDuration(value);
  if (kind === 'throughput') return `${value.toFixed(1)}/s`;
  return humanizeRate(value);
}

function formatChange(row: ComparisonRow): string {
  if (row.baseline === undefined || row.current === undefined) return 'n/a';
  if (row.change === undefined) return row.current === row.baseline ? '±0' : row.kind === 'error-rate' ? `+${humanizeRate(row.current - row.baseline)} pts` : 'new';
  const pct = row.change * 100;
  return `${pct >= 0 ? '+' : ''}${pct.toFixed(1)}%`;
}

function verdict(row: ComparisonRow): string {
  if (row.regression) return '🔺 regression';
  return row.improvement ? '✨ better' : '';
}

export interface MarkdownOptions {
  /** The level of the section's heading (default 3: `###`); a page that nests it under its own heading passes one deeper. */
  headingLevel?: number;
}

/**
 * The benchmark's section of the PR comment: verdict, scenario, thresholds with their values,
 * the headline numbers and, given a baseline comparison, the deltas with regressions flagged.
 */
export function renderMarkdown(summary: BenchmarkSummary, comparison: BaselineComparison | undefined = summary.ephenv.baseline, options: MarkdownOptions = {}): string {
  const info = summary.ephenv;
  const failed = info.thresholds.failed.length;
  const title = failed === 0 ? '✅ thresholds met' : `❌ ${failed} threshold${failed > 1 ? 's' : ''} failed`;
  const regression = comparison?.regressed ? ' · 🔺 slower than baseline' : '';
  const out: string[] = [];
  out.push(`${'#'.repeat(options.headingLevel ?? 3)} Benchmark: ${cell(info.project)} — ${title}${regression}`, '');
  out.push(`\`${info.scenario.executor}\` · ${cell(info.scenarioDescription)} · engine: ${info.engine} · ran ${humanizeDuration(info.testRunDurationMs)}`);
  if (info.aborted) out.push('', `> ⚠️ Stopped early: ${cell(info.aborted)}`);
  out.push('');

  const m = summary.metrics;
  const duration = m.http_req_duration?.values ?? {};
  const dropped = m.dropped_iterations?.values.count ?? 0;
  out.push('| requests | req/s | p50 | p95 | p99 | errors | dropped iterations | data received |');
  out.push('|---:|---:|---:|---:|---:|---:|---:|---:|');
  const ms = (v: number | undefined) => (v === undefined ? 'n/a' : humanizeDuration(v));
  out.push(
    `| ${m.http_reqs?.values.count ?? 0} | ${(m.http_reqs?.values.rate ?? 0).toFixed(1)} | ${ms(duration.med)} | ${ms(duration['p(95)'])} | ${ms(duration['p(99)'])} | ` +
      `${humanizeRate(m.http_req_failed?.values.rate ?? 0)} | ${dropped} | ${humanizeBytes(m.data_received?.values.count ?? 0)} |`,
  );
  if (dropped > 0) {
    out.push('', `> ⚠️ ${dropped} iterations could not start: every VU was busy (raise \`maxVUs\`). Latency percentiles cover only the iterations that ran.`);
  }
  out.push('');

  const thresholdRows = Object.entries(m).flatMap(([name, metric]) =>
    Object.entries(metric.thresholds ?? {}).map(([expr, { ok }]) => `| ${cell(name)} | \`${cell(expr)}\` | ${cell(thresholdReading(metric, expr) ?? 'n/a')} | ${ok ? '✅' : '❌'} |`),
  );
  if (thresholdRows.length > 0) {
    out.push('| metric | threshold | value | |', '|---|---|---|---|', ...thresholdRows, '');
  }

  if (comparison) {
    const when = comparison.baselineStartedAt ? ` from ${comparison.baselineStartedAt}` : '';
    out.push(
      `<details${comparison.regressed ? ' open' : ''}><summary>Compared with the baseline${cell(when)} (regression past ${Math.round(comparison.tolerance * 100)}%, ignoring latency changes under ${comparison.latencyFloorMs} ms)</summary>`,
      '',
      '| | baseline | this run | change | |',
      '|---|---:|---:|---:|---|',
      ...comparison.rows.map((r) => `| ${r.label} | ${formatRow(r.baseline, r.kind)} | ${formatRow(r.current, r.kind)} | ${formatChange(r)} | ${verdict(r)} |`),
      '',
      ...comparison.notes.map((n) => `> ℹ️ ${cell(n)}`),
      ...(comparison.notes.length ? [''] : []),
      '</details>',
      '',
    );
  }
  return out.join('\n');
}

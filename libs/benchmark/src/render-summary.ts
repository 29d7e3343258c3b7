import { humanizeValue } from './format';
import type { BenchmarkSummary, SummaryMetric } from './summary';
import { parseThresholdExpression, aggregateKey } from './thresholds/parse-expression';

const PASS = '✓';
const FAIL = '✗';

/** The value a threshold expression reads, from the summary's values, e.g. "p(95)=3.21ms". */
export function thresholdReading(metric: SummaryMetric, expression: string): string | undefined {
  let key: string;
  try {
    key = aggregateKey(parseThresholdExpression(expression));
  } catch {
    return undefined;
  }
  const value = metric.values[key];
  return value === undefined ? undefined : `${key}=${humanizeValue(value, metric, key)}`;
}

function metricValues(m: SummaryMetric): string {
  const v = m.values;
  switch (m.type) {
    case 'trend':
      return Object.entries(v)
        .map(([k, x]) => `${k}=${humanizeValue(x, m, k)}`)
        .join(' ');
    case 'counter':
      return `${humanizeValue(v.count, m, 'count').padEnd(8)} ${humanizeValue(v.rate, m, 'rate')}`;
    case 'rate':
      return `${humanizeValue(v.rate, m, 'rate').padEnd(8)} ${v.passes} out of ${(v.passes ?? 0) + (v.fails ?? 0)}`;
    case 'gauge':
      return `${humanizeValue(v.value, m).padEnd(8)} min=${humanizeValue(v.min, m)} max=${humanizeValue(v.max, m)}`;
  }
}

/**
 * The end-of-test summary, in k6's layout: thresholds with ✓/✗ and the value they read, the
 * checks, then every metric with its name dotted out to a column.
 */
export function renderSummary(summary: BenchmarkSummary): string {
  const lines: string[] = [''];
  const info = summary.ephenv;
  lines.push(`  execution: ${info.engine} engine`);
  lines.push(`     target: POST ${info.url.replace(/\/+$/, '')}/invocations`);
  lines.push(`   scenario: ${info.scenarioDescription}`);
  if (info.aborted) lines.push(`    aborted: ${info.aborted}`);
  lines.push('');

  const names = Object.keys(summary.metrics).sort();
  const withThresholds = names.filter((n) => summary.metrics[n].thresholds);
  if (withThresholds.length > 0) {
    lines.push('  █ THRESHOLDS', '');
    for (const name of withThresholds) {
      const m = summary.metrics[name];
      lines.push(`    ${name}`);
      for (const [expr, { ok }] of Object.entries(m.thresholds!)) {
        const reading = thresholdReading(m, expr);
        lines.push(`    ${ok ? PASS : FAIL} '${expr}'${reading ? ` ${reading}` : ''}`);
      }
      lines.push('');
    }
  }

  lines.push('  █ TOTAL RESULTS', '');
  const checks = summary.root_group?.checks ?? [];
  for (const c of checks) {
    const total = c.passes + c.fails;
    lines.push(c.fails === 0 ? `    ${PASS} ${c.name}` : `    ${FAIL} ${c.name}  ${Math.floor((100 * c.passes) / Math.max(1, total))}% — ${PASS} ${c.passes} / ${FAIL} ${c.fails}`);
  }
  if (checks.length > 0) lines.push('');

  const width = Math.max(...names.map((n) => n.length)) + 3;
  for (const name of names) {
    const m = summary.metrics[name];
    const mark = m.thresholds ? (Object.values(m.thresholds).every((t) => t.ok) ? PASS : FAIL) : ' ';
    lines.push(`  ${mark} ${name}${'.'.repeat(width - name.length)}: ${metricValues(m)}`);
  }
  lines.push('');
  const failed = info.thresholds.failed;
  lines.push(failed.length === 0 ? `  ${PASS} all thresholds passed` : `  ${FAIL} thresholds failed: ${failed.join('; ')}`);
  lines.push('');
  return lines.join('\n');
}

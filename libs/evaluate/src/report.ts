import { writeResult, writeSideFile, xmlEscape } from '@ephenv/core';
import type { EvaluateReport, MetricRow } from './types';

/** A metric value for people: up to 4 decimals, no trailing zeros. */
export const value = (v: number | undefined) => (v === undefined ? '—' : Number.isNaN(v) ? 'nan' : String(Number(v.toFixed(4))));
export const change = (v: number | undefined) => (v === undefined ? '—' : `${v > 0 ? '+' : ''}${value(v)}`);
const MARK = { pass: '✓', fail: '✗', none: ' ' } as const;

function columns(rows: string[][], indent = '  '): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => [...r[i]].length)));
  return rows.map((r) => indent + r.map((cell, i) => (i === r.length - 1 ? cell : cell + ' '.repeat(widths[i] - [...cell].length))).join('  ').trimEnd());
}

const short = (v: unknown, width = 70) => {
  const text = JSON.stringify(v);
  return text.length > width ? `${text.slice(0, width - 1)}…` : text;
};

export const thresholdText = (m: MetricRow) => m.checks.map((c) => c.rule).join(', ') || '—';

/** The terminal summary: metric table, changed predictions, the verdict. */
export function formatTable(report: EvaluateReport): string {
  const b = report.baseline;
  const against = b.kind === 'absent' ? `no ${report.project} on ${b.ref}: evaluated alone, thresholds only` : b.kind === 'url' ? `base ${b.url}` : `base ${b.ref}`;
  const out = [`evaluate ${report.project} (${against})`, ''];
  if (report.error) {
    out.push(`✗ error: ${report.error}`);
    return out.join('\n');
  }
  if (report.status === 'skipped') {
    out.push(`- skipped: ${report.reason}`);
    return out.join('\n');
  }
  out.push(...columns([['', 'METRIC', 'BASE', 'PR', 'CHANGE', 'THRESHOLD'], ...report.metrics.map((m) => [MARK[m.status], m.metric, value(m.base), value(m.pr), change(m.change), thresholdText(m)])]));
  const d = report.diff;
  if (d) {
    out.push('', `changed predictions: ${d.changed} of ${d.total} (${(d.share * 100).toFixed(1)}%)${d.fixed !== undefined ? `, ${d.fixed} fixed, ${d.broke} broke` : ''}`);
    if (d.transitions && d.transitions.length > 0) {
      out.push(...columns([['BASE → PR', 'COUNT', 'FIXED', 'BROKE'], ...d.transitions.map((t) => [`${t.from} → ${t.to}`, String(t.count), String(t.fixed), String(t.broke)])], '    '));
    }
    if (d.top.length > 0) {
      out.push('', '  largest changes:');
      out.push(...columns([['LINE', 'EXPECTED', 'BASE', 'PR', 'INPUT'], ...d.top.map((c) => [String(c.line), String(c.expected), String(typeof c.base === 'number' ? value(c.base) : c.base), String(typeof c.pr === 'number' ? value(c.pr) : c.pr), short(c.input)])], '    '));
    }
  }
  const failures = report.metrics.flatMap((m) => m.checks.filter((c) => !c.passed).map((c) => `${m.metric}: base ${value(m.base)}, PR ${value(m.pr)}, change ${change(m.change)}; ${c.message}`));
  out.push('', report.status === 'pass' ? `✓ passed: ${report.metrics.filter((m) => m.status === 'pass').length} thresholds held on ${report.data?.rows} examples in ${(report.durationMs / 1000).toFixed(2)} s` : `✗ failed: ${failures.length} threshold${failures.length === 1 ? '' : 's'} not met`);
  out.push(...failures.map((f) => `  ✗ ${f}`));
  return out.join('\n');
}

/** JUnit XML: one testcase per metric (failed when a threshold failed), or one error when the evaluation could not run. */
export function toJUnitXml(report: EvaluateReport): string {
  const time = (report.durationMs / 1000).toFixed(3);
  const cls = xmlEscape(`${report.project}.evaluate`);
  if (report.status === 'skipped') {
    return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${xmlEscape(`ephenv evaluate ${report.project}`)}" tests="1" failures="0" errors="0" skipped="1" time="0.000">\n  <testsuite name="evaluate" tests="1" failures="0" errors="0" skipped="1" time="0.000" timestamp="${xmlEscape(report.startedAt)}">\n    <testcase classname="${xmlEscape(`${report.project}.evaluate`)}" name="evaluation" time="0.000">\n      <skipped message="${xmlEscape(report.reason ?? '')}"/>\n    </testcase>\n  </testsuite>\n</testsuites>\n`;
  }
  const cases = report.error
    ? [`    <testcase classname="${cls}" name="evaluation" time="${time}">\n      <error message="${xmlEscape(report.error)}" type="evaluate">${xmlEscape(report.error)}</error>\n    </testcase>`]
    : report.metrics.map((m) => {
        const summary = `base ${value(m.base)}, PR ${value(m.pr)}, change ${change(m.change)}, threshold ${thresholdText(m)}`;
        const open = `    <testcase classname="${cls}" name="${xmlEscape(m.metric)}" time="0.000">`;
        const failed = m.checks.filter((c) => !c.passed);
        if (failed.length > 0) return `${open}\n      <failure message="${xmlEscape(failed[0].message!)}" type="threshold">${xmlEscape([summary, ...failed.map((c) => c.message!)].join('\n'))}</failure>\n    </testcase>`;
        return `${open}\n      <system-out>${xmlEscape(summary)}</system-out>\n    </testcase>`;
      });
  const tests = report.error ? 1 : report.metrics.length;
  const failures = report.metrics.filter((m) => m.status === 'fail').length;
  const errors = report.error ? 1 : 0;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xmlEscape(`ephenv evaluate ${report.project}`)}" tests="${tests}" failures="${failures}" errors="${errors}" skipped="0" time="${time}">`,
    `  <testsuite name="evaluate" tests="${tests}" failures="${failures}" errors="${errors}" skipped="0" time="${time}" timestamp="${xmlEscape(report.startedAt)}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

/** Writes `dist/ephenv/<project>/evaluate.json` and `evaluate.junit.xml`. */
export function writeResults(workspaceRoot: string, report: EvaluateReport): { json: string; junit: string } {
  const json = writeResult(workspaceRoot, report.project, 'evaluate', report);
  const junit = writeSideFile(workspaceRoot, report.project, 'evaluateJunit', toJUnitXml(report));
  return { json, junit };
}

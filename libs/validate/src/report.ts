import { writeResult, writeSideFile, xmlEscape } from '@ephenv/core';
import { PARTS, type CheckResult, type CheckStatus, type CompatFinding, type ValidateReport } from './types';
import { showPointer } from './lib/json-pointer';

const MARK: Record<CheckStatus, string> = { pass: '✓', fail: '✗', warn: '!', skip: '-' };
const SEVERITY_MARK: Record<CompatFinding['severity'], string> = { breaking: '✗', warning: '!', info: ' ' };

function clip(text: string, width: number): string {
  const line = text.replace(/\s+/g, ' ');
  return line.length > width ? `${line.slice(0, width - 1)}…` : line;
}

/** Rows as plain aligned columns; the last column is not padded. */
function columns(rows: string[][], indent = '  '): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => [...r[i]].length)));
  return rows.map((r) => indent + r.map((cell, i) => (i === r.length - 1 ? cell : cell + ' '.repeat(widths[i] - [...cell].length))).join('  ').trimEnd());
}

const ms = (d: number) => (d >= 1000 ? `${(d / 1000).toFixed(2)} s` : `${d.toFixed(d < 10 ? 1 : 0)} ms`);

/** The terminal summary: one line per check, then the details of what failed, then the compatibility findings. */
export function formatTable(report: ValidateReport): string {
  const out: string[] = [`validate ${report.project} (base ${report.compat.base})`, ''];
  out.push(...columns([['', 'PART', 'CHECK', 'TIME', 'RESULT'], ...report.checks.map((c) => [MARK[c.status], c.part, clip(c.name, 60), ms(c.durationMs), clip(c.message, 110)])]));

  const explained = report.checks.filter((c) => (c.status === 'fail' || c.status === 'warn') && c.details && c.details.length > 0);
  for (const c of explained) {
    out.push('', `${MARK[c.status]} ${c.part} / ${c.name}:`);
    out.push(...c.details!.map((d) => `    ${d}`));
  }

  const findings = report.compat.findings;
  if (findings.length > 0) {
    out.push('', `compatibility with ${report.compat.base} (${findings.length} finding${findings.length === 1 ? '' : 's'}):`);
    out.push(
      ...columns([
        ['', 'SEVERITY', 'SIDE', 'POINTER', 'RULE', 'CHANGE'],
        ...findings.map((f) => [SEVERITY_MARK[f.severity], f.severity, f.direction, clip(showPointer(f.pointer), 50), f.rule, clip(`${f.old ?? 'none'} -> ${f.new ?? 'none'}`, 70)]),
      ]),
    );
  }

  const count = (s: CheckStatus) => report.checks.filter((c) => c.status === s).length;
  out.push('', `${report.status === 'pass' ? '✓ passed' : '✗ failed'}: ${count('pass')} passed, ${count('fail')} failed, ${count('warn')} warnings, ${count('skip')} skipped in ${ms(report.durationMs)}`);
  if (report.live.reason) out.push(`  live checks: ${report.live.reason}`);
  return out.join('\n');
}

const seconds = (d: number) => (d / 1000).toFixed(3);

function testcase(project: string, c: CheckResult): string {
  const open = `    <testcase classname="${xmlEscape(`${project}.${c.part}`)}" name="${xmlEscape(c.name)}" time="${seconds(c.durationMs)}"`;
  const details = c.details ?? [];
  const body = (details[0] === c.message ? details : [c.message, ...details]).join('\n');
  if (c.status === 'fail') return `${open}>\n      <failure message="${xmlEscape(c.message)}" type="${xmlEscape(c.part)}">${xmlEscape(body)}</failure>\n    </testcase>`;
  if (c.status === 'skip') return `${open}>\n      <skipped message="${xmlEscape(c.message)}"/>\n    </testcase>`;
  return `${open}>\n      <system-out>${xmlEscape(body)}</system-out>\n    </testcase>`;
}

/** JUnit XML for CI test reporting: one testsuite per part (static, compatibility, live). */
export function toJUnitXml(report: ValidateReport): string {
  const suites = PARTS.map((part) => {
    const cases = report.checks.filter((c) => c.part === part);
    const failures = cases.filter((c) => c.status === 'fail').length;
    const skipped = cases.filter((c) => c.status === 'skip').length;
    const time = seconds(cases.reduce((t, c) => t + c.durationMs, 0));
    const head = `  <testsuite name="${part}" tests="${cases.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${time}" timestamp="${xmlEscape(report.startedAt)}">`;
    return [head, ...cases.map((c) => testcase(report.project, c)), '  </testsuite>'].join('\n');
  });
  const failures = report.checks.filter((c) => c.status === 'fail').length;
  const skipped = report.checks.filter((c) => c.status === 'skip').length;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xmlEscape(`ephenv validate ${report.project}`)}" tests="${report.checks.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${seconds(report.durationMs)}">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}

export interface WrittenResults {
  json: string;
  junit: string;
}

/** Writes `dist/ephenv/<project>/validate.json` and `validate.junit.xml`. */
export function writeResults(workspaceRoot: string, report: ValidateReport): WrittenResults {
  const json = writeResult(workspaceRoot, report.project, 'validate', report);
  const junit = writeSideFile(workspaceRoot, report.project, 'validateJunit', toJUnitXml(report));
  return { json, junit };
}

import { isAbsolute, relative } from 'node:path';
import { isPullRequest, type DeploymentSummary, type PreviewOutput } from '@ephenv/core';
import { renderMarkdown } from '@ephenv/benchmark';
import type { CheckStatus, ValidateReport } from '@ephenv/validate';
import { change as signedValue, thresholdText, value as metricValue, type EvaluateReport } from '@ephenv/evaluate';
import type { ModelAssessment, Verdict } from './assess-model';
import { formatUsd, PRICES } from './estimate-cost';
import { cell, code, details, html, ms, plural, relativeTime, table, utc } from './markdown';

export const VERDICT_ICON: Record<Verdict, string> = { pass: '✅', warn: '⚠️', fail: '❌' };
const CHECK_ICON: Record<CheckStatus, string> = { pass: '✅', fail: '❌', warn: '⚠️', skip: '⏭️' };
/** Failure details shown per check; the full list is in validate.json and the JUnit report. */
const MAX_DETAIL_LINES = 10;

export interface RenderContext {
  workspaceRoot: string;
  now: Date;
}

/** The CloudWatch console page of a log group (the console double-encodes the name, with `$` for `%`). */
export function cloudWatchLogGroupUrl(region: string, logGroup: string): string {
  const encoded = encodeURIComponent(encodeURIComponent(logGroup)).replace(/%/g, '$');
  return `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#logsV2:log-groups/log-group/${encoded}`;
}

/** A URL anyone can open is a link; one only the deploying machine reaches is code. */
const previewUrl = (preview: PreviewOutput) => (preview.access.public ? `<${preview.url}>` : code(preview.url));

/** URL, how to get the token (never the token), expiry. */
export function previewLines(a: ModelAssessment, ctx: RenderContext): string[] {
  const { preview, steps } = a.results;
  if (!preview) {
    return [steps.destroy === 'ok' ? '**Preview**: destroyed at the end of the run.' : '**Preview**: none recorded.', ''];
  }
  const facts = [preview.provider, preview.endpointType, isPullRequest(preview.pr) ? `PR #${preview.pr}` : 'no PR', preview.gitSha ? `commit ${code(preview.gitSha.slice(0, 7))}` : undefined];
  const started = Date.parse(preview.startedAt);
  if (!Number.isNaN(started)) facts.push(`started ${utc(new Date(started))}`);
  const lines = [`**Preview**: ${previewUrl(preview)} (${facts.filter(Boolean).join(', ')})`, ''];
  const deployed = preview.deployment ? deploymentSummary(preview.deployment) : undefined;
  if (deployed) lines.push(`**Deploy**: ${deployed}.`, '');

  const token = preview.access.token;
  lines.push(
    `**Token**: in the ${token.kind} ${code(token.name)}${token.note ? ` (${token.note})` : ''}; read it with ${code(token.command)}. ` +
      `Try it: ${code(`curl -H "Authorization: Bearer $(${token.command})" ${preview.url}/ping`)}`,
    '',
  );
  if (a.expiresAt) {
    const ttl = a.ttlHours !== undefined ? `TTL ${a.ttlHours} h: ` : '';
    const when = a.expiresAt.getTime() > ctx.now.getTime() ? `expires ${utc(a.expiresAt)} (${relativeTime(a.expiresAt, ctx.now)})` : `expired ${utc(a.expiresAt)} (${relativeTime(a.expiresAt, ctx.now)})`;
    const how = preview.access.reaped ? 'the reaper destroys it then' : `stop it sooner with ${code(preview.access.destroyCommand)}`;
    lines.push(`**Lifetime**: ${ttl}${when}; ${how}.`, '');
  }
  return lines;
}

/**
 * How long the deploy took, in the words a reviewer waits on: "endpoint created in 6m12s",
 * "updated in 41 s (image and endpoint reused)", "updated in 2.1 s (model server kept)".
 */
export function deploymentSummary(d: DeploymentSummary): string | undefined {
  if (typeof d.totalMs !== 'number' || !Number.isFinite(d.totalMs)) return undefined;
  const took = duration(d.totalMs);
  if (d.endpoint === 'created') return `endpoint created in ${took}`;
  const imageReused = d.image === 'exists' || d.image === 'given';
  if (d.endpoint === 'updated') return `endpoint updated in ${took} (image ${imageReused ? 'reused' : 'built'})`;
  if (d.endpoint === 'reused') return `updated in ${took} (${imageReused ? 'image and endpoint reused' : 'endpoint reused, image built'})`;
  if (d.modelServer === 'kept') return `updated in ${took} (model server kept)`;
  if (d.modelServer === 'started') return `started in ${took}`;
  return `deployed in ${took}`;
}

/** "41 s" under a minute, "6m12s" above. */
export function duration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${seconds} s`;
  return `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
}

/** "static 7/7 · compatibility 2/2 · live 6/7" (passed or warned out of those that ran). */
export function validationCounts(report: ValidateReport): string {
  return report.parts
    .map((part) => {
      const checks = report.checks.filter((c) => c.part === part);
      const ran = checks.filter((c) => c.status !== 'skip');
      const ok = ran.filter((c) => c.status !== 'fail').length;
      return ran.length === 0 ? `${part} skipped` : `${part} ${ok}/${ran.length}`;
    })
    .join(' · ');
}

function validationLines(a: ModelAssessment): string[] {
  const report = a.results.validate;
  if (!report) return ['**Validation**: no validate.json.', ''];
  const lines = [`**Validation** (vs ${code(report.compat?.base ?? 'base')}): ${report.status === 'pass' ? '✅' : '❌'} ${validationCounts(report)}`, ''];
  // Failed checks are listed under "What failed"; this shows what passed with a caveat or did not run.
  const notable = report.checks.filter((c) => c.status === 'warn' || c.status === 'skip');
  if (notable.length > 0) lines.push(...table(['', 'part', 'check', 'result'], notable.map((c) => [CHECK_ICON[c.status], c.part, cell(c.name), cell(c.message)])), '');
  if (report.live && !report.live.ran && report.live.reason) lines.push(`> Live checks did not run: ${cell(report.live.reason)}`, '');
  return lines;
}

/** Breaking changes: where a client's request or reading of the answer breaks, and why. */
function breakingLines(a: ModelAssessment): string[] {
  if (a.breaking.length === 0) return [];
  const report = a.results.validate!;
  const allowed = report.compat.allowBreaking ? ' (allowed by --allowBreaking)' : '';
  return [
    `#### Breaking schema changes vs ${code(report.compat.base)}${allowed}`,
    '',
    ...table(
      ['side', 'pointer', 'rule', 'change', 'reason'],
      a.breaking.map((f) => [f.direction, code(f.pointer === '' ? '/' : f.pointer), code(f.rule), cell(`${f.old ?? 'none'} → ${f.new ?? 'none'}`), cell(f.reason)]),
    ),
    '',
  ];
}

/** Each failed check with its details (files, pointers), beyond the compatibility findings shown above. */
function failedCheckLines(a: ModelAssessment): string[] {
  const failed = (a.results.validate?.checks ?? []).filter((c) => c.status === 'fail' && c.part !== 'compatibility' && (c.details?.length ?? 0) > 0);
  return failed.flatMap((c) => {
    const shown = c.details!.slice(0, MAX_DETAIL_LINES);
    const more = c.details!.length - shown.length;
    return [`**❌ ${c.part} / ${cell(c.name)}**`, '', '```text', ...shown, ...(more > 0 ? [`… ${more} more in validate.json`] : []), '```', ''];
  });
}

const METRIC_ICON = { pass: '✅', fail: '❌', none: '' } as const;
/** Beyond this many changed examples or transitions, the lists are collapsed. */
const MAX_OPEN_ROWS = 5;

/** The evaluation: metric table (base, PR, change, threshold), changed predictions, their transitions. */
export function evaluationLines(report: EvaluateReport | undefined): string[] {
  if (!report) return [];
  const b = report.baseline;
  const against = b.kind === 'absent' ? `new model: no ${code(report.project)} on ${code(b.ref)}, thresholds only` : b.kind === 'url' ? `vs ${code(b.url ?? '')}` : `vs ${code(b.ref)}`;
  if (report.status === 'skipped') return [`**Evaluation**: skipped: ${cell(report.reason ?? '')}`, ''];
  if (report.status === 'error') return [`**Evaluation** (${against}): ❌ could not run: ${cell(report.error ?? '')}`, ''];
  const d = report.diff;
  const changed = d ? `; ${plural(d.changed, 'prediction')} of ${d.total} changed (${(d.share * 100).toFixed(1)}%)${d.fixed !== undefined ? `, ${d.fixed} fixed, ${d.broke} broke` : ''}` : '';
  const lines = [
    `**Evaluation** (${against}, ${plural(report.data?.rows ?? 0, 'example')}): ${report.status === 'pass' ? '✅' : '❌'}${changed}`,
    '',
    ...table(['', 'metric', 'base', 'PR', 'change', 'threshold'], report.metrics.map((m) => [METRIC_ICON[m.status], m.metric, metricValue(m.base), metricValue(m.pr), signedValue(m.change), cell(thresholdText(m))])),
    '',
  ];
  const extra: string[] = [];
  if (d?.transitions && d.transitions.length > 0) {
    extra.push(...table(['base → PR', 'count', 'fixed', 'broke'], d.transitions.map((t) => [cell(`${t.from} → ${t.to}`), String(t.count), String(t.fixed), String(t.broke)])), '');
  }
  if (d && d.top.length > 0) {
    const shown = (v: unknown) => (typeof v === 'number' ? metricValue(v) : String(v));
    extra.push(...table(['line', 'input', 'expected', 'base', 'PR'], d.top.map((c) => [String(c.line), code(JSON.stringify(c.input).slice(0, 120)), cell(String(c.expected)), cell(shown(c.base)), cell(shown(c.pr))])), '');
  }
  if (extra.length === 0) return lines;
  const long = (d?.top.length ?? 0) > MAX_OPEN_ROWS || (d?.transitions?.length ?? 0) > MAX_OPEN_ROWS;
  return long ? [...lines, ...details(`Changed predictions (${d!.changed})`, extra)] : [...lines, ...extra];
}

function benchmarkLines(a: ModelAssessment): string[] {
  const summary = a.results.benchmark;
  if (!summary) return ['**Benchmark**: no benchmark.json.', ''];
  // One level below the model's own heading.
  return [renderMarkdown(summary, summary.ephenv.baseline, { headingLevel: 4 }).trimEnd(), ''];
}

function costSummary(a: ModelAssessment): string {
  const cost = a.cost;
  if (!cost) return 'no preview';
  if (cost.free) return '$0 (local)';
  const approx = cost.complete ? '' : ' (incomplete)';
  return cost.perHour > 0 ? `${formatUsd(cost.perHour)}/h · ${formatUsd(cost.soFar)} so far${approx}` : `${formatUsd(cost.soFar)} so far${approx}`;
}

function costLines(a: ModelAssessment): string[] {
  const cost = a.cost;
  if (!cost) return [];
  const source = `Approximate on-demand list prices, ${PRICES.region}, as of ${PRICES.asOf} (${PRICES.sagemaker.source}, ${PRICES.lambda.source}, ${PRICES.apiGateway.source}).`;
  if (cost.free) return [`**Cost**: $0: ${cost.notes.join(' ')}`, ''];
  const body = [
    ...table(
      ['item', 'per hour', 'per 1,000 requests', 'so far', 'basis'],
      cost.lines.map((l) => [l.item, formatUsd(l.perHour), formatUsd(l.perThousandRequests), formatUsd(l.soFar), cell(l.basis)]),
      ['---', '---:', '---:', '---:', '---'],
    ),
    `| **total** | **${formatUsd(cost.perHour)}** | **${formatUsd(cost.perThousandRequests)}** | **${formatUsd(cost.soFar)}** | |`,
    '',
    ...cost.notes.map((n) => `> ${cell(n)}`),
    ...(cost.notes.length > 0 ? [''] : []),
    `<sub>${source}</sub>`,
  ];
  return details(`Estimated cost: ${html(costSummary(a))}`, body);
}

function logLines(a: ModelAssessment, ctx: RenderContext): string[] {
  const { preview } = a.results;
  if (!preview) return [];
  const logs = preview.access.logs;
  const groups = Object.entries(logs.cloudWatch?.groups ?? {});
  if (logs.cloudWatch && groups.length > 0) {
    const region = logs.cloudWatch.region;
    return [`**Logs** (CloudWatch, ${region}): ${groups.map(([role, group]) => `[${role}](${cloudWatchLogGroupUrl(region, group)})`).join(' · ')}`, ''];
  }
  if (!logs.files) return [`**Logs**: ${code(logs.command)}`, ''];
  const files = Object.entries(logs.files).map(([role, file]) => {
    const shown = isAbsolute(file) && !relative(ctx.workspaceRoot, file).startsWith('..') ? relative(ctx.workspaceRoot, file) : file;
    return `${role} ${code(shown)}`;
  });
  return [`**Logs** (on the machine that deployed it): ${[...files, code(logs.command)].join(' · ')}`, ''];
}

/** The cells of the model's row in the summary table. */
export function summaryRow(a: ModelAssessment, ctx: RenderContext): string[] {
  const { preview, validate, benchmark, steps, project } = a.results;
  const previewCell = preview ? previewUrl(preview) : steps.deploy === 'failed' ? '❌ deploy failed' : steps.destroy === 'ok' ? 'destroyed' : '—';
  const validateCell = validate
    ? `${validate.status === 'pass' ? '✅' : '❌'} ${plural(validate.checks.filter((c) => c.status === 'pass').length, 'check')} passed${validate.status === 'fail' ? `, ${validate.checks.filter((c) => c.status === 'fail').length} failed` : ''}`
    : steps.validate === 'failed'
      ? '❌ failed'
      : '—';
  let benchmarkCell = steps.benchmark === 'failed' ? '❌ failed' : '—';
  if (benchmark) {
    const all = Object.values(benchmark.metrics).flatMap((m) => Object.values(m.thresholds ?? {}));
    const met = all.filter((t) => t.ok).length;
    const p95 = benchmark.metrics.http_req_duration?.values['p(95)'];
    const regression = benchmark.ephenv.baseline?.regressed ? ' · 🔺 vs baseline' : '';
    benchmarkCell = `${met === all.length && !benchmark.ephenv.aborted ? '✅' : '❌'} ${met}/${all.length} thresholds met${p95 !== undefined ? ` · p95 ${ms(p95)}` : ''}${regression}`;
  }
  const expires = a.expiresAt ? (a.expiresAt.getTime() > ctx.now.getTime() ? relativeTime(a.expiresAt, ctx.now) : `expired ${relativeTime(a.expiresAt, ctx.now)}`) : '—';
  return [VERDICT_ICON[a.verdict], `**${cell(project)}**`, previewCell, validateCell, benchmarkCell, cell(costSummary(a)), expires];
}

/**
 * One model's part of the comment. Green: everything collapsed. Warnings: listed, the rest
 * collapsed. Failed: what failed first, then breaking changes, failed checks and the benchmark
 * expanded; cost and logs stay collapsed.
 */
export function renderModelSection(a: ModelAssessment, ctx: RenderContext): string[] {
  const { project } = a.results;
  const everything = [...previewLines(a, ctx), ...validationLines(a), ...evaluationLines(a.results.evaluate), ...benchmarkLines(a), ...costLines(a), ...logLines(a, ctx)];
  if (a.verdict === 'pass') return details(`${VERDICT_ICON.pass} <b>${html(project)}</b>: preview, checks, benchmark, cost, logs`, everything);

  const out = [`### ${VERDICT_ICON[a.verdict]} ${project}`, ''];
  if (a.failures.length > 0) out.push(`**What failed** (${a.failures.length}):`, '', ...a.failures.map((f) => `- ❌ ${f}`), '');
  if (a.warnings.length > 0) out.push(`**Worth a look**:`, '', ...a.warnings.map((w) => `- ⚠️ ${w}`), '');
  if (a.verdict === 'warn') return [...out, ...details(`Details of ${html(project)}: preview, checks, benchmark, cost, logs`, everything)];

  out.push(...previewLines(a, ctx), ...validationLines(a), ...breakingLines(a), ...failedCheckLines(a), ...evaluationLines(a.results.evaluate), ...benchmarkLines(a), ...costLines(a), ...logLines(a, ctx));
  return out;
}

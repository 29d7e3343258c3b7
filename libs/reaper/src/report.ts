import type { PreviewOutcome, ReapReport } from './reap';
import { describeResource, KINDS } from './resource-kinds';

export const REAP_TABLE_HEADER = ['PROJECT', 'PR', 'ENDPOINT', 'EXPIRES AT', 'ACTION', 'RESULT'];

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function resultText(p: PreviewOutcome): string {
  const count = (result: string) => p.resources.filter((r) => r.result === result).length;
  switch (p.result) {
    case 'kept':
      return 'kept';
    case 'would delete':
      return `would delete ${plural(p.resources.length, 'resource')}`;
    case 'deleted':
      return p.action === 'terraform destroy' ? 'deleted' : `deleted ${plural(count('deleted') + count('already gone'), 'resource')}`;
    case 'failed':
      return `FAILED: ${count('failed') + p.errors.length} problem(s), see below`;
  }
}

/** One row per ephemeral preview: project, PR, endpoint, when it expires (ExpiresAt, or earlier by the policy's maximum age), action (and why), result. */
export function reapTableRows(report: ReapReport): string[][] {
  return report.previews.map((p) => [p.project, p.pr, p.endpoints.join(', '), p.deadline ?? p.expiresAt ?? '-', `${p.action} (${p.reason})`, resultText(p)]);
}

/** What each reaped preview involved: what would go (dry run), what was left alone, and what failed with how to remove it by hand. */
export function reapDetails(report: ReapReport, region: string): string[] {
  const lines: string[] = [];
  for (const p of report.previews.filter((p) => p.result !== 'kept')) {
    lines.push('', `${p.project} PR ${p.pr}:`);
    if (p.state) lines.push(p.state.usable ? `  Terraform state: ${p.state.location}` : `  no terraform destroy: ${p.state.why}`);
    if (p.terraformError) lines.push(`  terraform destroy failed, so the AWS SDK deleted what was left: ${firstLine(p.terraformError)}`);
    for (const { resource, result, detail } of p.resources) {
      if (result === 'left alone') lines.push(`  left alone: ${describeResource(resource)} (${detail})`);
      else if (result !== 'failed') lines.push(`  ${result}: ${describeResource(resource)}`);
    }
    for (const { resource, why } of p.ignored) lines.push(`  left alone: ${describeResource(resource)} (${why})`);
    for (const note of p.notes) lines.push(`  note: ${note}`);
    for (const { resource, result, detail } of p.resources) {
      if (result !== 'failed') continue;
      lines.push(`  LEFT BEHIND: ${describeResource(resource)}: ${detail}`);
      lines.push(`    remove it by hand: ${KINDS[resource.kind].manual(resource, region)}`);
    }
    for (const error of p.errors) lines.push(`  PROBLEM: ${error}`);
    if (p.errors.length > 0) {
      lines.push(
        `  what is left of it: aws resourcegroupstaggingapi get-resources --region ${region} --tag-filters Key=Project,Values=${p.project} Key=PR_Number,Values=${p.pr}` +
          ` (IAM roles: aws iam list-roles --path-prefix /ephenv/)`,
      );
    }
  }
  if (report.skipped.length > 0) {
    lines.push('', 'WARNING: endpoints tagged Environment=Ephemeral and ManagedBy=ephenv that do not identify a preview of this checkout (not touched; check them by hand):');
    for (const { endpoint, why } of report.skipped) lines.push(`  ${endpoint.endpointName}: ${why}`);
  }
  return lines;
}

export const reapFailed = (report: ReapReport) => report.previews.some((p) => p.result === 'failed');

export function reapSummary(report: ReapReport): string {
  const total = report.previews.length;
  const reaped = report.previews.filter((p) => p.result !== 'kept');
  const failed = reaped.filter((p) => p.result === 'failed');
  if (total === 0) return 'no ephemeral previews found (no SageMaker endpoint tagged Environment=Ephemeral and ManagedBy=ephenv)';
  if (report.dryRun) {
    return `dry run: ${reaped.length} of ${plural(total, 'ephemeral preview')} would be reaped (${plural(reaped.reduce((n, p) => n + p.resources.length, 0), 'resource')}); nothing was changed`;
  }
  const head = `reaped ${reaped.length - failed.length} of ${plural(total, 'ephemeral preview')}, kept ${total - reaped.length}`;
  return failed.length === 0
    ? head
    : `${head}; FAILED for ${failed.map((p) => `${p.project} PR ${p.pr}`).join(', ')}: what is left and how to remove it is listed above (or rerun ephenv reap)`;
}

const firstLine = (text: string) => text.split('\n')[0];

import { parseArgs } from 'node:util';
import { awsSettings } from '@ephenv/preview';
import { reap, REAP_TABLE_HEADER, reapDetails, reapFailed, reapSummary, reapTableRows } from '@ephenv/reaper';
import { isPullRequest, normalizePr } from '@ephenv/core';
import { retirePreviewDeployments } from '@ephenv/pipeline';
import { githubContextFromEnv } from '@ephenv/report';
import { table } from '../table';
import { processIo, type CommandIo } from './report';
import { REAP_USAGE } from '../usage';

function parseClosedPrs(values: string[]): string[] {
  return values
    .flatMap((value) => value.split(','))
    .map((pr) => pr.trim())
    .filter(Boolean)
    .map((pr) => {
      const normalized = normalizePr(pr);
      if (!isPullRequest(normalized)) throw new Error('--closed-prs takes pull request numbers, e.g. --closed-prs 12,14');
      return normalized;
    });
}

function parseNow(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const now = new Date(value);
  if (Number.isNaN(now.getTime())) throw new Error(`--now must be an ISO 8601 date such as 2025-01-31T12:00:00Z; got "${value}"`);
  return now;
}

/**
 * `ephenv reap`: removes the aws previews whose ExpiresAt has passed, that are older than the
 * preview policy's maxTtlHours (by AWS's CreationTime), or whose PR is closed — only resources
 * tagged Environment=Ephemeral and ManagedBy=ephenv, of previews of this checkout's models. 0 when everything chosen is
 * gone (or nothing was due), 1 when a deletion failed, 2 on usage errors.
 */
export async function reapCommand(
  workspaceRoot: string,
  args: string[],
  io: CommandIo = processIo,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  let dryRun: boolean;
  let closedPrs: string[];
  let now: Date | undefined;
  try {
    const { values } = parseArgs({
      args,
      allowPositionals: false,
      options: { 'dry-run': { type: 'boolean', default: false }, 'closed-prs': { type: 'string', multiple: true, default: [] }, now: { type: 'string' } },
    });
    dryRun = values['dry-run'];
    closedPrs = parseClosedPrs(values['closed-prs']);
    now = parseNow(values.now);
  } catch (e) {
    io.err(`ephenv reap: ${(e as Error).message}\nusage: ${REAP_USAGE}\n`);
    return 2;
  }

  const settings = awsSettings(workspaceRoot, undefined, env);
  const report = await reap({ workspaceRoot, settings, now, closedPrs, dryRun, progress: (line) => io.err(`ephenv reap: ${line}\n`) });
  const lines: string[] = [];
  if (report.previews.length > 0) lines.push(table(REAP_TABLE_HEADER, reapTableRows(report)));
  lines.push(...reapDetails(report, settings.region), '', reapSummary(report));
  io.out(`${lines.join('\n').replace(/^\n/, '')}\n`);
  if (!dryRun) {
    const reaped = report.previews.filter((p) => p.result === 'deleted');
    if (reaped.length > 0) await retirePreviewDeployments(githubContextFromEnv(env), reaped, (line) => io.err(`ephenv reap: ${line}\n`));
  }
  return reapFailed(report) ? 1 : 0;
}

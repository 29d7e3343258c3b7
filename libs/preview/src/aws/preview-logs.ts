import { CloudWatchLogsClient, FilterLogEventsCommand, type FilteredLogEvent } from '@aws-sdk/client-cloudwatch-logs';
import { normalizePr, previewName, type PreviewRecord } from '@ephenv/core';
import { clientConfig } from './clients';
import type { AwsSettings } from './settings';

/** The log groups of a preview, by role, as the preview-stack names them (output log_group_names). */
export function previewLogGroups(project: string, pr: string): Record<string, string> {
  const name = previewName(project, normalizePr(pr));
  return { gateway: `/aws/lambda/${name}-gateway`, access: `/aws/apigateway/${name}/access`, endpoint: `/aws/sagemaker/Endpoints/${name}` };
}

export interface CloudWatchLogsRequest {
  settings: Pick<AwsSettings, 'region' | 'endpoint'>;
  groups: Record<string, string>;
  /** The last N events of each group. */
  lines: number;
  /** Only events after this time (default: the last 24 hours). */
  since?: Date;
  logs?: CloudWatchLogsClient;
}

/** The last `lines` events of each log group (FilterLogEvents), newest last, as one text per group. */
export async function cloudWatchLogs(request: CloudWatchLogsRequest): Promise<string> {
  const logs = request.logs ?? new CloudWatchLogsClient(clientConfig(request.settings));
  const since = (request.since ?? new Date(Date.now() - 24 * 3600_000)).getTime();
  const sections = await Promise.all(
    Object.entries(request.groups).map(async ([role, group]) => {
      let events: FilteredLogEvent[];
      try {
        events = await lastEvents(logs, group, since, request.lines);
      } catch (e) {
        const missing = (e as Error).name === 'ResourceNotFoundException';
        return `--- ${role}: ${group} ---\n${missing ? '(no such log group: is the preview deployed?)' : `(cannot read it: ${(e as Error).name}: ${(e as Error).message})`}`;
      }
      const body = events.length === 0 ? '(no events)' : events.map((e) => `${new Date(e.timestamp ?? 0).toISOString()} ${(e.message ?? '').trimEnd()}`).join('\n');
      return `--- ${role}: ${group} ---\n${body}`;
    }),
  );
  return sections.join('\n\n');
}

/** FilterLogEvents pages oldest first: keep the newest `lines` across the pages. */
async function lastEvents(logs: CloudWatchLogsClient, group: string, since: number, lines: number): Promise<FilteredLogEvent[]> {
  let kept: FilteredLogEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await logs.send(new FilterLogEventsCommand({ logGroupName: group, startTime: since, nextToken }));
    kept = kept
      .concat(page.events ?? [])
      .sort((a, b) => (a.timestamp ?? 0) - (b.timestamp ?? 0))
      .slice(-lines);
    nextToken = page.nextToken;
  } while (nextToken);
  return kept;
}

/** The log groups an aws preview record names, else the ones its name implies. */
export function recordLogGroups(record: PreviewRecord): Record<string, string> {
  const named = record.aws?.log_group_names;
  if (named && typeof named === 'object') return named as Record<string, string>;
  return previewLogGroups(record.project, record.pr);
}

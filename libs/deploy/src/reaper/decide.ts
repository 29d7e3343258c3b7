import type { EndpointCandidate } from './find-candidates';
import type { PreviewId } from './preview-tags';

export interface DecideOptions {
  now: Date;
  /** PR numbers whose previews go whatever their ExpiresAt says. */
  closedPrs: ReadonlySet<string>;
}

/** What the reaper does with one preview, and why. */
export interface PreviewDecision extends PreviewId {
  endpoints: EndpointCandidate[];
  /** The ExpiresAt tag as found (the earliest when several endpoints disagree). */
  expiresAt?: string;
  reap: boolean;
  reason: string;
}

export interface Decisions {
  previews: PreviewDecision[];
  /** Marked endpoints without Project or PR_Number tags: the reaper cannot tell which preview they belong to. */
  unidentified: EndpointCandidate[];
}

function parseTime(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : time;
}

function describeDelay(ms: number): string {
  const minutes = Math.round(Math.abs(ms) / 60_000);
  if (minutes < 1) return 'less than a minute';
  if (minutes < 120) return `${minutes} min`;
  const hours = Math.round(minutes / 60);
  return hours < 48 ? `${hours} h` : `${Math.round(hours / 24)} d`;
}

/**
 * Groups the candidates by preview (Project + PR_Number) and decides: reap when the PR is closed
 * or ExpiresAt has passed. A missing or unreadable ExpiresAt never counts as expired.
 */
export function decide(candidates: EndpointCandidate[], options: DecideOptions): Decisions {
  const groups = new Map<string, PreviewDecision>();
  const unidentified: EndpointCandidate[] = [];
  for (const candidate of candidates) {
    const { Project: project, PR_Number: pr } = candidate.tags;
    if (!project || !pr) {
      unidentified.push(candidate);
      continue;
    }
    const key = `${project}\0${pr}`;
    const group = groups.get(key) ?? { project, pr, endpoints: [], reap: false, reason: '' };
    group.endpoints.push(candidate);
    groups.set(key, group);
  }

  const now = options.now.getTime();
  for (const group of groups.values()) {
    const expiries = group.endpoints.map((e) => e.tags.ExpiresAt).filter((v): v is string => parseTime(v) !== undefined);
    const earliest = expiries.sort((a, b) => parseTime(a)! - parseTime(b)!)[0];
    const unreadable = group.endpoints.map((e) => e.tags.ExpiresAt).find((v) => parseTime(v) === undefined);
    group.expiresAt = earliest ?? unreadable;

    if (options.closedPrs.has(group.pr)) {
      group.reap = true;
      group.reason = 'PR closed';
    } else if (earliest !== undefined && parseTime(earliest)! <= now) {
      group.reap = true;
      group.reason = `expired ${describeDelay(now - parseTime(earliest)!)} ago`;
    } else if (earliest !== undefined) {
      group.reason = `expires in ${describeDelay(parseTime(earliest)! - now)}`;
    } else {
      group.reason = unreadable === undefined ? 'no ExpiresAt tag' : `ExpiresAt "${unreadable}" is not a date`;
    }
  }

  const previews = [...groups.values()].sort((a, b) => a.project.localeCompare(b.project) || Number(a.pr) - Number(b.pr) || a.pr.localeCompare(b.pr));
  return { previews, unidentified };
}

import { modelNameProblem } from '@ephenv/core';
import type { EndpointCandidate } from './find-candidates';
import type { PreviewId } from './preview-tags';

export interface DecideOptions {
  now: Date;
  /** PR numbers whose previews go whatever their ExpiresAt says. */
  closedPrs: ReadonlySet<string>;
  /** The preview policy's maxTtlHours: no preview outlives its endpoint's CreationTime by more, whatever its ExpiresAt says. */
  maxTtlHours: number;
  /** Whether a Project tag names a model of this checkout (a folder with its ephenv.json). */
  isModel: (project: string) => boolean;
}

/** What the reaper does with one preview, and why. */
export interface PreviewDecision extends PreviewId {
  endpoints: EndpointCandidate[];
  /** The ExpiresAt tag as found (the earliest when several endpoints disagree). */
  expiresAt?: string;
  /** When it goes: the earlier of ExpiresAt and the oldest endpoint's CreationTime + maxTtlHours. */
  deadline?: string;
  reap: boolean;
  reason: string;
}

/** A marked endpoint the reaper will not act on, and why. */
export interface SkippedEndpoint {
  endpoint: EndpointCandidate;
  why: string;
}

export interface Decisions {
  previews: PreviewDecision[];
  /** Marked endpoints whose tags or name do not identify a preview of this checkout: reported, never touched. */
  skipped: SkippedEndpoint[];
}

const PR_NUMBER = /^[1-9][0-9]{0,5}$/;

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
 * Why a marked endpoint does not identify a preview the reaper may act on, or undefined when it
 * does: a Project that is a model of this checkout, a PR_Number that is a pull request number, and
 * a name that follows the preview naming `<Project>-pr-<PR_Number>[-…]`. Tags are written by the
 * pull request's own Terraform run, so they alone are not enough.
 */
export function identityProblem(candidate: EndpointCandidate, isModel: (project: string) => boolean): string | undefined {
  const { Project: project, PR_Number: pr } = candidate.tags;
  if (!project || !pr) return 'no Project or PR_Number tag: cannot tell which preview it belongs to';
  if (!PR_NUMBER.test(pr)) return `PR_Number tag "${pr}" is not a pull request number (1-999999)`;
  if (modelNameProblem(project) !== undefined) return `Project tag "${project}" is not a model name`;
  const name = `${project}-pr-${pr}`;
  if (candidate.endpointName !== name && !candidate.endpointName.startsWith(`${name}-`)) {
    return `its name does not follow the preview naming "${name}" of its tags Project=${project} PR_Number=${pr}`;
  }
  if (!isModel(project)) return `Project "${project}" is not a model of this checkout (no <folder>/${project}/ephenv.json)`;
  return undefined;
}

/**
 * Groups the candidates by preview (Project + PR_Number) and decides: reap when the PR is closed,
 * ExpiresAt has passed, or the endpoint is older than the policy's maxTtlHours by AWS's own
 * CreationTime. A missing, unreadable or far-off ExpiresAt therefore never keeps a preview past
 * the policy's maximum age. Endpoints that do not identify a preview of this checkout are set aside.
 */
export function decide(candidates: EndpointCandidate[], options: DecideOptions): Decisions {
  const groups = new Map<string, PreviewDecision>();
  const skipped: SkippedEndpoint[] = [];
  for (const candidate of candidates) {
    const why = identityProblem(candidate, options.isModel);
    if (why !== undefined) {
      skipped.push({ endpoint: candidate, why });
      continue;
    }
    const { Project: project, PR_Number: pr } = candidate.tags;
    const key = `${project}\0${pr}`;
    const group = groups.get(key) ?? { project, pr, endpoints: [], reap: false, reason: '' };
    group.endpoints.push(candidate);
    groups.set(key, group);
  }

  const now = options.now.getTime();
  const capMs = options.maxTtlHours * 3600_000;
  for (const group of groups.values()) {
    const expiries = group.endpoints.map((e) => e.tags.ExpiresAt).filter((v): v is string => parseTime(v) !== undefined);
    const earliest = expiries.sort((a, b) => parseTime(a)! - parseTime(b)!)[0];
    const unreadable = group.endpoints.map((e) => e.tags.ExpiresAt).find((v) => parseTime(v) === undefined);
    group.expiresAt = earliest ?? unreadable;

    const created = group.endpoints.map((e) => e.creationTime?.getTime()).filter((t): t is number => t !== undefined && !Number.isNaN(t));
    const capAt = created.length > 0 ? Math.min(...created) + capMs : undefined;
    const expiresAt = parseTime(earliest);
    const deadline = [expiresAt, capAt].filter((t): t is number => t !== undefined).sort((a, b) => a - b)[0];
    if (deadline !== undefined) group.deadline = new Date(deadline).toISOString();
    const byCap = capAt !== undefined && (expiresAt === undefined || capAt < expiresAt);

    const cap = `the policy's maxTtlHours (${options.maxTtlHours} h after creation)`;
    if (options.closedPrs.has(group.pr)) {
      group.reap = true;
      group.reason = 'PR closed';
    } else if (deadline !== undefined && deadline <= now) {
      group.reap = true;
      group.reason = byCap ? `${tagProblem(earliest, unreadable)}; older than ${cap}: created ${describeDelay(now - (capAt! - capMs))} ago` : `expired ${describeDelay(now - deadline)} ago`;
    } else if (deadline !== undefined) {
      group.reason = byCap ? `${tagProblem(earliest, unreadable)}; goes at ${cap}, in ${describeDelay(deadline - now)}` : `expires in ${describeDelay(deadline - now)}`;
    } else {
      group.reason = `${tagProblem(earliest, unreadable)}, and no CreationTime`;
    }
  }

  const previews = [...groups.values()].sort((a, b) => a.project.localeCompare(b.project) || Number(a.pr) - Number(b.pr));
  return { previews, skipped };
}

/** Why the ExpiresAt tag did not set the deadline. */
function tagProblem(earliest: string | undefined, unreadable: string | undefined): string {
  if (earliest !== undefined) return `ExpiresAt ${earliest} is past the policy's cap`;
  return unreadable === undefined ? 'no ExpiresAt tag' : `ExpiresAt "${unreadable}" is not a date`;
}

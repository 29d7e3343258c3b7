import { EPHEMERAL_MARKERS } from '@ephenv/core';

export type Tags = Record<string, string>;

/** One preview: a model project and the pull request it was deployed for. */
export interface PreviewId {
  project: string;
  pr: string;
}

/** True only when both marker tags are present with their exact values. */
export function hasEphemeralMarkers(tags: Tags): boolean {
  return Object.entries(EPHEMERAL_MARKERS).every(([key, value]) => tags[key] === value);
}

/**
 * Why the reaper may not delete a resource for `preview`, in the user's words; undefined when it
 * may: both markers, and that preview's Project and PR_Number.
 */
export function ownershipProblem(tags: Tags, preview: PreviewId): string | undefined {
  const missing = Object.entries(EPHEMERAL_MARKERS)
    .filter(([key, value]) => tags[key] !== value)
    .map(([key, value]) => `${key}=${value}`);
  if (missing.length > 0) return `not tagged ${missing.join(' and ')}`;
  if (tags.Project !== preview.project || tags.PR_Number !== preview.pr) {
    return `tagged for ${tags.Project ?? '(no Project)'} PR ${tags.PR_Number ?? '(no PR_Number)'}, not ${preview.project} PR ${preview.pr}`;
  }
  return undefined;
}

/** `[{Key, Value}]` lists (SageMaker, SSM, IAM, the tagging API) as a map. */
export function tagMap(list: { Key?: string; Value?: string }[] | undefined): Tags {
  const tags: Tags = {};
  for (const { Key, Value } of list ?? []) if (Key !== undefined) tags[Key] = Value ?? '';
  return tags;
}

/** The error an AWS API answers for something that does not exist (each service names it its own way). */
export function isNotFound(error: unknown): boolean {
  const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  if (e?.$metadata?.httpStatusCode === 404) return true;
  if (['NotFound', 'NoSuchKey', 'NoSuchEntity', 'NoSuchEntityException', 'ResourceNotFoundException', 'NotFoundException', 'ParameterNotFound', 'InvalidResourceId'].includes(e?.name ?? '')) {
    return true;
  }
  // SageMaker answers a missing endpoint, config or model with a ValidationException.
  return e?.name === 'ValidationException' && /could not find|does not exist|not found/i.test(e.message ?? '');
}

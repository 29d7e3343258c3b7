import type { ReaperClients } from './aws-clients';
import { ownershipProblem, type PreviewId } from './preview-tags';
import { DELETE_ORDER, KINDS, type PreviewResource } from './resource-kinds';

export type ResourceResult = 'deleted' | 'already gone' | 'left alone' | 'failed';

export interface ResourceOutcome {
  resource: PreviewResource;
  result: ResourceResult;
  /** Why it was left alone, or the error of a failed delete. */
  detail?: string;
}

export const inDeleteOrder = <T extends PreviewResource>(resources: T[]): T[] =>
  [...resources].sort((a, b) => DELETE_ORDER.indexOf(a.kind) - DELETE_ORDER.indexOf(b.kind));

/**
 * Deletes the resources one by one with the AWS SDK, in DELETE_ORDER. Each one's tags are read
 * again right before its delete: a resource that no longer carries both markers and this
 * preview's Project and PR_Number is left alone. A failed delete does not stop the others, but
 * keeps the endpoint (deleted last), so that the next run finds the preview again and retries;
 * `keepEndpoint` does the same when the search for the preview's resources was incomplete.
 */
export async function deleteBySdk(clients: ReaperClients, preview: PreviewId, resources: PreviewResource[], keepEndpoint = false): Promise<ResourceOutcome[]> {
  const outcomes: ResourceOutcome[] = [];
  for (const resource of inDeleteOrder(resources)) {
    const kind = KINDS[resource.kind];
    if (resource.kind === 'endpoint' && (keepEndpoint || outcomes.some((o) => o.result === 'failed'))) {
      outcomes.push({ resource, result: 'left alone', detail: 'kept until everything else of the preview is gone, so that the next ephenv reap retries it' });
      continue;
    }
    try {
      const tags = await kind.readTags(clients, resource);
      if (tags === undefined) {
        outcomes.push({ resource, result: 'already gone' });
        continue;
      }
      const problem = ownershipProblem(tags, preview);
      if (problem) {
        outcomes.push({ resource, result: 'left alone', detail: problem });
        continue;
      }
      await kind.remove(clients, resource);
      outcomes.push({ resource, result: 'deleted' });
    } catch (e) {
      outcomes.push({ resource, result: 'failed', detail: `${(e as Error).name}: ${(e as Error).message}` });
    }
  }
  return outcomes;
}

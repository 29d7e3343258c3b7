import type { ReaperClients } from './aws-clients';
import { decide } from './decide';
import { deleteBySdk, inDeleteOrder, type ResourceOutcome } from './delete-by-sdk';
import { planStateDestroy, type DestroyThroughState, type StatePlan } from './delete-by-state';
import { findCandidates, type EndpointCandidate } from './find-candidates';
import { findPreviewResources, type Discovery } from './find-preview-resources';
import type { PreviewId } from './preview-tags';
import type { PreviewResource } from './resource-kinds';

export interface ReapOptions {
  workspaceRoot: string;
  clients: ReaperClients;
  /** The bucket holding the previews' Terraform state. */
  stateBucket: string;
  destroyThroughState: DestroyThroughState;
  /** The moment ExpiresAt is compared with (default: now). */
  now?: Date;
  /** PR numbers whose previews are reaped whatever their ExpiresAt says. */
  closedPrs?: Iterable<string>;
  /** Find and decide, list what would be deleted and how, change nothing. */
  dryRun?: boolean;
  /** One line per step, for a terminal. */
  progress?: (line: string) => void;
}

export type ReapAction = 'keep' | 'terraform destroy' | 'sdk delete' | 'terraform destroy, then sdk delete';

export interface PreviewOutcome extends PreviewId {
  endpoints: string[];
  expiresAt?: string;
  /** Why it is kept or reaped: "expires in 5 h", "expired 2 h ago", "PR closed". */
  reason: string;
  action: ReapAction;
  result: 'kept' | 'would delete' | 'deleted' | 'failed';
  /** Where its Terraform state is, or why the SDK deletes it instead. */
  state?: StatePlan;
  /** What `terraform destroy` answered when it failed. */
  terraformError?: string;
  /** Deleted, already gone, left alone or failed, one per resource (in a dry run: what would be deleted). */
  resources: ResourceOutcome[] | { resource: PreviewResource; result: 'would delete' }[];
  /** Resources found by name but not tagged for this preview: never deleted. */
  ignored: Discovery['ignored'];
  notes: string[];
  /** What went wrong that may have left something behind. */
  errors: string[];
}

export interface ReapReport {
  now: Date;
  dryRun: boolean;
  previews: PreviewOutcome[];
  /** Endpoints with both markers but no Project or PR_Number tag: never deleted, shown for a human to look at. */
  unidentified: EndpointCandidate[];
}

const errorText = (e: unknown) => `${(e as Error).name}: ${(e as Error).message}`;

/**
 * The reaper: finds the SageMaker endpoints tagged Environment=Ephemeral and ManagedBy=ephenv,
 * and removes every preview among them whose ExpiresAt has passed or whose PR is closed — through
 * its Terraform state when that still exists, else (or when Terraform fails) with the AWS SDK,
 * checking both marker tags on every resource right before deleting it.
 */
export async function reap(options: ReapOptions): Promise<ReapReport> {
  const { clients, dryRun = false } = options;
  const now = options.now ?? new Date();
  const progress = options.progress ?? (() => undefined);

  const candidates = await findCandidates(clients.sagemaker);
  const { previews, unidentified } = decide(candidates, { now, closedPrs: new Set(options.closedPrs ?? []) });

  const outcomes: PreviewOutcome[] = [];
  for (const decision of previews) {
    const outcome: PreviewOutcome = {
      project: decision.project,
      pr: decision.pr,
      endpoints: decision.endpoints.map((e) => e.endpointName),
      expiresAt: decision.expiresAt,
      reason: decision.reason,
      action: 'keep',
      result: 'kept',
      resources: [],
      ignored: [],
      notes: [],
      errors: [],
    };
    outcomes.push(outcome);
    if (decision.reap) await reapPreview(options, outcome, dryRun, progress);
  }
  return { now, dryRun, previews: outcomes, unidentified };
}

async function reapPreview(options: ReapOptions, outcome: PreviewOutcome, dryRun: boolean, progress: (line: string) => void): Promise<void> {
  const { clients } = options;
  const label = `${outcome.project} PR ${outcome.pr}`;
  const find = async () => {
    const discovery = await findPreviewResources(clients, outcome, outcome.endpoints);
    outcome.ignored = discovery.ignored;
    outcome.notes = discovery.notes;
    outcome.errors.push(...discovery.errors);
    return discovery.resources;
  };

  try {
    outcome.state = await planStateDestroy(clients, options.workspaceRoot, options.stateBucket, outcome);
  } catch (e) {
    outcome.state = { usable: false, why: (e as Error).message };
  }

  if (dryRun) {
    outcome.action = outcome.state.usable ? 'terraform destroy' : 'sdk delete';
    outcome.resources = inDeleteOrder(await find()).map((resource) => ({ resource, result: 'would delete' as const }));
    outcome.result = 'would delete';
    return;
  }

  if (outcome.state.usable) {
    progress(`${label}: terraform destroy (state ${outcome.state.location})`);
    outcome.action = 'terraform destroy';
    try {
      await options.destroyThroughState(outcome);
    } catch (e) {
      outcome.terraformError = errorText(e);
      outcome.action = 'terraform destroy, then sdk delete';
      progress(`${label}: terraform destroy failed; deleting with the AWS SDK`);
    }
  } else {
    outcome.action = 'sdk delete';
    progress(`${label}: ${outcome.state.why}; deleting with the AWS SDK`);
  }

  // After a successful destroy this finds nothing, unless something of the preview lived outside its state.
  const deleted = await deleteBySdk(clients, outcome, await find());
  if (outcome.action === 'terraform destroy' && deleted.length > 0) outcome.action = 'terraform destroy, then sdk delete';
  outcome.resources = deleted;
  outcome.result = deleted.some((r) => r.result === 'failed') || outcome.errors.length > 0 ? 'failed' : 'deleted';
  progress(`${label}: ${outcome.result}`);
}

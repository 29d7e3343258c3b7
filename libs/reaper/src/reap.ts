import { defaultPolicy, findModelProjectRoot, linesTo, readPolicy, withPrefix, type Logger, type PreviewPolicy } from '@ephenv/core';
import { destroyStack, type AwsSettings, StateLockedError } from '@ephenv/preview';
import { reaperClients, type ReaperClients } from './aws-clients';
import { decide, type SkippedEndpoint } from './decide';
import { deleteBySdk, inDeleteOrder, type ResourceResult } from './delete-by-sdk';
import { planStateDestroy, type DestroyThroughState, type StatePlan } from './delete-by-state';
import { findCandidates } from './find-candidates';
import { findPreviewResources, type Discovery } from './find-preview-resources';
import type { PreviewId } from './preview-tags';
import type { PreviewResource } from './resource-kinds';

export interface ReapOptions {
  workspaceRoot: string;
  /** Region, state bucket, lock table (awsSettings). */
  settings: AwsSettings;
  /**
   * AWS clients (default: for `settings.region`, with the SDK's default credentials; the SDK
   * itself honours AWS_ENDPOINT_URL and the per-service AWS_ENDPOINT_URL_<SERVICE>).
   */
  clients?: ReaperClients;
  /** How a preview is destroyed through its state (default: the aws provider's destroyStack). */
  destroyThroughState?: DestroyThroughState;
  /** The moment ExpiresAt and the endpoints' age are measured at (default: now). */
  now?: Date;
  /**
   * The preview policy whose maxTtlHours caps every preview's age (default: ephenv.policy.json as
   * readPolicy finds it: the reaper runs on the default branch, whose working tree is the policy).
   */
  policy?: Pick<PreviewPolicy, 'maxTtlHours'>;
  /** PR numbers whose previews are reaped whatever their ExpiresAt says. */
  closedPrs?: Iterable<string>;
  /** Find and decide, list what would be deleted and how, change nothing. */
  dryRun?: boolean;
  /** One line per step, for a terminal (default: none). */
  log?: Logger;
}

/** What became of one resource (in a dry run: what would). */
export interface ResourceLine {
  resource: PreviewResource;
  result: ResourceResult | 'would delete';
  /** Why it was left alone, or the error of a failed delete. */
  detail?: string;
}

export type ReapAction = 'keep' | 'terraform destroy' | 'sdk delete' | 'terraform destroy, then sdk delete';

export interface PreviewOutcome extends PreviewId {
  endpoints: string[];
  expiresAt?: string;
  /** When it goes: the earlier of ExpiresAt and CreationTime + the policy's maxTtlHours. */
  deadline?: string;
  /** Why it is kept or reaped: "expires in 5 h", "expired 2 h ago", "PR closed". */
  reason: string;
  action: ReapAction;
  result: 'kept' | 'would delete' | 'deleted' | 'failed';
  /** Where its Terraform state is, or why the SDK deletes it instead. */
  state?: StatePlan;
  /** What `terraform destroy` answered when it failed. */
  terraformError?: string;
  /** Deleted, already gone, left alone or failed, one per resource (in a dry run: what would be deleted). */
  resources: ResourceLine[];
  /** Resources found by name but not tagged for this preview: never deleted. */
  ignored: Discovery['ignored'];
  notes: string[];
  /** What went wrong that may have left something behind. */
  errors: string[];
}

export interface ReapReport {
  dryRun: boolean;
  previews: PreviewOutcome[];
  /** Endpoints with both markers whose tags or name do not identify a preview of this checkout: never deleted, shown for a human to look at. */
  skipped: SkippedEndpoint[];
  /** The maximum age applied, and where it came from. */
  maxTtlHours: number;
  policySource: string;
}

const errorText = (e: unknown) => `${(e as Error).name}: ${(e as Error).message}`;

/**
 * The reaper: finds the SageMaker endpoints tagged Environment=Ephemeral and ManagedBy=ephenv,
 * and removes every preview among them whose ExpiresAt has passed or whose PR is closed — through
 * its Terraform state when that still exists, else (or when Terraform fails) with the AWS SDK,
 * checking both marker tags on every resource right before deleting it.
 */
export async function reap(options: ReapOptions): Promise<ReapReport> {
  const clients = options.clients ?? reaperClients({ region: options.settings.region });
  try {
    return await reapWith({ ...options, clients });
  } finally {
    if (!options.clients) clients.destroy();
  }
}

type Resolved = ReapOptions & { clients: ReaperClients };

async function reapWith(options: Resolved): Promise<ReapReport> {
  const { clients, dryRun = false } = options;
  const now = options.now ?? new Date();
  const log = options.log ?? linesTo(() => undefined);

  const { maxTtlHours, source: policySource } = maxAge(options, log);
  const isModel = (project: string) => findModelProjectRoot(options.workspaceRoot, project) !== undefined;
  const candidates = await findCandidates(clients.sagemaker);
  const { previews, skipped } = decide(candidates, { now, closedPrs: new Set(options.closedPrs ?? []), maxTtlHours, isModel });
  for (const { endpoint, why } of skipped) log.warn(`warning: skipped the endpoint ${endpoint.endpointName}: ${why}`);

  const outcomes: PreviewOutcome[] = [];
  for (const decision of previews) {
    const outcome: PreviewOutcome = {
      project: decision.project,
      pr: decision.pr,
      endpoints: decision.endpoints.map((e) => e.endpointName),
      expiresAt: decision.expiresAt,
      ...(decision.deadline && { deadline: decision.deadline }),
      reason: decision.reason,
      action: 'keep',
      result: 'kept',
      resources: [],
      ignored: [],
      notes: [],
      errors: [],
    };
    outcomes.push(outcome);
    if (!decision.reap) continue;
    try {
      await reapPreview(options, outcome, dryRun, log);
    } catch (e) {
      // One preview's trouble (an API error, unexpected data) is reported and does not stop the others.
      outcome.errors.push(errorText(e));
      outcome.result = 'failed';
      log.error(`${outcome.project} PR ${outcome.pr}: failed: ${errorText(e)}`);
    }
  }
  return { dryRun, previews: outcomes, skipped, maxTtlHours, policySource };
}

/** The policy's maxTtlHours; a policy that cannot be read falls back to the default cap rather than stopping the reaper. */
function maxAge(options: Resolved, log: Logger): { maxTtlHours: number; source: string } {
  if (options.policy) return { maxTtlHours: options.policy.maxTtlHours, source: 'the given policy' };
  try {
    const { policy, source } = readPolicy(options.workspaceRoot);
    log.info(`maximum age ${policy.maxTtlHours} h from ${source.description}`);
    return { maxTtlHours: policy.maxTtlHours, source: source.description };
  } catch (e) {
    const fallback = defaultPolicy().maxTtlHours;
    log.warn(`warning: ${(e as Error).message}; the default maximum age (${fallback} h) applies`);
    return { maxTtlHours: fallback, source: 'the default preview policy (the policy file could not be read)' };
  }
}

async function reapPreview(options: Resolved, outcome: PreviewOutcome, dryRun: boolean, log: Logger): Promise<void> {
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
    outcome.state = await planStateDestroy(clients, options.workspaceRoot, options.settings.stateBucket, outcome);
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
    log.info(`${label}: terraform destroy (state ${outcome.state.location})`);
    outcome.action = 'terraform destroy';
    const destroy: DestroyThroughState =
      options.destroyThroughState ??
      (async (preview) => {
        const result = await destroyStack(options.workspaceRoot, preview, { settings: options.settings, log: withPrefix(log, `${label}: `) });
        log.info(`${label}: ${result.message}`);
      });
    try {
      await destroy({ project: outcome.project, pr: outcome.pr });
    } catch (e) {
      if (e instanceof StateLockedError) {
        // Another run (a deploy of the same PR) is changing the stack: deleting under it would race it.
        outcome.errors.push(`the Terraform state ${outcome.state.location} is locked by another run (a deploy or destroy of this PR): left alone, the next ephenv reap retries it`);
        outcome.result = 'failed';
        log.warn(`${label}: state locked by another run; left alone`);
        return;
      }
      outcome.terraformError = errorText(e);
      outcome.action = 'terraform destroy, then sdk delete';
      log.warn(`${label}: terraform destroy failed; deleting with the AWS SDK`);
    }
  } else {
    outcome.action = 'sdk delete';
    log.info(`${label}: ${outcome.state.why}; deleting with the AWS SDK`);
  }

  // After a successful destroy this finds nothing, unless something of the preview lived outside its state.
  const found = await find();
  const deleted = await deleteBySdk(clients, outcome, found, outcome.errors.length > 0);
  if (outcome.action === 'terraform destroy' && deleted.length > 0) outcome.action = 'terraform destroy, then sdk delete';
  outcome.resources = deleted;
  outcome.result = deleted.some((r) => r.result === 'failed') || outcome.errors.length > 0 ? 'failed' : 'deleted';
  log.info(`${label}: ${outcome.result}`);
}

import type { ModelConfig, PreviewAccess, PreviewCostInputs, PreviewPolicy, PreviewRecord, ProviderName } from '@ephenv/core';

export { PROVIDER_NAMES, providerName, type ProviderName } from '@ephenv/core';

export interface PreviewTarget {
  workspaceRoot: string;
  project: string;
  projectRoot: string;
  config: ModelConfig;
  /** The workspace preview policy (from the base branch), already checked against config. */
  policy: PreviewPolicy;
  pr: string;
  gitSha: string;
}

export interface DestroyResult {
  destroyed: boolean;
  message: string;
}

/** One model's outcome when every preview of a PR is destroyed. */
export interface PrDestroyOutcome {
  project: string;
  result?: DestroyResult;
  /** Why this model's preview could not be destroyed. */
  error?: string;
}

export interface LogsOptions {
  lines?: number;
  /** Where the preview runs; default: the recorded preview's provider, else EPHENV_PROVIDER, else local. */
  provider?: string;
  /** aws: the PR whose preview to read when no record of it is here (as on a CI runner). */
  pr?: string | number;
}

/**
 * One interface, one implementation per place a preview can run; chosen by --provider. Everything
 * that differs between the places is a method here, so no caller asks which provider it has.
 */
export interface PreviewProvider {
  readonly name: ProviderName;
  /** Creates the preview, replacing an existing one of the same project, and records it. */
  deploy(target: PreviewTarget): Promise<PreviewRecord>;
  /** Removes everything the preview created; "nothing to destroy" is a success. */
  destroy(target: Omit<PreviewTarget, 'config' | 'policy'>): Promise<DestroyResult>;
  /** Destroys every model's preview of one PR (when it closes); one failure does not stop the others. */
  destroyPr(workspaceRoot: string, pr: string, options?: { lockTimeout?: string }): Promise<PrDestroyOutcome[]>;
  /** How a person reaches a recorded preview: the token's place, the logs, how it ends (preview.json's `access`). */
  access(record: PreviewRecord): PreviewAccess;
  /** What the cloud bills the preview by (preview.json's `cost`); undefined when nothing is billed. */
  costInputs(record: PreviewRecord, config: ModelConfig): PreviewCostInputs | undefined;
  /** Whether nothing the record describes is left (its processes are gone): `ephenv status` then drops the record. */
  isGone(record: PreviewRecord): boolean;
  /** The preview's recent logs, one section per log, newest last. */
  logs(workspaceRoot: string, project: string, options: LogsOptions): Promise<string>;
}

import type { ModelConfig, PreviewPolicy, PreviewRecord } from '@ephenv/core';

export type ProviderName = 'local' | 'aws';

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

/** One interface, one implementation per place a preview can run; chosen by --provider. */
export interface PreviewProvider {
  readonly name: ProviderName;
  /** Creates the preview, replacing an existing one of the same project, and records it. */
  deploy(target: PreviewTarget): Promise<PreviewRecord>;
  /** Removes everything the preview created; "nothing to destroy" is a success. */
  destroy(target: Omit<PreviewTarget, 'config' | 'policy'>): Promise<DestroyResult>;
}

export function providerName(option: string | undefined): ProviderName {
  const value = option ?? process.env.EPHENV_PROVIDER ?? 'local';
  if (value === 'local' || value === 'aws') return value;
  throw new Error(`--provider must be "local" or "aws" (or EPHENV_PROVIDER); got "${value}"`);
}

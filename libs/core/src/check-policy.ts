import { join } from 'node:path';
import { CONFIG_FILE, type ModelConfig } from './config';
import { POLICY_FILE, PolicyError, type PreviewPolicy } from './policy';
import type { LoadedPolicy } from './read-policy';

/** One ephenv.json value outside the policy. */
export interface PolicyViolation {
  /** The ephenv.json field, e.g. `endpoint.instanceType`. */
  field: string;
  value: string | number;
  /** The policy field that refuses it, e.g. `allowedInstanceTypes`. */
  rule: keyof PreviewPolicy;
  /** What the policy allows, in words. */
  allowed: string;
}

/** The ephenv.json values the policy limits. */
type Checked = { endpoint: Pick<ModelConfig['endpoint'], 'type' | 'instanceType' | 'instanceCount' | 'memorySizeMb' | 'maxConcurrency'> } & Pick<ModelConfig, 'ttlHours'>;

/**
 * The model's values the policy refuses. Only the fields its endpoint type uses count: a
 * serverless endpoint has no instances, a realtime one no serverless memory.
 */
export function policyViolations(config: Checked, policy: PreviewPolicy): PolicyViolation[] {
  const { endpoint } = config;
  const found: PolicyViolation[] = [];
  if (endpoint.type === 'realtime') {
    if (!policy.allowedInstanceTypes.includes(endpoint.instanceType)) {
      found.push({ field: 'endpoint.instanceType', value: endpoint.instanceType, rule: 'allowedInstanceTypes', allowed: `one of ${policy.allowedInstanceTypes.join(', ')}` });
    }
    if (endpoint.instanceCount > policy.maxInstanceCount) {
      found.push({ field: 'endpoint.instanceCount', value: endpoint.instanceCount, rule: 'maxInstanceCount', allowed: `at most ${policy.maxInstanceCount}` });
    }
  } else {
    if (endpoint.memorySizeMb > policy.maxServerlessMemorySizeMb) {
      found.push({ field: 'endpoint.memorySizeMb', value: endpoint.memorySizeMb, rule: 'maxServerlessMemorySizeMb', allowed: `at most ${policy.maxServerlessMemorySizeMb}` });
    }
    if (endpoint.maxConcurrency > policy.maxServerlessConcurrency) {
      found.push({ field: 'endpoint.maxConcurrency', value: endpoint.maxConcurrency, rule: 'maxServerlessConcurrency', allowed: `at most ${policy.maxServerlessConcurrency}` });
    }
  }
  if (config.ttlHours > policy.maxTtlHours) {
    found.push({ field: 'preview.ttlHours', value: config.ttlHours, rule: 'maxTtlHours', allowed: `at most ${policy.maxTtlHours}` });
  }
  return found;
}

/**
 * Refuses, before anything is created, a model whose ephenv.json asks for more than the policy
 * allows: each value, the rule, what is allowed, where the policy was read from and how to change it.
 */
export function assertWithinPolicy(project: string, config: Checked & Pick<ModelConfig, 'projectRoot'>, loaded: LoadedPolicy): void {
  const violations = policyViolations(config, loaded.policy);
  if (violations.length === 0) return;
  const file = join(config.projectRoot, CONFIG_FILE);
  const lines = violations.map((v) => `  ${file} ${v.field} is ${JSON.stringify(v.value)}: the policy's ${v.rule} allows ${v.allowed}`);
  const { source } = loaded;
  const change = source.ref
    ? `The limits come from ${source.description} (the base branch, so this branch's own edits to ${POLICY_FILE} do not count): ` +
      `change ${POLICY_FILE} there through a pull request to the base branch, or bring ${file} within them.`
    : `The limits come from ${source.description}: change ${POLICY_FILE} at the workspace root (in CI it is read from the base branch), or bring ${file} within them.`;
  throw new PolicyError(`${project}: ephenv.json asks for more than the preview policy allows; nothing was created.\n${lines.join('\n')}\n${change}`);
}

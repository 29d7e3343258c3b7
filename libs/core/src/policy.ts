import schema from '../ephenv.policy.schema.json';
import type { EphenvPolicyJson, EphenvPolicyJsonWithDefaults } from './generated/ephenv-policy-json';
import { compileSchema, describeErrors } from './schema';

export type { EphenvPolicyJson };

/** The workspace preview policy: at the workspace root, outside every model folder. */
export const POLICY_FILE = 'ephenv.policy.json';

/** ephenv.policy.json with the schema's defaults applied. */
export type PreviewPolicy = Omit<EphenvPolicyJsonWithDefaults, '$schema'>;

export class PolicyError extends Error {
  override name = 'PolicyError';
}

// useDefaults: the schema is the one place the default limits are written down.
const validatePolicy = compileSchema<EphenvPolicyJsonWithDefaults>(schema, { useDefaults: true, allErrors: false });

/**
 * The policy from ephenv.policy.json's text; `where` names the file (and ref) in errors. Fields
 * left out take the schema's defaults; `undefined` text (no file) gives the defaults alone.
 */
export function parsePolicy(text: string | undefined, where: string): PreviewPolicy {
  let raw: unknown = {};
  if (text !== undefined) {
    try {
      raw = JSON.parse(text);
    } catch (e) {
      throw new PolicyError(`${where} is not valid JSON: ${(e as Error).message}`);
    }
  }
  if (!validatePolicy(raw)) {
    const fields = Object.keys(schema.properties).filter((p) => p !== '$schema').join(', ');
    throw new PolicyError(`${where} does not match the preview policy schema (libs/core/ephenv.policy.schema.json): ${describeErrors(validatePolicy.errors, { limit: 1 })[0]}. Its fields are ${fields}.`);
  }
  const { $schema: _ignored, ...policy } = raw;
  return policy;
}

/** The default policy, from the schema: what `nx g @ephenv:init` writes and what applies when no policy file exists. */
export const defaultPolicy = (): PreviewPolicy => parsePolicy(undefined, 'the default policy');

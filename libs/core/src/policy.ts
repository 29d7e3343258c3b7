import Ajv, { type ErrorObject } from 'ajv';
import schema from '../ephenv.policy.schema.json';

/** The workspace preview policy: at the workspace root, outside every model folder. */
export const POLICY_FILE = 'ephenv.policy.json';

/** ephenv.policy.json with the schema's defaults applied. */
export interface PreviewPolicy {
  allowedInstanceTypes: string[];
  maxInstanceCount: number;
  maxServerlessMemorySizeMb: number;
  maxServerlessConcurrency: number;
  maxTtlHours: number;
}

export class PolicyError extends Error {
  override name = 'PolicyError';
}

// useDefaults: the schema is the one place the default limits are written down.
const ajv = new Ajv({ allErrors: false, strict: false, useDefaults: true });
const validatePolicy = ajv.compile<PreviewPolicy & { $schema?: string }>(schema);

function describeError(e: ErrorObject): string {
  const field = e.instancePath ? e.instancePath.slice(1).replace(/\//g, '.') : '(the top level)';
  if (e.keyword === 'additionalProperties') return `unknown field "${(e.params as { additionalProperty: string }).additionalProperty}"`;
  if (e.keyword === 'enum') return `${field} ${e.message} (${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')})`;
  return `${field} ${e.message}`;
}

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
    throw new PolicyError(`${where} does not match the preview policy schema (libs/core/ephenv.policy.schema.json): ${describeError(validatePolicy.errors![0])}. Its fields are ${fields}.`);
  }
  const { $schema: _ignored, ...policy } = raw;
  return policy;
}

/** The default policy, from the schema: what `nx g @ephenv:init` writes and what applies when no policy file exists. */
export const defaultPolicy = (): PreviewPolicy => parsePolicy(undefined, 'the default policy');

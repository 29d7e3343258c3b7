import Ajv, { type ErrorObject } from 'ajv';
import Ajv2019 from 'ajv/dist/2019';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

/** One way a document breaks its schema: a JSON pointer into the document and what is wrong there. */
export interface SchemaViolation {
  path: string;
  message: string;
}

/**
 * What a check found. `complete` says whether `violations` holds all of them or only the first
 * (the listing pass was skipped because the document is too large for it).
 */
export interface SchemaCheckResult {
  violations: SchemaViolation[];
  complete: boolean;
}

/**
 * Checks a document. `nodes` (its size, from the array pre-check) decides whether the listing pass
 * runs: ajv's allErrors mode concatenates each sub-schema's errors into the list gathered so far,
 * which is quadratic in the number of errors, so it only runs on documents small enough that its
 * worst case stays a few milliseconds. Larger invalid documents get their first violation.
 */
export type SchemaCheck = (document: unknown, nodes: number) => SchemaCheckResult;

/** Largest document (in JSON values) the listing pass runs on; about 10 ms at worst with a 1000-item batch. */
export const LISTING_NODE_LIMIT = 5_000;

function ajvFor(schema: Record<string, unknown>, allErrors: boolean) {
  const dialect = typeof schema.$schema === 'string' ? schema.$schema : '';
  // Not strict: the validate step holds authors to strict schemas; the gateway only enforces them.
  const options = { allErrors, strict: false, logger: false as const };
  if (dialect.includes('2020-12')) return new Ajv2020(options);
  if (dialect.includes('2019-09')) return new Ajv2019(options);
  return new Ajv(options);
}

/** Compiles `schema` once; `label` names it in errors (e.g. "input.schema.json"). */
export function compileSchema(schema: object, label: string): SchemaCheck {
  // The first pass stops at the first violation: linear in the document, and enough for a valid one.
  const first = compile(schema, label, false);
  const listing = compile(schema, label, true);
  return (document, nodes) => {
    if (first(document)) return { violations: [], complete: true };
    if (nodes <= LISTING_NODE_LIMIT && !listing(document)) return { violations: (listing.errors ?? []).map(describe), complete: true };
    return { violations: (first.errors ?? []).slice(0, 1).map(describe), complete: false };
  };
}

function compile(schema: object, label: string, allErrors: boolean) {
  const ajv = ajvFor(schema as Record<string, unknown>, allErrors);
  addFormats(ajv);
  try {
    return ajv.compile(schema);
  } catch (e) {
    throw new Error(`${label} is not a valid JSON Schema: ${(e as Error).message}`);
  }
}

function describe(error: ErrorObject): SchemaViolation {
  const path = error.instancePath || '/';
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'additionalProperties') {
    return { path, message: `must NOT have the additional property "${String(params.additionalProperty)}"` };
  }
  if (error.keyword === 'enum') {
    return { path, message: `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}` };
  }
  return { path, message: error.message ?? `fails "${error.keyword}"` };
}

import { compileSchema as compileWithAjv, describeError, type SchemaViolation } from '@ephenv/core/schema';

export type { SchemaViolation };

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

/** Compiles `schema` once; `label` names it in errors (e.g. "input.schema.json"). */
export function compileSchema(schema: object, label: string): SchemaCheck {
  // The first pass stops at the first violation: linear in the document, and enough for a valid one.
  // Not strict: the validate step holds authors to strict schemas; the gateway only enforces them.
  const first = compileWithAjv(schema, { label, allErrors: false });
  const listing = compileWithAjv(schema, { label, allErrors: true });
  return (document, nodes) => {
    if (first(document)) return { violations: [], complete: true };
    if (nodes <= LISTING_NODE_LIMIT && !listing(document)) return { violations: (listing.errors ?? []).map((e) => describeError(e)), complete: true };
    return { violations: (first.errors ?? []).slice(0, 1).map((e) => describeError(e)), complete: false };
  };
}

import Ajv, { type ErrorObject, type Options, type ValidateFunction } from 'ajv';
import Ajv2019 from 'ajv/dist/2019';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

/**
 * ephenv's one JSON Schema compiler (`@ephenv/core/schema`): the config files, the executors'
 * options, the gateway's request and answer checks and the validate step all compile here. It
 * imports nothing of core but ajv, so the gateway's Lambda bundle stays small.
 */
export type { ErrorObject, ValidateFunction };

export interface CompileOptions {
  /** ajv's strict mode: unknown keywords and type/keyword mismatches are errors (default false). */
  strict?: boolean;
  /** Collect every violation instead of stopping at the first (default true). */
  allErrors?: boolean;
  /** Fill in the schema's `default`s (default false). */
  useDefaults?: boolean;
  /** Coerce strings to the declared type (`"3"` to 3), as options read from argv need (default false). */
  coerceTypes?: boolean;
}

/** ajv for the draft the schema declares in `$schema` (2020-12, 2019-09, else draft-07), with ajv-formats. */
function ajvFor(schema: unknown, options: CompileOptions): Ajv {
  const declared = schema !== null && typeof schema === 'object' ? String((schema as { $schema?: unknown }).$schema ?? '') : '';
  const ajvOptions: Options = {
    strict: options.strict ?? false,
    allErrors: options.allErrors ?? true,
    useDefaults: options.useDefaults ?? false,
    coerceTypes: options.coerceTypes ?? false,
    // Union types (`type: ["string", "null"]`) are standard JSON Schema, strict or not.
    allowUnionTypes: true,
    logger: false,
  };
  const ajv = declared.includes('2020-12') ? new Ajv2020(ajvOptions) : declared.includes('2019-09') ? new Ajv2019(ajvOptions) : new Ajv(ajvOptions);
  addFormats(ajv);
  return ajv;
}

/**
 * Compiles a schema. `label` names it in the error when it does not compile (ajv's message names
 * the keyword and the schema path).
 */
export function compileSchema<T = unknown>(schema: unknown, options: CompileOptions & { label?: string } = {}): ValidateFunction<T> {
  if (typeof schema !== 'boolean' && (schema === null || typeof schema !== 'object' || Array.isArray(schema))) {
    throw new Error(`${options.label ?? 'the schema'} is not a JSON Schema: a JSON Schema is an object (or true/false)`);
  }
  try {
    return ajvFor(schema, options).compile<T>(schema as object);
  } catch (e) {
    if (!options.label) throw e;
    throw new Error(`${options.label} is not a valid JSON Schema: ${(e as Error).message}`);
  }
}

/** One way a document breaks its schema: a JSON pointer into the document and what is wrong there. */
export interface SchemaViolation {
  path: string;
  message: string;
}

/** An ajv error in words: the pointer (`/` for the document itself) and a message naming what is allowed. */
export function describeError(error: ErrorObject, prefix = ''): SchemaViolation {
  const path = `${prefix}${error.instancePath}` || '/';
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'additionalProperties') return { path, message: `unknown property "${String(params.additionalProperty)}"` };
  if (error.keyword === 'enum') return { path, message: `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}` };
  if (error.keyword === 'const') return { path, message: `must be ${JSON.stringify(params.allowedValue)}` };
  return { path, message: error.message ?? `fails "${error.keyword}"` };
}

/** ajv errors as `<pointer>: <message>` lines, at most `limit` of them and a count of the rest. */
export function describeErrors(errors: ErrorObject[] | null | undefined, options: { prefix?: string; limit?: number } = {}): string[] {
  const limit = options.limit ?? 10;
  const lines = (errors ?? []).map((e) => {
    const { path, message } = describeError(e, options.prefix);
    return `${path}: ${message}`;
  });
  return lines.length > limit ? [...lines.slice(0, limit), `... and ${lines.length - limit} more`] : lines;
}

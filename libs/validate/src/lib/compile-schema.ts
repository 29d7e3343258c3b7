import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import Ajv2019 from 'ajv/dist/2019';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

/**
 * ajv for the draft the schema declares (`$schema`), in strict mode: unknown keywords, ignored
 * keywords and type/keyword mismatches are errors, as they hide mistakes in a contract. Union types
 * (`type: ["string", "null"]`) are standard JSON Schema, so they are allowed.
 */
function ajvFor(schema: unknown): Ajv {
  const declared = schema !== null && typeof schema === 'object' ? String((schema as { $schema?: unknown }).$schema ?? '') : '';
  const options = { strict: true, allErrors: true, allowUnionTypes: true } as const;
  const ajv = declared.includes('2020-12') ? new Ajv2020(options) : declared.includes('2019-09') ? new Ajv2019(options) : new Ajv(options);
  addFormats(ajv);
  return ajv;
}

/** Compiles a schema; throws ajv's own error (it names the keyword and the schema path) when it does not compile. */
export function compileSchema(schema: unknown): ValidateFunction {
  if (typeof schema !== 'boolean' && (schema === null || typeof schema !== 'object' || Array.isArray(schema))) {
    throw new Error('a JSON Schema is an object (or true/false)');
  }
  return ajvFor(schema).compile(schema as object);
}

/** ajv errors as `<pointer>: <message>` lines, the pointer prefixed (e.g. `/request`) to place it in a larger document. */
export function describeErrors(errors: ErrorObject[] | null | undefined, prefix = '', limit = 10): string[] {
  const lines = (errors ?? []).map((e) => {
    const at = `${prefix}${e.instancePath}` || '/';
    const params = e.params as Record<string, unknown>;
    if (e.keyword === 'additionalProperties') return `${at}: unknown property "${String(params.additionalProperty)}" (additionalProperties is false)`;
    if (e.keyword === 'enum') return `${at}: ${e.message} ${JSON.stringify(params.allowedValues)}`;
    if (e.keyword === 'const') return `${at}: must be ${JSON.stringify(params.allowedValue)}`;
    return `${at}: ${e.message}`;
  });
  return lines.length > limit ? [...lines.slice(0, limit), `... and ${lines.length - limit} more`] : lines;
}

import Ajv, { type ErrorObject } from 'ajv';
import Ajv2019 from 'ajv/dist/2019';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

/** One way a document breaks its schema: a JSON pointer into the document and what is wrong there. */
export interface SchemaViolation {
  path: string;
  message: string;
}

/** Checks a document; returns every violation, none when it is valid. */
export type SchemaCheck = (document: unknown) => SchemaViolation[];

function ajvFor(schema: Record<string, unknown>) {
  const dialect = typeof schema.$schema === 'string' ? schema.$schema : '';
  // Not strict: the validate step holds authors to strict schemas; the gateway only enforces them.
  const options = { allErrors: true, strict: false, logger: false as const };
  if (dialect.includes('2020-12')) return new Ajv2020(options);
  if (dialect.includes('2019-09')) return new Ajv2019(options);
  return new Ajv(options);
}

/** Compiles `schema` once; `label` names it in errors (e.g. "input.schema.json"). */
export function compileSchema(schema: object, label: string): SchemaCheck {
  const ajv = ajvFor(schema as Record<string, unknown>);
  addFormats(ajv);
  let validate: ReturnType<typeof ajv.compile>;
  try {
    validate = ajv.compile(schema);
  } catch (e) {
    throw new Error(`${label} is not a valid JSON Schema: ${(e as Error).message}`);
  }
  return (document) => (validate(document) ? [] : (validate.errors ?? []).map(describe));
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

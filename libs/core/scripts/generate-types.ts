import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compile, type JSONSchema } from 'json-schema-to-typescript';

/**
 * The TypeScript types of ephenv's config files, generated from their JSON Schemas: the schema is
 * the one definition, the types follow it (`npm run generate:types`; a core test fails when a
 * generated file is stale). Each file gets two types: `<Name>` as the user writes the file, and
 * `<Name>WithDefaults`, the value after ajv applied the schema's defaults (`useDefaults`), where
 * every property with a `default` is present.
 */
const CORE = join(__dirname, '..');

export const GENERATED = [
  { schema: 'ephenv.schema.json', name: 'EphenvJson', out: 'src/generated/ephenv-json.ts' },
  { schema: 'ephenv.policy.schema.json', name: 'EphenvPolicyJson', out: 'src/generated/ephenv-policy-json.ts' },
] as const;

type Schema = Record<string, unknown>;

/** A copy of `schema` in which every property that has a default is required: what useDefaults guarantees. */
function withDefaultsRequired(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withDefaultsRequired);
  if (schema === null || typeof schema !== 'object') return schema;
  const copy: Schema = Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, k === 'default' ? v : withDefaultsRequired(v)]));
  const properties = (schema as Schema).properties as Record<string, Schema> | undefined;
  if (properties && typeof properties === 'object') {
    const defaulted = Object.keys(properties).filter((p) => properties[p] && typeof properties[p] === 'object' && 'default' in properties[p]);
    if (defaulted.length > 0) copy.required = [...new Set([...((copy.required as string[] | undefined) ?? []), ...defaulted])];
  }
  return copy;
}

function typeOf(schema: Schema, name: string, banner: string): Promise<string> {
  const { $id: _id, title: _title, ...rest } = schema;
  return compile({ ...rest, title: name } as JSONSchema, name, { bannerComment: banner, additionalProperties: true, ignoreMinAndMaxItems: true, unknownAny: true, format: true });
}

/** The TypeScript text of one schema's two types, `<name>` and `<name>WithDefaults`. */
export async function typesOf(schema: Schema, name: string, source: string): Promise<string> {
  const banner = `/* Generated from ${source} by libs/core/scripts/generate-types.ts: do not edit, run "npm run generate:types". */`;
  const written = await typeOf(schema, name, banner);
  const defaulted = await typeOf(withDefaultsRequired(schema) as Schema, `${name}WithDefaults`, '');
  return `${written}\n${defaulted}`;
}

/** The generated files' paths (absolute) and text. */
export async function generateTypes(): Promise<{ file: string; text: string }[]> {
  return Promise.all(
    GENERATED.map(async ({ schema, name, out }) => ({
      file: join(CORE, out),
      text: await typesOf(JSON.parse(readFileSync(join(CORE, schema), 'utf8')) as Schema, name, `libs/core/${schema}`),
    })),
  );
}

if (require.main === module) {
  generateTypes()
    .then((files) => {
      for (const { file, text } of files) {
        writeFileSync(file, text);
        console.log(`generate:types: wrote ${file}`);
      }
    })
    .catch((e) => {
      console.error(`generate:types: ${(e as Error).message}`);
      process.exitCode = 1;
    });
}

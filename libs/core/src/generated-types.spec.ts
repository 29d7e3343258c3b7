import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateTypes, typesOf } from '../scripts/generate-types';

describe('the config types generated from the JSON Schemas', () => {
  it('are up to date with ephenv.schema.json and ephenv.policy.schema.json', async () => {
    const files = await generateTypes();
    expect(files.map((f) => f.file.replace(/.*\/libs\/core\//, ''))).toEqual(['src/generated/ephenv-json.ts', 'src/generated/ephenv-policy-json.ts']);
    for (const { file, text } of files) {
      expect(readFileSync(file, 'utf8'), `${file} is stale: run "npm run generate:types" and commit the result`).toBe(text);
    }
  });

  it('follow a schema edit: a new property appears, and its default makes it required once defaults are applied', async () => {
    const schema = JSON.parse(readFileSync(`${__dirname}/../ephenv.policy.schema.json`, 'utf8'));
    const before = await typesOf(schema, 'EphenvPolicyJson', 'x');
    schema.properties.maxPreviews = { type: 'integer', default: 3 };
    const after = await typesOf(schema, 'EphenvPolicyJson', 'x');
    expect(before).not.toContain('maxPreviews');
    const [written, defaulted] = after.split('export interface EphenvPolicyJsonWithDefaults');
    expect(written).toContain('maxPreviews?: number;');
    expect(defaulted).toContain('maxPreviews: number;');
  });
});

import type { Example } from '@ephenv/core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { compileSchema } from '@ephenv/core/schema';
import { deriveInvalidRequests } from '../src/lib/derive-invalid-requests';
import { runLiveChecks } from '../src/live-checks';
import type { CompiledSchema } from '../src/static-checks';
import { startGateway, type GatewayMode, type TestGateway } from './helpers/gateway';

const fixture = (name: string) => JSON.parse(readFileSync(join(__dirname, 'fixtures', name), 'utf8'));
const compiled = (file: string): CompiledSchema => {
  const schema = fixture(file);
  return { file, schema, validate: compileSchema(schema, { strict: true }) };
};
const input = compiled('input.schema.json');
const output = compiled('output.schema.json');
const examples: Example[] = ['setosa', 'virginica'].map((name) => ({ name, file: `${name}.json`, ...fixture(`examples/${name}.json`) }));

let gateway: TestGateway | undefined;
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
});

async function liveAgainst(mode: GatewayMode, drift?: number, tolerance = 0.001) {
  gateway = await startGateway({ mode, inputSchema: input.schema as object, examples, drift });
  return runLiveChecks({ target: { url: gateway.url, token: gateway.token }, examples, input, output, tolerance, project: 'iris-classifier' });
}

describe('invalid requests derived from the input schema', () => {
  const valid = examples[0].request;
  const derived = deriveInvalidRequests(input.schema, valid, input.validate);

  it('covers missing required properties, wrong types, out-of-range values and unknown properties, through $ref', () => {
    const names = derived.map((d) => d.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'missing required /instances',
        'missing required /instances/0/petal_width',
        'wrong type at /instances (string instead of array)',
        'wrong type at /instances/0/sepal_length (string instead of number)',
        '/instances/0/petal_length above maximum 100',
        '/instances/0/petal_length below minimum 0',
        'unknown property /ephenv_unknown_property (additionalProperties is false)',
        'unknown property /instances/0/ephenv_unknown_property (additionalProperties is false)',
        '/instances with fewer than minItems 1 elements',
        '/instances with more than maxItems 1000 elements',
      ]),
    );
    expect(names.filter((n) => n.startsWith('missing required'))).toHaveLength(5);
  });

  it('returns only requests the schema rejects, each one mutation away from the valid one', () => {
    expect(derived.length).toBeGreaterThan(15);
    for (const d of derived) expect(input.validate(d.body), d.name).toBe(false);
    expect(input.validate(valid)).toBe(true);
    const missing = derived.find((d) => d.name === 'missing required /instances/0/petal_width')!.body as { instances: Record<string, number>[] };
    expect(Object.keys(missing.instances[0]).sort()).toEqual(['petal_length', 'sepal_length', 'sepal_width']);
  });
});

describe('live checks against a loopback gateway', () => {
  it('pass against a gateway that behaves, reporting the latency of every call', async () => {
    const checks = await liveAgainst('correct');
    const failed = checks.filter((c) => c.status !== 'pass');
    expect(failed).toEqual([]);
    expect(checks.map((c) => c.name)).toEqual(
      expect.arrayContaining(['preview answers', '401 without a token', '401 with a wrong token', 'example setosa', 'example virginica', '400 for missing required /instances/0/petal_width']),
    );
    expect(gateway!.requests).toBe(checks.length);
    expect(checks.every((c) => c.part === 'live' && c.durationMs > 0 && /in [\d.]+ ms/.test(c.message))).toBe(true);
  });

  it('fail when the answer violates the output schema, showing the violation', async () => {
    const checks = await liveAgainst('bad-output');
    const example = checks.find((c) => c.name === 'example setosa')!;
    expect(example.status).toBe('fail');
    expect(example.message).toBe('the answer violates the output schema: /predictions/0/label: must be one of "setosa", "versicolor", "virginica"');
    expect(checks.filter((c) => c.name.startsWith('400 for')).every((c) => c.status === 'pass')).toBe(true);
  });

  it('fail against a gateway that accepts everything (no auth, no input validation)', async () => {
    const checks = await liveAgainst('accept-all');
    expect(checks.find((c) => c.name === '401 without a token')).toMatchObject({ status: 'fail', message: expect.stringContaining('expected 401, got HTTP 200') });
    expect(checks.find((c) => c.name === '401 with a wrong token')!.status).toBe('fail');
    const invalid = checks.filter((c) => c.name.startsWith('400 for'));
    expect(invalid.length).toBeGreaterThan(15);
    expect(invalid.every((c) => c.status === 'fail' && c.message.includes('let through a request the input schema rejects'))).toBe(true);
  });

  it('compare numbers with the absolute tolerance', async () => {
    const within = await liveAgainst('drift', 0.0005);
    expect(within.find((c) => c.name === 'example setosa')!.status).toBe('pass');
    await gateway!.close();
    gateway = undefined;

    const beyond = await liveAgainst('drift', 0.01);
    const check = beyond.find((c) => c.name === 'example setosa')!;
    expect(check.status).toBe('fail');
    expect(check.message).toBe('the answer differs from the expected response: /predictions/0/probabilities/setosa: expected 0.97, got 0.98 (tolerance 0.001)');
  });

  it('fail with a hint when nothing answers at the URL', async () => {
    gateway = await startGateway({ mode: 'correct', inputSchema: input.schema as object, examples });
    const url = gateway.url;
    await gateway.close();
    gateway = undefined;
    const checks = await runLiveChecks({ target: { url, token: 'x' }, examples, input, output, tolerance: 0.001, project: 'iris-classifier' });
    expect(checks).toEqual([
      expect.objectContaining({ name: 'preview answers', status: 'fail', message: expect.stringMatching(/ECONNREFUSED.*npx nx run iris-classifier:deploy-preview/) }),
    ]);
  });
});

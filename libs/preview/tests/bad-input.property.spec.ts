import Ajv from 'ajv';
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { isAlive, isOurProcess, linesTo, loadExamples, loadModelConfig, type ModelConfig, type PreviewRecord, readRecord } from '@ephenv/core';
import { expectDocumentedAnswer, hostileRequests, requestOracle, sendRequest, type Json, validIrisRequest } from '@ephenv/gateway/testing';
import { deployPreview, destroyPreview } from '../src';
import { listeningPorts, makeWorkspace, REPO, type TestWorkspace } from '@ephenv/testing';

/** Bad input, through a real local preview: the Python model server and the bundled gateway process. */

const PROJECT = 'iris-bad-input';
const RUNS = 1_000;
const quiet = linesTo(() => undefined);
const schema = (name: string) => JSON.parse(readFileSync(join(REPO, 'apps', 'iris-classifier', 'schemas', name), 'utf8')) as object;
const inputSchema = schema('input.schema.json');
const isValidOutput = new Ajv({ allErrors: true }).compile(schema('output.schema.json'));

let ws: TestWorkspace | undefined;
let record: PreviewRecord;
let config: ModelConfig;
let agent: Agent;
const ref = () => ({ workspaceRoot: ws!.root, project: PROJECT, projectRoot: `apps/${PROJECT}` });

beforeAll(async () => {
  ws = await makeWorkspace([PROJECT]);
  config = loadModelConfig(ws.root, `apps/${PROJECT}`);
  record = await deployPreview(ref(), {}, quiet);
  agent = new Agent({ connections: 4 });
}, 300_000);

afterAll(async () => {
  await agent?.close();
  if (!ws) return;
  try {
    await destroyPreview(ref(), {}, quiet);
    for (const proc of Object.values(record?.processes ?? {})) {
      // Detached process groups: nothing of either may be left, nor anything listening on their ports.
      expect(isAlive(-proc.pid), `process group ${proc.pid}`).toBe(false);
      expect(listeningPorts().has(proc.port), `port ${proc.port}`).toBe(false);
    }
    expect(processesUnder(ws.root)).toEqual([]);
  } finally {
    ws.cleanup();
  }
});

it('previews the iris model as a serverless endpoint, with its 4 MiB body limit', () => {
  expect(config.endpoint.type).toBe('serverless');
  expect(config.maxBodyBytes).toBe(4 * 1024 * 1024);
  expect(record.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
});

it(`answers ${RUNS} random, mutated and hostile requests with the documented 4xx or a valid answer, never a 5xx`, async () => {
  const requests = hostileRequests({ token: record.token, maxBodyBytes: config.maxBodyBytes, validRequest: validIrisRequest });
  const expected = requestOracle({ token: record.token, maxBodyBytes: config.maxBodyBytes, inputSchema });
  const checks = { token: record.token, inputSchema, isValidOutput };
  let served = 0;
  await fc.assert(
    fc.asyncProperty(requests, async (req) => {
      const expectation = expected(req);
      const answer = expectDocumentedAnswer(await sendRequest(record.url, req, agent), expectation, checks);
      if (expectation.status === 200 && expectation.route === '/invocations') {
        served += 1;
        const { instances } = expectation.input as { instances: Json[] };
        expect((answer as { predictions: unknown[] }).predictions).toHaveLength(instances.length);
      }
    }),
    { numRuns: RUNS },
  );
  expect(served).toBeGreaterThan(50);

  // The gateway's log: one line per request, the model called for the valid ones only, no token.
  const log = readFileSync(record.processes!.gateway.log, 'utf8');
  expect(log).not.toContain(record.token);
  const lines = log.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { route?: string; status?: number; modelLatencyMs?: number });
  expect(lines.filter((l) => l.route === '/invocations' && l.modelLatencyMs !== undefined)).toHaveLength(served);
  expect(lines.filter((l) => (l.status ?? 0) >= 500)).toEqual([]);
}, 120_000);

it('keeps serving afterwards: every example answered as documented, by the same model and gateway processes', async () => {
  const { model, gateway } = record.processes!;
  const tolerance = -Math.log10(2 * config.tolerance);
  for (const example of loadExamples(config)) {
    const res = await request(`${record.url}/invocations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${record.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(example.request),
      dispatcher: agent,
    });
    expect(res.statusCode, example.name).toBe(200);
    expect(await res.body.json(), example.name).toEqual(approximately(example.response, tolerance));
  }
  for (const proc of [model, gateway]) expect(isOurProcess(proc.pid, proc.command), `pid ${proc.pid}`).toBe(true);
  expect(readRecord(ws!.root, PROJECT)?.processes).toEqual(record.processes);
  expect(listeningPorts()).toContain(model.port);
  // Bad input never reached the model, so it never had to survive it.
  expect(readFileSync(model.log, 'utf8')).not.toMatch(/Traceback|\bERROR\b/);
});

/** `expected` with every number matched to `precision` digits (vitest's closeTo). */
function approximately(expected: unknown, precision: number): unknown {
  if (typeof expected === 'number') return expect.closeTo(expected, precision);
  if (Array.isArray(expected)) return expected.map((v) => approximately(v, precision));
  if (expected && typeof expected === 'object') return Object.fromEntries(Object.entries(expected).map(([k, v]) => [k, approximately(v, precision)]));
  return expected;
}

/** PIDs of processes whose command line names `dir`: whatever a preview in that workspace started. */
function processesUnder(dir: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(dir);
      } catch {
        return false;
      }
    })
    .map(Number);
}

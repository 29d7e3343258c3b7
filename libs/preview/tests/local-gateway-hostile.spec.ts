import { readFileSync } from 'node:fs';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PreviewRecord } from '@ephenv/core';
import { deployPreview, destroyPreview } from '../src';
import { makeWorkspace, type TestWorkspace } from '@ephenv/testing';
import { linesTo } from '@ephenv/core';

// The attack run that once held a local preview's gateway at 100% CPU for minutes: one
// authenticated request with a huge array. Against a real local preview (the bundled gateway
// process in front of the real Python model server), as deploy-preview starts it.
const quiet = linesTo(() => undefined);
const project = 'iris-hostile';
// The old gateway answered the 40k body after 4.7 s and the 2M body never; the new one must answer
// within 100 ms by its own log line. The client's wall time (loopback transfer included) gets a
// generous bound only, since other test processes share the machine.
const GATEWAY_MS = 100;
const CLIENT_MS = 5_000;

let ws: TestWorkspace;
let record: PreviewRecord;
const ref = () => ({ workspaceRoot: ws.root, project, projectRoot: `apps/${project}` });
const headers = () => ({ authorization: `Bearer ${record.token}`, 'content-type': 'application/json' });

beforeAll(async () => {
  ws = await makeWorkspace([project]);
  record = await deployPreview(ref(), {}, quiet);
}, 300_000);

afterAll(async () => {
  if (ws) {
    await destroyPreview(ref(), {}, quiet);
    ws.cleanup();
  }
});

async function ping(): Promise<number> {
  const res = await request(`${record.url}/ping`, { headers: headers(), headersTimeout: 10_000 });
  await res.body.dump();
  return res.statusCode;
}

/** The gateway's own log line for a request (one JSON line per request in the preview's gateway log). */
function gatewayLine(requestId: string): Record<string, unknown> | undefined {
  return readFileSync(record.processes!.gateway.log, 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .find((line) => line.requestId === requestId);
}

describe('a local preview attacked by an authenticated client', () => {
  it.each([
    ['2,000,000 items (about 4 MB)', 2_000_000],
    ['40,000 items (80 KB)', 40_000],
  ])(`answers {"instances":[1,1,…]} with %s by a 4xx within ${GATEWAY_MS} ms, and /ping during and after`, async (_name, items) => {
    const body = `{"instances":[${Array(items).fill('1').join(',')}]}`;
    // Under the serverless payload limit (4 MiB): it is the array, not the size, that must be refused.
    expect(Buffer.byteLength(body)).toBeLessThan(4 * 1024 * 1024);

    let attacking = true;
    const pings: number[] = [];
    const pinging = (async () => {
      while (attacking) pings.push(await ping());
    })();
    const started = performance.now();
    const res = await request(`${record.url}/invocations`, { method: 'POST', headers: headers(), body, headersTimeout: 30_000, bodyTimeout: 30_000 });
    const answer = (await res.body.json()) as { error: string; requestId: string };
    const clientMs = performance.now() - started;
    attacking = false;
    await pinging;

    expect(res.statusCode).toBe(400);
    expect(answer.error).toMatch(/array of more than 1000 items.*send at most 1000 instances per request/);
    await expect.poll(() => gatewayLine(answer.requestId)).toMatchObject({ status: 400, error: 'schema_violation', route: '/invocations' });
    const line = gatewayLine(answer.requestId)!;
    console.log(JSON.stringify({ items, bytes: body.length, gatewayLatencyMs: line.latencyMs, clientMs: Math.round(clientMs), pingsDuring: pings.length }));
    expect(line.latencyMs).toBeLessThan(GATEWAY_MS);
    expect(clientMs).toBeLessThan(CLIENT_MS);
    expect(pings.length).toBeGreaterThan(0);
    expect(pings.every((status) => status === 200)).toBe(true);
    expect(await ping()).toBe(200);
  }, 120_000);

  it('still serves a valid batch at the limit (1000 instances) afterwards', async () => {
    const instances = Array.from({ length: 1000 }, () => ({ sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 }));
    const res = await request(`${record.url}/invocations`, { method: 'POST', headers: headers(), body: JSON.stringify({ instances }) });
    expect(res.statusCode).toBe(200);
    expect(((await res.body.json()) as { predictions: unknown[] }).predictions).toHaveLength(1000);
  });
});

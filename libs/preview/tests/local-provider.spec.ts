import { appendFileSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAlive, linesTo, loadExamples, loadModelConfig, type PreviewRecord, processesMentioning, readRecord, recordPath } from '@ephenv/core';
import { deployPreview, destroyPreview, previewStatus } from '../src';
import { listeningPorts, makeWorkspace, type TestWorkspace } from '@ephenv/testing';

const quiet = linesTo(() => undefined);

async function call(record: PreviewRecord, path: string, init: { method?: string; body?: string; headers?: Record<string, string> } = {}) {
  const res = await request(`${record.url}${path}`, { method: (init.method ?? 'GET') as 'GET', body: init.body, headers: init.headers });
  const text = await res.body.text();
  return { status: res.statusCode, headers: res.headers, text, json: () => JSON.parse(text) };
}

const auth = (record: PreviewRecord) => ({ authorization: `Bearer ${record.token}`, 'content-type': 'application/json' });

function close(actual: unknown, expected: unknown, tol = 1e-3): boolean {
  if (typeof expected === 'number') return typeof actual === 'number' && Math.abs(actual - expected) <= tol;
  if (Array.isArray(expected)) return Array.isArray(actual) && actual.length === expected.length && expected.every((e, i) => close(actual[i], e, tol));
  if (expected && typeof expected === 'object') {
    const a = actual as Record<string, unknown>;
    return !!a && typeof a === 'object' && Object.keys(expected).length === Object.keys(a).length && Object.entries(expected).every(([k, v]) => close(a[k], v, tol));
  }
  return actual === expected;
}

// A deploy took 10 s (the model server 6.4 s to answer /ping) while five engineers' tests loaded
// the 2-core machine to a load average of 18, against about 1 s idle: the tests here run up to
// three deploys in a row, so each gets 120 s.
describe('local previews', { timeout: 120_000 }, () => {
  let ws: TestWorkspace;
  beforeAll(async () => {
    ws = await makeWorkspace(['iris-a', 'iris-b']);
  }, 300_000);
  afterAll(async () => {
    for (const project of ws.projects) await destroyPreview({ workspaceRoot: ws.root, project, projectRoot: `apps/${project}` }, {}, quiet);
    ws.cleanup();
  });
  const ref = (project: string) => ({ workspaceRoot: ws.root, project, projectRoot: `apps/${project}` });

  it('deploys an authenticated preview that answers every example as it says, and destroys it without leftovers', async () => {
    const record = await deployPreview(ref('iris-a'), { pr: '12' }, quiet);
    expect(record.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(record.pr).toBe('12');
    expect(statSync(recordPath(ws.root, 'iris-a')).mode & 0o777).toBe(0o600);
    expect(readRecord(ws.root, 'iris-a')?.token).toBe(record.token);

    expect((await call(record, '/ping', { headers: auth(record) })).status).toBe(200);
    const config = loadModelConfig(ws.root, 'apps/iris-a');
    for (const example of loadExamples(config)) {
      const res = await call(record, '/invocations', { method: 'POST', body: JSON.stringify(example.request), headers: auth(record) });
      expect(res.status, example.name).toBe(200);
      expect(close(res.json(), example.response), `${example.name}: ${res.text}`).toBe(true);
    }

    const { model, gateway } = record.processes!;
    expect(listeningPorts()).toContain(model.port);
    expect(listeningPorts()).toContain(gateway.port);
    const result = await destroyPreview(ref('iris-a'), {}, quiet);
    expect(result.destroyed).toBe(true);
    expect(isAlive(model.pid)).toBe(false);
    expect(isAlive(gateway.pid)).toBe(false);
    const after = listeningPorts();
    expect(after.has(model.port) || after.has(gateway.port)).toBe(false);
    expect(processesMentioning(ws.root)).toEqual([]);
    expect(readRecord(ws.root, 'iris-a')).toBeUndefined();
  }, 120_000);

  it('refuses a model outside the preview policy before starting any process, naming the rule and the policy', async () => {
    const configFile = join(ws.root, 'apps', 'iris-b', 'ephenv.json');
    const original = readFileSync(configFile, 'utf8');
    writeFileSync(join(ws.root, 'ephenv.policy.json'), JSON.stringify({ maxTtlHours: 24, maxServerlessConcurrency: 2 }));
    writeFileSync(configFile, JSON.stringify({ ...JSON.parse(original), preview: { ttlHours: 48 } }));
    const lines: string[] = [];
    try {
      const error = await deployPreview(ref('iris-b'), {}, linesTo((l) => lines.push(l))).then(() => undefined, (e: Error) => e.message);
      expect(error).toBe(
        'iris-b: ephenv.json asks for more than the preview policy allows; nothing was created.\n' +
          "  apps/iris-b/ephenv.json endpoint.maxConcurrency is 5: the policy's maxServerlessConcurrency allows at most 2\n" +
          "  apps/iris-b/ephenv.json preview.ttlHours is 48: the policy's maxTtlHours allows at most 24\n" +
          'The limits come from ephenv.policy.json in the working tree (no base branch: local use): change ephenv.policy.json at the workspace root (in CI it is read from the base branch), or bring apps/iris-b/ephenv.json within them.',
      );
      expect(lines).toEqual(['ephenv: preview policy: ephenv.policy.json in the working tree (no base branch: local use)']);
      expect(readRecord(ws.root, 'iris-b')).toBeUndefined();
      expect(processesMentioning(ws.root)).toEqual([]);
    } finally {
      writeFileSync(configFile, original);
      rmSync(join(ws.root, 'ephenv.policy.json'));
    }
  });

  it('destroying with nothing deployed succeeds and says so', async () => {
    const result = await destroyPreview(ref('iris-b'), {}, quiet);
    expect(result).toEqual({ destroyed: false, message: 'no local preview of iris-b to destroy' });
  });

  it('answers bad input with the documented 4xx and keeps serving', async () => {
    const record = await deployPreview(ref('iris-a'), {}, quiet);
    const valid = JSON.stringify({ instances: [{ sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 }] });
    const cases: [string, Parameters<typeof call>[2] & { path?: string }, number][] = [
      ['no token', { method: 'POST', body: valid, headers: { 'content-type': 'application/json' } }, 401],
      ['wrong token', { method: 'POST', body: valid, headers: { ...auth(record), authorization: 'Bearer nope' } }, 401],
      ['not bearer', { method: 'POST', body: valid, headers: { ...auth(record), authorization: `Basic ${record.token}` } }, 401],
      ['wrong content type', { method: 'POST', body: valid, headers: { ...auth(record), 'content-type': 'text/plain' } }, 415],
      ['unparsable JSON', { method: 'POST', body: '{"instances": [', headers: auth(record) }, 400],
      ['schema violation', { method: 'POST', body: '{"instances": [{"sepal_length": "long"}]}', headers: auth(record) }, 400],
      ['oversized body', { method: 'POST', body: 'x'.repeat(4 * 1024 * 1024 + 1), headers: auth(record) }, 413],
      ['wrong method', { method: 'GET', headers: auth(record), path: '/invocations' }, 405],
      ['wrong route', { method: 'GET', headers: auth(record), path: '/nope' }, 404],
    ];
    for (const [name, init, status] of cases) {
      const res = await call(record, init.path ?? '/invocations', init);
      expect(res.status, name).toBe(status);
      expect(res.headers['content-type'], name).toMatch(/application\/json/);
      expect(res.json().error, name).toEqual(expect.any(String));
      expect(res.text, name).not.toContain(record.token);
    }
    const after = await call(record, '/invocations', { method: 'POST', body: valid, headers: auth(record) });
    expect(after.status).toBe(200);
  }, 120_000);

  it('answers 502 with a clear message when the model process dies, and destroy still cleans up', async () => {
    const record = await deployPreview(ref('iris-a'), {}, quiet);
    const { model, gateway } = record.processes!;
    process.kill(model.pid, 'SIGKILL');
    while (isAlive(model.pid)) await sleep(20);
    const res = await call(record, '/invocations', { method: 'POST', body: JSON.stringify({ instances: [{ sepal_length: 1, sepal_width: 1, petal_length: 1, petal_width: 1 }] }), headers: auth(record) });
    expect(res.status).toBe(502);
    expect(res.json().error).toMatch(/model/i);
    const status = await previewStatus(ws.root);
    expect(status.find((s) => s.project === 'iris-a')?.health).toBe('unhealthy');
    const result = await destroyPreview(ref('iris-a'), {}, quiet);
    expect(result.message).toMatch(/model \(pid \d+\) already gone/);
    expect(isAlive(gateway.pid)).toBe(false);
    expect(listeningPorts().has(gateway.port)).toBe(false);
  }, 120_000);

  it('a warm re-deploy keeps the model server when its code, model and requirements did not change, and restarts it when they did', async () => {
    const first = await deployPreview(ref('iris-a'), {}, quiet);
    expect(first.deployment).toMatchObject({ modelServer: 'started' });
    const dir = join(ws.root, 'apps', 'iris-a');
    appendFileSync(join(dir, 'tests', 'test_app.py'), '\n# another test\n');
    appendFileSync(join(dir, 'load', 'k6.js'), '\n// more load\n');

    const second = await deployPreview(ref('iris-a'), {}, quiet);
    expect(second.deployment).toMatchObject({ modelServer: 'kept' });
    expect(second.processes!.model).toEqual(first.processes!.model);
    expect(isAlive(first.processes!.model.pid)).toBe(true);
    // The gateway follows the deploy: a new token, a new process; the old one is gone.
    expect(second.token).not.toBe(first.token);
    expect(isAlive(first.processes!.gateway.pid)).toBe(false);
    expect((await call(second, '/ping', { headers: auth(second) })).status).toBe(200);
    expect((await call(second, '/ping', { headers: auth(first) })).status).toBe(401);
    const example = loadExamples(loadModelConfig(ws.root, 'apps/iris-a'))[0];
    expect((await call(second, '/invocations', { method: 'POST', body: JSON.stringify(example.request), headers: auth(second) })).status).toBe(200);

    appendFileSync(join(dir, 'src', 'serve'), '\n# a server change\n');
    const third = await deployPreview(ref('iris-a'), {}, quiet);
    expect(third.deployment).toMatchObject({ modelServer: 'started' });
    expect(third.processes!.model.pid).not.toBe(first.processes!.model.pid);
    for (const proc of Object.values(second.processes!)) expect(isAlive(proc.pid)).toBe(false);
    expect((await call(third, '/ping', { headers: auth(third) })).status).toBe(200);

    // A model server that died is not kept, even when nothing changed.
    process.kill(third.processes!.model.pid, 'SIGKILL');
    while (isAlive(third.processes!.model.pid)) await sleep(20);
    const fourth = await deployPreview(ref('iris-a'), {}, quiet);
    expect(fourth.deployment).toMatchObject({ modelServer: 'started' });
    expect((await call(fourth, '/ping', { headers: auth(fourth) })).status).toBe(200);
    await destroyPreview(ref('iris-a'), {}, quiet);
    for (const proc of Object.values(fourth.processes!)) expect(isAlive(proc.pid)).toBe(false);
    expect(processesMentioning(ws.root)).toEqual([]);
  }, 240_000);

  it('runs two models at once without colliding on ports, records or logs', async () => {
    const [a, b] = await Promise.all([deployPreview(ref('iris-a'), {}, quiet), deployPreview(ref('iris-b'), {}, quiet)]);
    const ports = [a, b].flatMap((r) => [r.processes!.model.port, r.processes!.gateway.port]);
    expect(new Set(ports).size).toBe(4);
    expect(a.processes!.model.log).not.toBe(b.processes!.model.log);
    expect(a.token).not.toBe(b.token);
    expect((await call(a, '/ping', { headers: auth(b) })).status).toBe(401);
    for (const r of [a, b]) expect((await call(r, '/ping', { headers: auth(r) })).status).toBe(200);
    await destroyPreview(ref('iris-a'), {}, quiet);
    expect((await call(b, '/ping', { headers: auth(b) })).status).toBe(200);
    await destroyPreview(ref('iris-b'), {}, quiet);
  }, 120_000);

  it('detects and cleans a stale record whose processes are gone', async () => {
    const record = await deployPreview(ref('iris-b'), {}, quiet);
    for (const proc of Object.values(record.processes!)) process.kill(proc.pid, 'SIGKILL');
    await sleep(200);
    const status = await previewStatus(ws.root);
    expect(status.find((s) => s.project === 'iris-b')).toMatchObject({ health: 'stale' });
    expect(readRecord(ws.root, 'iris-b')).toBeUndefined();
  }, 120_000);
});

import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { runEmbedded, type EmbeddedRunResult } from '../src/engine/run-embedded';
import { resolveScenario } from '../src/scenario';
import type { CounterSink, GaugeSink, RateSink, TrendSink } from '../src/sinks';
import { parseThresholds } from '../src/thresholds/thresholds';
import { EMBEDDED_METRICS, EMBEDDED_TAGS } from '../src/metrics';
import { json, PREDICTION, startLoopbackServer, type LoopbackServer } from './helpers/loopback-server';

const TOKEN = 'test-token-0123456789';
const BODIES = [Buffer.from(JSON.stringify({ instances: [{ sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 }] }))];

let server: LoopbackServer | undefined;
const held: ServerResponse[] = [];
afterEach(async () => {
  for (const res of held.splice(0)) res.destroy();
  await server?.close();
  server = undefined;
});

const trend = (r: EmbeddedRunResult, name: string) => r.registry.sink(name) as TrendSink;
const counter = (r: EmbeddedRunResult, name: string) => r.registry.sink(name) as CounterSink;
const rate = (r: EmbeddedRunResult, name: string) => r.registry.sink(name) as RateSink;
const thresholds = (config: Parameters<typeof parseThresholds>[0]) =>
  parseThresholds(config, { metrics: EMBEDDED_METRICS, strict: true, tags: (m) => EMBEDDED_TAGS[m], engine: 'embedded' });

describe('embedded engine against a loopback server', () => {
  // A loaded machine delays answers now and then: an iteration then finds no free VU, is dropped,
  // and one more VU is allocated. The second case forces that, so the assertions must allow it.
  it.each([
    { load: 'an idle server', stallMs: 0 },
    { load: 'a server that stalls 300 ms once', stallMs: 300 },
  ])('runs rate x duration iterations, counts 5xx as failed requests, bytes both ways and checks ($load)', async ({ stallMs }) => {
    let stallUntil = 0;
    server = await startLoopbackServer((req, res, n) => {
      if (req.headers.authorization !== `Bearer ${TOKEN}`) return json(res, 401, { error: 'unauthorized' });
      if (stallMs > 0 && n === 20) stallUntil = Date.now() + stallMs;
      const answer = () => (n % 5 === 0 ? json(res, 500, { error: 'model failed' }) : json(res, 200, PREDICTION));
      const wait = stallUntil - Date.now();
      if (wait > 0) setTimeout(answer, wait);
      else answer();
    });
    const { plan } = resolveScenario({ executor: 'constant-arrival-rate', rate: 50, duration: '2s', preAllocatedVUs: 5, maxVUs: 10 });
    const r = await runEmbedded({ url: server.url, token: TOKEN, bodies: BODIES, plan, thresholds: [] });

    const reqs = counter(r, 'http_reqs').value;
    const dropped = counter(r, 'dropped_iterations').value;
    // Every scheduled iteration either ran or was dropped: 50/s for 2s = 100.
    expect(reqs + dropped).toBe(100);
    if (stallMs > 0) expect(dropped).toBeGreaterThan(0);
    expect(counter(r, 'iterations').value).toBe(reqs);
    expect(server.received).toHaveLength(reqs);
    expect(server.received.every((x) => x.authorization === `Bearer ${TOKEN}` && x.body === BODIES[0].toString())).toBe(true);

    const serverErrors = Math.floor(reqs / 5);
    const failed = rate(r, 'http_req_failed');
    expect([failed.trues, failed.total]).toEqual([serverErrors, reqs]);
    expect(r.checks).toEqual([
      { name: 'status is 200', passes: reqs - serverErrors, fails: serverErrors },
      { name: 'body is valid JSON', passes: reqs, fails: 0 },
    ]);
    expect(rate(r, 'checks').total).toBe(2 * reqs);

    expect(counter(r, 'data_sent').value).toBeGreaterThan(reqs * BODIES[0].length);
    expect(counter(r, 'data_received').value).toBeGreaterThan(reqs * JSON.stringify(PREDICTION).length * 0.8);
    expect(trend(r, 'http_req_duration').count).toBe(reqs);
    expect(trend(r, 'http_req_waiting').count).toBe(reqs);
    expect(trend(r, 'iteration_latency_from_schedule').min).toBeGreaterThanOrEqual(trend(r, 'http_req_duration').min);
    expect(r.testRunDurationMs).toBeGreaterThanOrEqual(1990);
    expect(r.testRunDurationMs).toBeLessThan(2000 + plan.gracefulStopMs);
    // k6 guarantees: vus_max starts at preAllocatedVUs, grows by at most one VU per dropped
    // iteration, never past maxVUs.
    const vusMax = (r.registry.sink('vus_max') as GaugeSink).value;
    if (dropped === 0) expect(vusMax).toBe(5);
    else expect([vusMax >= 6, vusMax <= Math.min(10, 5 + dropped)]).toEqual([true, true]);
  });

  it("times requests in k6's phases: connecting and blocked apart, duration = sending + waiting + receiving", async () => {
    server = await startLoopbackServer((_req, res) => setTimeout(() => json(res, 200, PREDICTION), 5));
    const { plan } = resolveScenario({ executor: 'constant-arrival-rate', rate: 20, duration: '1s', preAllocatedVUs: 2, maxVUs: 2 });
    const r = await runEmbedded({ url: server.url, token: TOKEN, bodies: BODIES, plan, thresholds: [] });
    const reqs = counter(r, 'http_reqs').value;
    const phase = (name: string) => trend(r, `http_req_${name}`);
    for (const name of ['duration', 'blocked', 'connecting', 'tls_handshaking', 'sending', 'waiting', 'receiving']) {
      expect(phase(name).count, name).toBe(reqs);
    }
    // One or two connections were opened (2 VUs), every other request reused one.
    expect(phase('connecting').max).toBeGreaterThan(0);
    expect(phase('connecting').p(0.5)).toBe(0);
    expect(phase('tls_handshaking').max).toBe(0); // plain HTTP
    const sum = (name: string) => phase(name).sum;
    expect(sum('duration')).toBeCloseTo(sum('sending') + sum('waiting') + sum('receiving'), 6);
    expect(phase('waiting').min).toBeGreaterThanOrEqual(4.5); // the server answers after 5 ms
    // The iteration spans all phases; the request's duration leaves out blocked and connecting.
    const iteration = trend(r, 'iteration_duration').sum;
    expect(iteration).toBeGreaterThanOrEqual(sum('duration') + sum('connecting') + sum('blocked') - 0.5);
  });

  it('gives each VU a connection of its own and takes free VUs in turn, as k6 does; each VU cycles the examples by its own iteration count', async () => {
    server = await startLoopbackServer((_req, res) => json(res, 200, PREDICTION));
    const bodies = [Buffer.from('{"instances":[1]}'), Buffer.from('{"instances":[2]}'), Buffer.from('{"instances":[3]}')];
    const { plan } = resolveScenario({ executor: 'constant-arrival-rate', rate: 40, duration: '1s', preAllocatedVUs: 4, maxVUs: 4 });
    const r = await runEmbedded({ url: server.url, token: TOKEN, bodies, plan, thresholds: [] });
    const received = server.received;
    expect(received.length).toBe(counter(r, 'http_reqs').value);
    expect(received.length).toBeGreaterThanOrEqual(20);
    // The four pre-allocated VUs start the first four iterations, each on its own connection
    // (k6 measured: 5 VUs at 20/s send on 5 connections in turn), and no VU opens a second one.
    expect(new Set(received.slice(0, 4).map((x) => x.port)).size).toBe(4);
    expect(new Set(received.map((x) => x.port)).size).toBe(4);
    // The k-th request on a connection is its VU's k-th iteration: bodies[k % 3] (load/k6.js's
    // `bodies[__ITER % bodies.length]`).
    const sentOn = new Map<number, number>();
    for (const x of received) {
      const k = sentOn.get(x.port) ?? 0;
      sentOn.set(x.port, k + 1);
      expect(x.body).toBe(bodies[k % 3].toString());
    }
  });

  it('a 1s server stall shows in p99 from the scheduled start, and iterations that found no free VU are dropped', async () => {
    let stallUntil = 0;
    let stalled = false;
    const t0 = Date.now();
    server = await startLoopbackServer((_req, res) => {
      const now = Date.now();
      if (!stalled && now - t0 > 1000) {
        stalled = true;
        stallUntil = now + 1000;
      }
      // every request arriving during the stall is answered when it ends
      if (now < stallUntil) setTimeout(() => json(res, 200, PREDICTION), stallUntil - now);
      else json(res, 200, PREDICTION);
    });
    const { plan } = resolveScenario({ executor: 'constant-arrival-rate', rate: 50, duration: '3s', preAllocatedVUs: 2, maxVUs: 3 });
    const r = await runEmbedded({ url: server.url, token: TOKEN, bodies: BODIES, plan, thresholds: [] });

    const dropped = counter(r, 'dropped_iterations').value;
    const ran = counter(r, 'iterations').value;
    expect(ran + dropped).toBe(150);
    // ~50 iterations fall due during the stall while its 3 VUs wait
    expect(dropped).toBeGreaterThanOrEqual(35);
    expect(dropped).toBeLessThanOrEqual(55);
    expect((r.registry.sink('vus_max') as GaugeSink).value).toBe(3); // grew from preAllocatedVUs to maxVUs

    const fromSchedule = trend(r, 'iteration_latency_from_schedule');
    expect(fromSchedule.p(0.99)).toBeGreaterThan(900);
    expect(fromSchedule.max).toBeGreaterThan(950);
    expect(fromSchedule.p(0.5)).toBeLessThan(100);
    expect(trend(r, 'http_req_duration').max).toBeGreaterThan(950);
  });

  it('gives in-flight iterations gracefulStop to finish, then interrupts them without counting them', async () => {
    server = await startLoopbackServer((_req, res, n) => {
      if (n === 3) held.push(res); // never answered
      else json(res, 200, PREDICTION);
    });
    const { plan } = resolveScenario({ executor: 'constant-arrival-rate', rate: 10, duration: '1s', preAllocatedVUs: 2, gracefulStop: '300ms' });
    const r = await runEmbedded({ url: server.url, token: TOKEN, bodies: BODIES, plan, thresholds: [] });
    expect(counter(r, 'iterations').value).toBe(9);
    expect(counter(r, 'http_reqs').value).toBe(9);
    expect(r.testRunDurationMs).toBeGreaterThanOrEqual(1290);
    expect(r.testRunDurationMs).toBeLessThan(2000);
    expect(r.aborted).toBeUndefined();
  });

  it('network errors are failed requests with status 0 (k6 semantics)', async () => {
    server = await startLoopbackServer((_req, res) => json(res, 200, PREDICTION));
    const url = server.url;
    await server.close();
    server = undefined;
    const { plan } = resolveScenario({ executor: 'constant-arrival-rate', rate: 20, duration: '1s', preAllocatedVUs: 2 });
    const r = await runEmbedded({
      url,
      token: TOKEN,
      bodies: BODIES,
      plan,
      thresholds: thresholds({ 'http_reqs{status:0}': ['count>0'] }),
    });
    const failed = rate(r, 'http_req_failed');
    expect(failed.total).toBeGreaterThan(0);
    expect(failed.trues).toBe(failed.total);
    expect((r.registry.sink('http_reqs{status:0}') as CounterSink).value).toBe(failed.total);
    expect(r.checks.every((c) => c.passes === 0)).toBe(true);
  });

  it('abortOnFail stops the run at the first evaluation (every 2s) past delayAbortEval', async () => {
    server = await startLoopbackServer((_req, res) => json(res, 503, { error: 'unavailable' }));
    const { plan } = resolveScenario({ executor: 'constant-arrival-rate', rate: 20, duration: '20s', preAllocatedVUs: 2 });

    const now = await runEmbedded({ url: server.url, token: TOKEN, bodies: BODIES, plan, thresholds: thresholds({ http_req_failed: [{ threshold: 'rate<0.01', abortOnFail: true }] }) });
    expect(now.aborted).toMatch(/thresholds on metrics 'http_req_failed' were crossed; at least one has abortOnFail enabled/);
    expect(now.testRunDurationMs).toBeGreaterThan(1900);
    expect(now.testRunDurationMs).toBeLessThan(3000);

    const delayed = await runEmbedded({
      url: server.url,
      token: TOKEN,
      bodies: BODIES,
      plan,
      thresholds: thresholds({ http_req_failed: [{ threshold: 'rate<0.01', abortOnFail: true, delayAbortEval: '3s' }] }),
    });
    // evaluated at 2s (3s delay not passed yet), then at 4s
    expect(delayed.aborted).toBeDefined();
    expect(delayed.testRunDurationMs).toBeGreaterThan(3900);
    expect(delayed.testRunDurationMs).toBeLessThan(5000);
  });

  it('constant-vus loops each VU back to back, with no schedule to drop from', async () => {
    server = await startLoopbackServer((_req, res) => setTimeout(() => json(res, 200, PREDICTION), 10));
    const { plan } = resolveScenario({ executor: 'constant-vus', vus: 3, duration: '1s' });
    const r = await runEmbedded({ url: server.url, token: TOKEN, bodies: BODIES, plan, thresholds: [] });
    const iterations = counter(r, 'iterations').value;
    // Each VU loops (more than one iteration each), and no faster than the server's 10 ms allow:
    // at most 3 VUs x 1000 ms / 10 ms. How many fit in between depends on the machine's load.
    expect(iterations).toBeGreaterThan(6);
    expect(iterations).toBeLessThanOrEqual(300);
    expect(counter(r, 'dropped_iterations').isEmpty()).toBe(true);
    expect((r.registry.sink('vus_max') as GaugeSink).value).toBe(3);
  });

  it('an abort signal ends the run at once and keeps what was measured', async () => {
    server = await startLoopbackServer((_req, res) => json(res, 200, PREDICTION));
    const { plan } = resolveScenario({ executor: 'constant-arrival-rate', rate: 20, duration: '30s', preAllocatedVUs: 2 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 500);
    const r = await runEmbedded({ url: server.url, token: TOKEN, bodies: BODIES, plan, thresholds: [], signal: controller.signal });
    expect(r.aborted).toBe('the run was interrupted');
    expect(r.testRunDurationMs).toBeLessThan(1000);
    expect(counter(r, 'iterations').value).toBeGreaterThanOrEqual(9);
  });
});

import type { ScenarioConfig, ThresholdSpec } from '@ephenv/core';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import { runBenchmark, type BenchmarkContext } from '../src/run-benchmark';
import type { BenchmarkSummary } from '../src/summary';
import { json, PREDICTION, startLoopbackServer, type LoopbackServer } from './helpers/loopback-server';
import { createFakeK6, createWorkspace, EXAMPLES, type TestWorkspace } from './helpers/workspace';

const TOKEN = 'preview-token-5f3a9c';
const LOAD: { scenario: ScenarioConfig; thresholds: Record<string, ThresholdSpec[]> } = {
  scenario: { executor: 'constant-arrival-rate', rate: 40, duration: '30s', preAllocatedVUs: 4, maxVUs: 8, gracefulStop: '5s' },
  thresholds: { http_req_duration: ['p(95)<500', 'p(99.9)<2000'], http_req_failed: ['rate<0.01'], checks: ['rate>0.99'] },
};

let server: LoopbackServer;
let failEvery = 0;
let delayMs = 0;
const workspaces: TestWorkspace[] = [];

beforeAll(async () => {
  server = await startLoopbackServer((req, res, n) => {
    if (req.headers.authorization !== `Bearer ${TOKEN}`) return json(res, 401, { error: 'unauthorized' });
    if (failEvery > 0 && n % failEvery === 0) return json(res, 502, { error: 'model error' });
    if (delayMs > 0) setTimeout(() => json(res, 200, PREDICTION), delayMs);
    else json(res, 200, PREDICTION);
  });
});
afterAll(() => server.close());
afterEach(() => {
  failEvery = 0;
  delayMs = 0;
  server.received.length = 0;
  for (const w of workspaces.splice(0)) w.remove();
});

function workspace(load = LOAD, k6Script?: string): TestWorkspace {
  const w = createWorkspace(load, k6Script);
  workspaces.push(w);
  return w;
}

function io() {
  const out: string[] = [];
  const err: string[] = [];
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  stdout.on('data', (c: Buffer) => out.push(c.toString()));
  stderr.on('data', (c: Buffer) => err.push(c.toString()));
  return { stdout, stderr, out: () => out.join(''), err: () => err.join('') };
}

const ctx = (w: TestWorkspace, streams: ReturnType<typeof io>, env: NodeJS.ProcessEnv = { PATH: '' }): BenchmarkContext => ({
  workspaceRoot: w.root,
  projectRoot: w.projectRoot,
  project: w.project,
  env,
  stdout: streams.stdout,
  stderr: streams.stderr,
});

describe('runBenchmark with the embedded engine', () => {
  it('passes its thresholds: exit 0, benchmark.json in k6 summary shape, summary on stdout, progress on stderr', async () => {
    const w = workspace();
    w.recordPreview(server.url, TOKEN);
    const s = io();
    const result = await runBenchmark({ duration: '2s', rate: 25 }, ctx(w, s));

    expect(result.exitCode).toBe(0);
    expect(result.summaryFile).toBe(join(w.root, 'dist', 'ephenv', w.project, 'benchmark.json'));
    const written = JSON.parse(readFileSync(result.summaryFile, 'utf8')) as BenchmarkSummary;
    expect(written.metrics.http_reqs.values.count + (written.metrics.dropped_iterations?.values.count ?? 0)).toBe(50);
    expect(written.metrics.http_req_duration).toMatchObject({ type: 'trend', contains: 'time', thresholds: { 'p(95)<500': { ok: true }, 'p(99.9)<2000': { ok: true } } });
    expect(Object.keys(written.metrics.http_req_duration.values)).toEqual(['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)', 'count', 'p(99.9)']);
    expect(written.metrics.http_req_failed.values).toEqual({ rate: 0, passes: 0, fails: written.metrics.http_reqs.values.count });
    expect(written.options.summaryTrendStats).toContain('p(99.9)');
    expect(written.root_group.checks.map((c) => c.name)).toEqual(['status is 200', 'body is valid JSON']);
    expect(written.ephenv).toMatchObject({
      engine: 'embedded',
      project: w.project,
      url: server.url,
      scenario: { executor: 'constant-arrival-rate', rate: 25, duration: '2s' },
      scenarioDescription: '25 iterations/s for 2s (maxVUs: 4-8)',
      thresholds: { ok: true, failed: [] },
    });
    expect(JSON.stringify(written)).not.toContain(TOKEN);

    // each VU (one connection each) goes round the examples, as load/k6.js's bodies[__ITER % n]
    const sentOn = new Map<number, number>();
    for (const r of server.received) {
      const k = sentOn.get(r.port) ?? 0;
      sentOn.set(r.port, k + 1);
      expect(JSON.parse(r.body)).toEqual(k % 2 === 0 ? EXAMPLES.setosa.request : EXAMPLES.virginica.request);
    }
    expect([...sentOn.values()].some((k) => k > 1)).toBe(true);

    expect(s.out()).toContain('█ THRESHOLDS');
    expect(s.out()).toMatch(/✓ 'p\(95\)<500' p\(95\)=[\d.]+(µs|ms)/);
    expect(s.out()).toContain('✓ all thresholds passed');
    expect(s.err()).toMatch(/running \(2s\/2s\): [\d.]+ req\/s {2}p95 [\d.]+(µs|ms) {2}errors 0\.00% \(0\/\d+\)/);
    expect(s.err()).toContain('k6 not found on PATH: using the embedded engine');
    expect(result.markdown).toContain('### Benchmark: iris-demo — ✅ thresholds met');
  });

  it('fails its thresholds with exit code 99 and names the failing expressions', async () => {
    failEvery = 4;
    const w = workspace();
    w.recordPreview(server.url, TOKEN);
    const s = io();
    const result = await runBenchmark({ duration: '1s', rate: 40, thresholds: { 'http_reqs{status:502}': ['count<1'] } }, ctx(w, s));

    expect(result.exitCode).toBe(99);
    expect(result.summary.ephenv.thresholds.failed).toEqual(['checks: rate>0.99', 'http_req_failed: rate<0.01', 'http_reqs{status:502}: count<1']);
    expect(result.summary.metrics['http_reqs{status:502}'].values.count).toBe(10);
    expect(s.out()).toContain("✗ 'rate<0.01' rate=25.00%");
    expect(s.out()).toContain("✗ 'count<1' count=10");
    expect(s.out()).toContain('✗ thresholds failed: checks: rate>0.99; http_req_failed: rate<0.01; http_reqs{status:502}: count<1');
    expect(result.markdown).toContain('❌ 3 thresholds failed');
    expect(result.markdown).toContain('| http_req_failed | `rate<0.01` | rate=25.00% | ❌ |');
  });

  it('checks thresholds before sending a single request', async () => {
    const w = workspace({ ...LOAD, thresholds: { http_req_duration: ['p(95)<<200'] } });
    w.recordPreview(server.url, TOKEN);
    await expect(runBenchmark({ duration: '1s' }, ctx(w, io()))).rejects.toThrow(/invalid threshold on metric "http_req_duration": threshold expression "p\(95\)<<200"/);
    const w2 = workspace({ ...LOAD, thresholds: { http_req_failed: ['p(95)<1'] } });
    w2.recordPreview(server.url, TOKEN);
    await expect(runBenchmark({ duration: '1s' }, ctx(w2, io()))).rejects.toThrow(/rate metric does not support/);
    await expect(runBenchmark({ duration: '1s', thresholds: '{"http_req_duration": ["p(95)<x"]}' }, ctx(w, io()))).rejects.toThrow(/"x" is not a number/);
    await expect(runBenchmark({ duration: '1s', thresholds: 'p(95)<200' }, ctx(w, io()))).rejects.toThrow(/--thresholds is not JSON/);
    expect(server.received).toHaveLength(0);
  });

  it('without a preview, says to deploy one first', async () => {
    const w = workspace();
    await expect(runBenchmark({}, ctx(w, io()))).rejects.toThrow('no preview of iris-demo is running: start one with "npx nx run iris-demo:deploy-preview"');
  });

  it('--url with EPHENV_TOKEN benchmarks another endpoint; a wrong token shows as failed requests', async () => {
    const w = workspace();
    const s = io();
    const ok = await runBenchmark({ url: server.url, duration: '1s', rate: 10 }, ctx(w, s, { PATH: '', EPHENV_TOKEN: TOKEN }));
    expect(ok.exitCode).toBe(0);
    const bad = await runBenchmark({ url: server.url, duration: '1s', rate: 10 }, ctx(w, io(), { PATH: '', EPHENV_TOKEN: 'wrong' }));
    expect(bad.exitCode).toBe(99);
    expect(bad.summary.metrics.http_req_failed.values.rate).toBe(1);
    await expect(runBenchmark({ url: server.url }, ctx(w, io(), { PATH: '' }))).rejects.toThrow(/no token for .*set EPHENV_TOKEN/);
  });

  it('compares with a baseline and shows the deltas in the markdown', async () => {
    const w = workspace();
    w.recordPreview(server.url, TOKEN);
    const first = await runBenchmark({ duration: '1s', rate: 20 }, ctx(w, io()));
    const baselineFile = join(w.root, 'main-benchmark.json');
    writeFileSync(baselineFile, readFileSync(first.summaryFile));
    // this branch's model got 20 ms slower than main's
    delayMs = 20;

    const second = await runBenchmark({ duration: '1s', rate: 20, baseline: baselineFile, tolerance: 0.1 }, ctx(w, io()));
    expect(second.exitCode).toBe(0);
    expect(second.summary.ephenv.baseline?.rows.find((r) => r.label === 'p95 latency')?.regression).toBe(true);
    expect(second.markdown).toContain('Compared with the baseline');
    expect(second.markdown).toMatch(/\| p95 latency \| .* \| .* \| \+[\d.]+% \| 🔺 regression \|/);
    const written = JSON.parse(readFileSync(second.summaryFile, 'utf8')) as BenchmarkSummary;
    expect(written.ephenv.baseline?.regressed).toBe(true);

    const strict = await runBenchmark({ duration: '1s', rate: 20, baseline: baselineFile, failOnRegression: true }, ctx(w, io()));
    expect(strict.exitCode).toBe(1);
    await expect(runBenchmark({ baseline: join(w.root, 'missing.json') }, ctx(w, io()))).rejects.toThrow(/cannot read the baseline .*file not found/);
  });
});

describe('runBenchmark with the k6 engine', () => {
  const K6_SCRIPT = '// generated load/k6.js\n';

  it('--engine k6 without the binary says how to install k6 or use the embedded engine', async () => {
    const w = workspace(LOAD, K6_SCRIPT);
    w.recordPreview(server.url, TOKEN);
    await expect(runBenchmark({ engine: 'k6' }, ctx(w, io()))).rejects.toThrow(/the k6 binary is not on PATH\. Install k6 .*--engine embedded/);
  });

  it('auto picks k6 when it is on PATH, passes scenario and thresholds, and reads its summary', async () => {
    const w = workspace(LOAD, K6_SCRIPT);
    w.recordPreview(server.url, TOKEN);
    const bin = createFakeK6(w.root);
    const record = join(w.root, 'k6-record.json');
    const s = io();
    const env = { PATH: `${bin}:${process.env.PATH}`, FAKE_K6_RECORD: record, FAKE_K6_FIXTURE: join(__dirname, 'fixtures', 'k6-handle-summary.json') };
    const result = await runBenchmark({ rate: 30, thresholds: { my_trend: ['p(99)<100'] } }, ctx(w, s, env));

    const seen = JSON.parse(readFileSync(record, 'utf8'));
    // Every sample streamed to a file for the per-second timeline, read and removed after the run.
    const samples = join(w.root, 'dist', 'ephenv', w.project, 'k6-samples.json');
    expect(seen.argv).toEqual(['run', '--no-usage-report', '--out', `json=${samples}`, join(w.root, w.projectRoot, 'load', 'k6.js')]);
    expect(existsSync(samples)).toBe(false);
    expect(seen.argv.join(' ')).not.toContain(TOKEN);
    expect(seen).toMatchObject({ BASE_URL: server.url, TOKEN, cwd: join(w.root, w.projectRoot) });
    expect(seen.EPHENV_OPTIONS).toEqual({
      scenario: { ...LOAD.scenario, rate: 30 },
      thresholds: { ...LOAD.thresholds, my_trend: ['p(99)<100'] },
      summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)', 'count', 'p(99.9)'],
    });
    expect(seen.EXAMPLE_FILES).toEqual(['setosa', 'virginica'].map((n) => join(w.root, w.projectRoot, 'schemas', 'examples', `${n}.json`)));

    expect(result.exitCode).toBe(0);
    expect(result.summary.ephenv.engine).toBe('k6');
    expect(result.summary.metrics.http_reqs.values.count).toBe(600);
    expect(existsSync(join(w.root, 'dist', 'ephenv', w.project, 'benchmark.json'))).toBe(true);
    expect(s.err()).toContain('fake k6 ran');
  });

  it('exit 99 from k6 with failed thresholds in its summary gives exit 99', async () => {
    const w = workspace(LOAD, K6_SCRIPT);
    w.recordPreview(server.url, TOKEN);
    const bin = createFakeK6(w.root);
    const fixture = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'k6-handle-summary.json'), 'utf8'));
    fixture.metrics.http_req_failed.thresholds['rate<0.01'].ok = false;
    const failing = join(w.root, 'failing.json');
    writeFileSync(failing, JSON.stringify(fixture));
    const env = { PATH: `${bin}:${process.env.PATH}`, FAKE_K6_RECORD: join(w.root, 'r.json'), FAKE_K6_FIXTURE: failing, FAKE_K6_EXIT: '99' };
    const result = await runBenchmark({ engine: 'k6' }, ctx(w, io(), env));
    expect(result.exitCode).toBe(99);
    expect(result.summary.ephenv.thresholds.failed).toEqual(['http_req_failed: rate<0.01']);
  });

  it('k6 failing without a summary is an error with its exit code', async () => {
    const w = workspace(LOAD, K6_SCRIPT);
    w.recordPreview(server.url, TOKEN);
    const bin = createFakeK6(w.root);
    const env = { PATH: `${bin}:${process.env.PATH}`, FAKE_K6_RECORD: join(w.root, 'r.json'), FAKE_K6_EXIT: '107' };
    await expect(runBenchmark({ engine: 'k6' }, ctx(w, io(), env))).rejects.toThrow(/k6 exited with code 107 for iris-demo/);
  });
});

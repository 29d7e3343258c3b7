import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildK6Invocation, findK6, K6Error, readK6Summary, spawnK6, type K6RunInput } from '../src/k6-runner';
import { renderMarkdown } from '../src/render-markdown';
import { renderSummary } from '../src/render-summary';
import { failedThresholds, type BenchmarkSummary } from '../src/summary';
import { createFakeK6 } from './helpers/workspace';

const FIXTURE = join(__dirname, 'fixtures', 'k6-handle-summary.json');
const tmp = mkdtempSync(join(tmpdir(), 'ephenv-k6-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const input = (overrides: Partial<K6RunInput> = {}): K6RunInput => ({
  k6: '/usr/local/bin/k6',
  script: '/ws/apps/iris/load/k6.js',
  baseUrl: 'http://127.0.0.1:9000',
  token: 'secret-token-abc123',
  options: {
    scenario: { executor: 'constant-arrival-rate', rate: 20, duration: '30s', preAllocatedVUs: 5 },
    thresholds: { http_req_duration: ['p(95)<200'], http_req_failed: [{ threshold: 'rate<0.01', abortOnFail: true }] },
    summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)', 'count'],
  },
  exampleFiles: ['/ws/apps/iris/schemas/examples/setosa.json', '/ws/apps/iris/schemas/examples/virginica.json'],
  summaryPath: '/ws/dist/ephenv/iris/k6-summary.json',
  cwd: '/ws/apps/iris',
  env: { PATH: '/usr/bin', HOME: '/home/u' },
  ...overrides,
});

describe('k6 invocation', () => {
  it('runs `k6 run <script>` and passes everything else, the token included, through the environment', () => {
    const inv = buildK6Invocation(input());
    expect(inv.command).toBe('/usr/local/bin/k6');
    expect(inv.args).toEqual(['run', '--no-usage-report', '/ws/apps/iris/load/k6.js']);
    expect(inv.args.join(' ')).not.toContain('secret-token-abc123');
    expect(inv.cwd).toBe('/ws/apps/iris');
    expect(inv.env).toMatchObject({
      PATH: '/usr/bin',
      HOME: '/home/u',
      BASE_URL: 'http://127.0.0.1:9000',
      TOKEN: 'secret-token-abc123',
      EPHENV_SUMMARY: '/ws/dist/ephenv/iris/k6-summary.json',
    });
    expect(JSON.parse(inv.env.EPHENV_OPTIONS!)).toEqual(input().options);
    expect(inv.env.EXAMPLE_FILES).toBe('/ws/apps/iris/schemas/examples/setosa.json,/ws/apps/iris/schemas/examples/virginica.json');
  });

  it('refuses an example path EXAMPLE_FILES could not carry', () => {
    expect(() => buildK6Invocation(input({ exampleFiles: ['/ws/a,b.json'] }))).toThrow(/example file \/ws\/a,b\.json: a comma in its path/);
  });

  it('finds an executable k6 on PATH, skipping folders without one and non-executable files', () => {
    const empty = join(tmp, 'empty');
    const notExec = join(tmp, 'not-exec');
    mkdirSync(empty, { recursive: true });
    mkdirSync(notExec, { recursive: true });
    writeFileSync(join(notExec, 'k6'), 'not a program');
    chmodSync(join(notExec, 'k6'), 0o644);
    const bin = createFakeK6(tmp);
    expect(findK6({ PATH: [empty, notExec].join(':') })).toBeUndefined();
    expect(findK6({ PATH: [empty, notExec, bin].join(':') })).toBe(join(bin, 'k6'));
    expect(findK6({})).toBeUndefined();
  });

  it('spawns k6 and reports its exit code; the recorded environment matches the contract', async () => {
    const bin = createFakeK6(tmp);
    const record = join(tmp, 'record.json');
    const summaryPath = join(tmp, 'k6-summary.json');
    const chunks: Buffer[] = [];
    const output = new (await import('node:stream')).PassThrough();
    output.on('data', (c: Buffer) => chunks.push(c));
    const inv = buildK6Invocation(
      input({
        k6: join(bin, 'k6'),
        summaryPath,
        cwd: tmp,
        env: { PATH: process.env.PATH, FAKE_K6_RECORD: record, FAKE_K6_FIXTURE: FIXTURE, FAKE_K6_EXIT: '99' },
      }),
    );
    expect(await spawnK6(inv, { output })).toBe(99);
    const seen = JSON.parse(readFileSync(record, 'utf8'));
    expect(seen.argv).toEqual(['run', '--no-usage-report', '/ws/apps/iris/load/k6.js']);
    expect(seen.TOKEN).toBe('secret-token-abc123');
    expect(seen.EPHENV_OPTIONS.scenario.executor).toBe('constant-arrival-rate');
    expect(Buffer.concat(chunks).toString()).toContain('fake k6 ran');
    expect(readK6Summary(summaryPath).metrics.http_reqs.values.count).toBe(600);
  });

  it('an abort reaches k6 as one SIGINT, after which it still writes its summary', async () => {
    const bin = createFakeK6(tmp);
    const record = join(tmp, 'interrupted.json');
    const summaryPath = join(tmp, 'interrupted-summary.json');
    const output = new (await import('node:stream')).PassThrough();
    const started = new Promise<void>((resolve) => output.on('data', (c: Buffer) => c.toString().includes('running') && resolve()));
    const inv = buildK6Invocation(
      input({ k6: join(bin, 'k6'), summaryPath, cwd: tmp, env: { PATH: process.env.PATH, FAKE_K6_RECORD: record, FAKE_K6_FIXTURE: FIXTURE, FAKE_K6_UNTIL_SIGINT: '1' } }),
    );
    const controller = new AbortController();
    const exited = spawnK6(inv, { output, signal: controller.signal });
    await started;
    controller.abort();
    expect(await exited).toBe(0);
    expect(readFileSync(`${record}.sigints`, 'utf8')).toBe('1');
    expect(readK6Summary(summaryPath).metrics.http_reqs.values.count).toBe(600);
  });

  it('a missing binary is an error that says how to install k6 or use the embedded engine', async () => {
    const inv = buildK6Invocation(input({ k6: join(tmp, 'no-such-k6'), cwd: tmp }));
    await expect(spawnK6(inv)).rejects.toThrow(/could not start .*no-such-k6.*Install k6.*--engine embedded/);
  });
});

describe('reading the handleSummary JSON k6 wrote', () => {
  it('gives the same summary shape as the embedded engine, renderable the same way', () => {
    const data = readK6Summary(FIXTURE);
    expect(data.state.testRunDurationMs).toBeCloseTo(30021.456789, 6);
    expect(data.root_group.checks.map((c) => [c.name, c.passes, c.fails])).toEqual([
      ['status is 200', 597, 3],
      ['body is valid JSON', 600, 0],
    ]);
    expect(data.metrics.http_req_duration).toMatchObject({ type: 'trend', contains: 'time', thresholds: { 'p(95)<200': { ok: true } } });
    expect(data.metrics.http_req_failed.values).toEqual({ rate: 0.005, passes: 3, fails: 597 });
    expect(failedThresholds(data.metrics)).toEqual([]);

    const summary: BenchmarkSummary = {
      ...data,
      ephenv: {
        engine: 'k6',
        project: 'iris',
        url: 'http://127.0.0.1:9000',
        scenario: input().options.scenario,
        scenarioDescription: '20 iterations/s for 30s (maxVUs: 5)',
        startedAt: '2025-01-01T00:00:00.000Z',
        finishedAt: '2025-01-01T00:00:30.000Z',
        testRunDurationMs: data.state.testRunDurationMs,
        thresholds: { ok: true, failed: [] },
      },
    };
    const text = renderSummary(summary);
    expect(text).toContain("✓ 'p(95)<200' p(95)=8.12ms");
    expect(text).toMatch(/✓ http_req_duration\.+: avg=4\.81ms min=2\.1ms med=4\.4ms max=31\.22ms p\(90\)=6\.9ms p\(95\)=8\.12ms p\(99\)=14\.55ms count=600/);
    expect(text).toMatch(/  http_req_duration\{expected_response:true\}\.+: avg=4\.79ms/);
    expect(text).toMatch(/data_received\.+: 184 kB\s+6\.1 kB\/s/);
    expect(text).toMatch(/✓ http_req_failed\.+: 0\.50%\s+3 out of 600/);
    expect(text).toContain('✗ status is 200  99% — ✓ 597 / ✗ 3');
    expect(renderMarkdown(summary)).toContain('| 600 | 20.0 | 4.4ms | 8.12ms | 14.55ms | 0.50% | 0 | 184 kB |');
  });

  it('flags failed thresholds recorded by k6', () => {
    const data = JSON.parse(readFileSync(FIXTURE, 'utf8'));
    data.metrics.http_req_duration.thresholds['p(95)<200'].ok = false;
    const file = join(tmp, 'failed.json');
    writeFileSync(file, JSON.stringify(data));
    expect(failedThresholds(readK6Summary(file).metrics)).toEqual(['http_req_duration: p(95)<200']);
  });

  it('explains a missing or malformed summary', () => {
    expect(() => readK6Summary(join(tmp, 'nope.json'))).toThrow(/must export handleSummary\(data\) returning \{ \[__ENV\.EPHENV_SUMMARY\]: JSON\.stringify\(data\) \}/);
    const bad = join(tmp, 'bad.json');
    writeFileSync(bad, '{"metrics": {"http_reqs": {"count": 3}}}');
    expect(() => readK6Summary(bad)).toThrow(K6Error);
    expect(() => readK6Summary(bad)).toThrow(/metric "http_reqs" is not in k6's summary format/);
    writeFileSync(bad, 'stdout text');
    expect(() => readK6Summary(bad)).toThrow(/not valid JSON/);
  });
});

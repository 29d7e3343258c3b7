import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TimelineRecorder } from '@ephenv/benchmark';
import { runExampleBenchmark } from '../testing/real-benchmark';
import { createReportWorkspace, type ReportWorkspace } from '../testing/report-workspace';
import { buildHtmlReport } from './build-html-report';
import { formatFigure } from './render-html';

/** Debian's chromium (apt-get install chromium; .ci/run installs it). Never a downloaded browser. */
const CHROMIUM = '/usr/bin/chromium';
const REPO = resolve(__dirname, '..', '..', '..', '..');
const SCREENSHOT = join(REPO, 'dist', 'ephenv-report', 'report-screenshot.png');

const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`html-report.browser.spec: skipped, ${CHROMIUM} is absent (apt-get install -y chromium)`);

let context: BrowserContext;
let profile: string;
const workspaces: ReportWorkspace[] = [];

beforeAll(async () => {
  if (!haveChromium) return;
  profile = mkdtempSync(join(tmpdir(), 'ephenv-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    viewport: { width: 1280, height: 900 },
  });
}, 120_000);

afterAll(async () => {
  await context?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
  for (const w of workspaces) w.remove();
});

/** The page of a report workspace, as `ephenv report --html` writes it. */
async function writePage(w: ReportWorkspace): Promise<string> {
  const file = join(w.root, 'out', 'report.html');
  mkdirSync(join(w.root, 'out'), { recursive: true });
  writeFileSync(file, buildHtmlReport(w.root, { env: {} }).html);
  return file;
}

async function open(file: string) {
  const page = await context.newPage();
  const problems: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(pathToFileURL(file).href);
  await page.waitForSelector('body[data-charts-drawn]', { timeout: 30_000 });
  return { page, problems, requests };
}

describe.skipIf(!haveChromium)('the HTML report in headless Chromium', () => {
  it("draws every chart of the example's real benchmark, shows benchmark.json's numbers, and fetches nothing", async () => {
    // validate.json from the fixtures (real producers); benchmark.json from a real run now: the
    // example's schemas and examples, the real gateway, the embedded engine, 4 s at 25 req/s,
    // against the fixtures' green run as the baseline.
    const w = createReportWorkspace('failing');
    workspaces.push(w);
    const baseline = join(w.root, 'baseline.json');
    writeFileSync(baseline, readFileSync(join(__dirname, '..', 'fixtures', 'green', 'iris-classifier', 'benchmark.json')));
    await runExampleBenchmark(w.root, { duration: '4s', rate: 25, baseline });
    const benchmark = w.readResult('iris-classifier', 'benchmark.json');
    expect(benchmark.ephenv.engine).toBe('embedded');
    expect(benchmark.ephenv.timeline.t.length).toBeGreaterThanOrEqual(4);
    expect(benchmark.ephenv.timeline.requests.reduce((a: number, b: number) => a + b, 0)).toBe(benchmark.metrics.http_reqs.values.count);
    const { page, problems, requests } = await open(await writePage(w));

    expect(problems).toEqual([]);
    // Only the page itself: uPlot, its stylesheet and the data are inlined.
    expect(requests).toEqual([expect.stringMatching(/^file:\/\/.*report\.html$/)]);

    const charts = await page.$$eval('figure.chart', (figures) =>
      figures.map((f) => {
        const canvas = f.querySelector('canvas');
        const box = canvas?.getBoundingClientRect();
        return { kind: f.getAttribute('data-chart'), drawn: f.getAttribute('data-drawn'), width: box?.width ?? 0, height: box?.height ?? 0 };
      }),
    );
    expect(charts.map((c) => c.kind)).toEqual(['latency', 'throughput', 'histogram', 'baseline']);
    for (const chart of charts) {
      expect(chart.drawn, chart.kind!).toBe('true');
      expect(chart.width, chart.kind!).toBeGreaterThan(100);
      expect(chart.height, chart.kind!).toBeGreaterThan(50);
    }

    const shown = await page.$$eval('td[data-figure]', (cells) => cells.map((c) => ({ figure: c.getAttribute('data-figure'), side: c.getAttribute('data-side'), text: c.textContent })));
    const duration = benchmark.metrics.http_req_duration.values;
    const rows = benchmark.ephenv.baseline.rows as { metric: string; stat: string; baseline: number }[];
    const base = (metric: string, stat: string) => rows.find((r) => r.metric === metric && r.stat === stat)!.baseline;
    const expected = [
      ['p50 latency', duration.med, base('http_req_duration', 'med'), 'ms'],
      ['p95 latency', duration['p(95)'], base('http_req_duration', 'p(95)'), 'ms'],
      ['p99 latency', duration['p(99)'], base('http_req_duration', 'p(99)'), 'ms'],
      ['throughput', benchmark.metrics.http_reqs.values.rate, base('http_reqs', 'rate'), 'req/s'],
      ['error rate', benchmark.metrics.http_req_failed.values.rate * 100, base('http_req_failed', 'rate') * 100, '%'],
    ] as const;
    expect(shown).toEqual(
      expected.flatMap(([figure, pr, baseline, unit]) => [
        { figure, side: 'pr', text: formatFigure(pr, unit) },
        { figure, side: 'baseline', text: formatFigure(baseline, unit) },
      ]),
    );
    // The page says p95 = benchmark.json's p(95), to the digits shown, e.g. "12.35 ms".
    expect(shown[2].text).toBe(`${duration['p(95)'].toFixed(2)} ms`);

    const validate = w.readResult('iris-classifier', 'validate.json');
    expect(await page.getAttribute('[data-validate-status]', 'data-validate-status')).toBe(validate.status);
    expect(await page.$$eval('[data-check-status]', (cells) => cells.map((c) => c.textContent))).toEqual(validate.checks.map((c: { status: string }) => c.status));

    mkdirSync(join(REPO, 'dist', 'ephenv-report'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(statSync(SCREENSHOT).size).toBeGreaterThan(10_000);
    await page.close();
  }, 120_000);

  it('keeps a 10-minute benchmark page under 1 MB, and it still draws', async () => {
    const w = createReportWorkspace('failing');
    workspaces.push(w);
    // The real run above is seconds long; the 10-minute series is synthetic: 600 s at 50 req/s
    // through the same recorder the engine uses, with latencies spread over the histogram.
    const recorder = new TimelineRecorder();
    for (let i = 0; i < 600 * 50; i++) recorder.record(i * 20, 5 + ((i * 7919) % 400) / (1 + (i % 13)), i % 97 === 0);
    const benchmark = w.readResult('iris-classifier', 'benchmark.json');
    benchmark.ephenv.timeline = recorder.toJSON();
    w.writeResult(benchmark, 'iris-classifier', 'benchmark.json');
    const file = await writePage(w);
    const size = statSync(file).size;
    console.log(`html-report: a 10-minute benchmark's page is ${(size / 1024).toFixed(0)} KB`);
    expect(size).toBeLessThan(1024 * 1024);
    const { page, problems } = await open(file);
    expect(problems).toEqual([]);
    expect(await page.getAttribute('body', 'data-charts-drawn')).toBe('4');
    expect(await page.$$eval('figure.chart canvas', (c) => c.length)).toBe(4);
    await page.close();
  }, 120_000);
});

import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAlive, linesTo, resultsDir, type PreviewRecord } from '@ephenv/core';
import { histogramQuantile, runBenchmark, TimelineRecorder, type BenchmarkSummary, type Timeline } from '@ephenv/benchmark';
import { deployPreview, destroyPreview } from '@ephenv/preview';
import { makeWorkspace, type TestWorkspace } from '@ephenv/testing';
import { runValidate } from '@ephenv/validate';
import { buildHtmlReport } from './build-html-report';
import { formatFigure } from './render-html';

/** Debian's chromium (apt-get install chromium; .ci/run installs it). Never a downloaded browser. */
const CHROMIUM = '/usr/bin/chromium';
const REPO = resolve(__dirname, '..', '..', '..', '..');
const SCREENSHOT_DIR = join(REPO, 'dist', 'ephenv-report');
const PROJECT = 'iris-classifier';
const PROJECT_ROOT = `apps/${PROJECT}`;

const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`html-report.browser.spec: skipped, ${CHROMIUM} is absent (apt-get install -y chromium)`);

/** Real k6 v0.45.1: $K6, else unpacked from the workspace's sibling ../shared/tools/k6 (no download). */
function findRealK6(): string | undefined {
  if (process.env.K6 && existsSync(process.env.K6)) return process.env.K6;
  const install = join(REPO, '..', 'shared', 'tools', 'k6', 'install');
  if (!existsSync(install)) return undefined;
  return execFileSync(install, { encoding: 'utf8' }).trim();
}
const k6 = haveChromium ? findRealK6() : undefined;
if (haveChromium && !k6) console.warn('html-report.browser.spec: the k6 run is skipped: no $K6 and no ../shared/tools/k6/install (K6=$(../shared/tools/k6/install))');

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=ephenv test', '-c', 'user.email=test@ephenv.invalid', '-c', 'commit.gpgsign=false', ...args], { cwd, stdio: 'ignore' });

let context: BrowserContext;
let profile: string;
let ws: TestWorkspace;
let record: PreviewRecord;
/** main's last benchmark.json: an earlier embedded run against the same preview. */
let baseline: string;

const ref = () => ({ workspaceRoot: ws.root, project: PROJECT, projectRoot: PROJECT_ROOT });
const readBenchmark = (): BenchmarkSummary => JSON.parse(readFileSync(join(resultsDir(ws.root, PROJECT), 'benchmark.json'), 'utf8'));

/** A run of the example's scenario at 25 req/s; what it prints (k6's own output included) is kept for a failure message. */
async function benchmark(engine: 'embedded' | 'k6', duration: string, withBaseline = true) {
  const env = engine === 'k6' ? { ...process.env, PATH: `${dirname(k6!)}:${process.env.PATH}` } : { PATH: '' };
  let output = '';
  const sink = new Writable({ write: (chunk, _encoding, done) => ((output += String(chunk)), done()) });
  const result = await runBenchmark(
    { engine, duration, rate: 25, progress: false, ...(withBaseline ? { baseline } : {}) },
    { workspaceRoot: ws.root, projectRoot: PROJECT_ROOT, project: PROJECT, env, stdout: sink, stderr: sink },
  );
  expect(result.exitCode, output).toBe(0);
  return result;
}

// The example model as a real local preview (its FastAPI server in its virtualenv and the gateway,
// two processes), validated for real; a deploy took 10 s on the loaded 2-core machine.
beforeAll(async () => {
  if (!haveChromium) return;
  ws = await makeWorkspace([PROJECT]);
  writeFileSync(join(ws.root, '.gitignore'), 'dist\n.ephenv\n');
  git(ws.root, 'init', '-q', '-b', 'main');
  git(ws.root, 'add', '-A');
  git(ws.root, 'commit', '-q', '-m', 'the example model');
  record = await deployPreview(ref(), { pr: '7' }, linesTo(() => undefined));
  const validated = await runValidate({ base: 'main', live: 'always' }, { ...ref(), logger: linesTo(() => undefined), env: {} });
  expect(validated.success).toBe(true);
  await benchmark('embedded', '3s', false);
  baseline = join(ws.root, 'main-benchmark.json');
  copyFileSync(join(resultsDir(ws.root, PROJECT), 'benchmark.json'), baseline);

  profile = mkdtempSync(join(tmpdir(), 'ephenv-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    viewport: { width: 1280, height: 900 },
  });
}, 300_000);

afterAll(async () => {
  await context?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
  if (!ws) return;
  try {
    if (record) {
      const { model, gateway } = record.processes!;
      await destroyPreview(ref(), {}, linesTo(() => undefined));
      expect(isAlive(model.pid), `model server pid ${model.pid}`).toBe(false);
      expect(isAlive(gateway.pid), `gateway pid ${gateway.pid}`).toBe(false);
    }
  } finally {
    ws.cleanup();
  }
}, 60_000);

/** The page `ephenv report --html` writes from the workspace's result files. */
function writePage(name: string): string {
  const file = join(ws.root, 'out', name);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, buildHtmlReport(ws.root, { pr: '7', env: {} }).html);
  return file;
}

async function open(file: string) {
  const page = await context.newPage();
  // Keeps what each canvas writes: the test's view of the axes (uPlot draws them on the canvas).
  await page.addInitScript({
    content: `{
      const fillText = CanvasRenderingContext2D.prototype.fillText;
      CanvasRenderingContext2D.prototype.fillText = function (text, x, ...rest) {
        (this.canvas.drawnText ??= []).push({ text, x });
        return fillText.call(this, text, x, ...rest);
      };
    }`,
  });
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

/** A chart's canvas, with the text the init script of `open` recorded. */
interface DrawnCanvas {
  width: number;
  height: number;
  drawnText?: { text: string; x: number }[];
  getBoundingClientRect(): { left: number; top: number; width: number; height: number };
  getContext(kind: '2d'): { getImageData(x: number, y: number, width: number, height: number): { data: ArrayLike<number> } } | null;
}

/**
 * Every chart: its kind, the size of its canvas, how many of its pixels uPlot painted, the labels
 * it wrote and the values on its y axis (left of the plotting area, uPlot's `.u-over`), from the
 * text recorded by the init script of `open`.
 */
function charts(page: Page) {
  return page.$$eval('figure.chart', (figures) =>
    figures.map((f) => {
      const canvas = f.querySelector('canvas') as unknown as DrawnCanvas | null;
      const box = canvas?.getBoundingClientRect();
      const plotLeft = box ? (f.querySelector('.u-over')!.getBoundingClientRect().left - box.left) * (canvas!.width / box.width) : 0;
      const text = canvas?.drawnText ?? [];
      const isNumber = (t: string) => /^-?[\d.,]+$/.test(t);
      let painted = 0;
      if (canvas && canvas.width > 0 && canvas.height > 0) {
        const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
        for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 0) painted++;
      }
      return { kind: f.getAttribute('data-chart'), drawn: f.getAttribute('data-drawn'), width: box?.width ?? 0, height: box?.height ?? 0, painted,
        labels: [...new Set(text.filter((t) => !isNumber(t.text)).map((t) => t.text))].sort(),
        yValues: text.filter((t) => isNumber(t.text) && t.x < plotLeft).map((t) => t.text),
      };
    }),
  );
}

/** The whole check of a page against the benchmark.json it was built from. */
async function expectPageShows(page: Page, benchmark: BenchmarkSummary) {
  const drawn = await charts(page);
  expect(drawn.map((c) => c.kind)).toEqual(['latency', 'throughput', 'histogram', 'baseline']);
  for (const chart of drawn) {
    expect(chart.drawn, chart.kind!).toBe('true');
    expect(chart.width, chart.kind!).toBeGreaterThan(100);
    expect(chart.height, chart.kind!).toBeGreaterThan(50);
    expect(chart.painted, `${chart.kind}: painted pixels`).toBeGreaterThan(1000);
    // A series bound to no scale draws its line and no y axis.
    expect(chart.yValues.length, `${chart.kind}: values on the y axis`).toBeGreaterThanOrEqual(3);
  }
  expect(drawn.map((c) => c.labels)).toEqual([
    ['ms', 's'],
    ['req/s', 's'],
    ['ms (bin upper bound)', 'requests'],
    ['ms', 'p50 PR', 'p50 main', 'p95 PR', 'p95 main', 'p99 PR', 'p99 main'],
  ]);

  const shown = await page.$$eval('td[data-figure]', (cells) => cells.map((c) => ({ figure: c.getAttribute('data-figure'), side: c.getAttribute('data-side'), text: c.textContent })));
  const duration = benchmark.metrics.http_req_duration.values;
  const rows = benchmark.ephenv.baseline!.rows;
  const base = (metric: string, stat: string): number => {
    const value = rows.find((r) => r.metric === metric && r.stat === stat)?.baseline;
    expect(value, `the baseline's ${metric} ${stat}`).toBeTypeOf('number');
    return value!;
  };
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
  // What the charts are drawn from is benchmark.json's timeline, value for value.
  const data = await page.$eval('#ephenv-data', (el) => JSON.parse(el.textContent!));
  expect(data[0].timeline).toEqual(benchmark.ephenv.timeline);

  const validate = JSON.parse(readFileSync(join(resultsDir(ws.root, PROJECT), 'validate.json'), 'utf8'));
  expect(await page.getAttribute('[data-validate-status]', 'data-validate-status')).toBe(validate.status);
  expect(await page.$$eval('[data-check-status]', (cells) => cells.map((c) => c.textContent))).toEqual(validate.checks.map((c: { status: string }) => c.status));
}

/**
 * `seconds` of traffic shaped like a real run, through the recorder the engine feeds: second s
 * replays second (s mod n) of the run, its requests and errors, with latencies drawn evenly from
 * the run's histogram, `times` as many of each. What a 10-minute run of the same preview
 * records, in milliseconds.
 */
function fastForward(timeline: Timeline, seconds: number, times = 1): TimelineRecorder {
  const recorder = new TimelineRecorder();
  const counts = timeline.histogram.counts;
  const total = counts.reduce((a, b) => a + b, 0);
  for (let s = 0; s < seconds; s++) {
    const source = s % timeline.t.length;
    const n = timeline.requests[source] * times;
    for (let i = 0; i < n; i++) recorder.record(s * 1000 + ((i + 0.5) / n) * 1000, histogramQuantile(counts, total, (i + 0.5) / n), i < timeline.errors[source] * times);
  }
  return recorder;
}

describe.skipIf(!haveChromium)("the HTML report of the example's real benchmark, in headless Chromium", () => {
  it("embedded engine: draws every chart, shows benchmark.json's numbers beside main's, fetches nothing; screenshot for the README", async () => {
    const { summary } = await benchmark('embedded', '5s');
    const written = readBenchmark();
    expect(written).toEqual(JSON.parse(JSON.stringify(summary)));
    expect(written.ephenv.engine).toBe('embedded');
    expect(written.ephenv.url).toBe(record.url);
    const timeline = written.ephenv.timeline!;
    expect(timeline.t.length).toBeGreaterThanOrEqual(5);
    expect(timeline.requests.reduce((a, b) => a + b, 0)).toBe(written.metrics.http_reqs.values.count);
    expect(written.metrics.http_reqs.values.count).toBeGreaterThanOrEqual(100);

    const file = writePage('report.html');
    expect(statSync(file).size).toBeLessThan(1024 * 1024);
    const { page, problems, requests } = await open(file);
    expect(problems).toEqual([]);
    // Only the page itself: uPlot, its stylesheet and the data are inlined.
    expect(requests).toEqual([expect.stringMatching(/^file:\/\/.*report\.html$/)]);
    await expectPageShows(page, written);

    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const screenshot = join(SCREENSHOT_DIR, 'report-screenshot.png');
    await page.screenshot({ path: screenshot, fullPage: true });
    expect(statSync(screenshot).size).toBeGreaterThan(10_000);
    await page.close();
  }, 120_000);

  it.skipIf(!k6)("k6 engine (real k6 v0.45.1): the timeline from k6's JSON output draws the same page", async () => {
    await benchmark('k6', '5s');
    const written = readBenchmark();
    expect(written.ephenv.engine).toBe('k6');
    const timeline = written.ephenv.timeline!;
    expect(timeline.t.length).toBeGreaterThanOrEqual(4);
    expect(timeline.requests.reduce((a, b) => a + b, 0)).toBe(written.metrics.http_reqs.values.count);
    expect(existsSync(join(resultsDir(ws.root, PROJECT), 'k6-samples.json'))).toBe(false);

    const file = writePage('report-k6.html');
    const { page, problems, requests } = await open(file);
    expect(problems).toEqual([]);
    expect(requests).toEqual([expect.stringMatching(/^file:\/\/.*report-k6\.html$/)]);
    await expectPageShows(page, written);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'report-screenshot-k6.png'), fullPage: true });
    await page.close();
  }, 120_000);

  it('a 10-minute benchmark: 600 fixed-size seconds in benchmark.json whatever the rate, a page under 1 MB that still draws', async () => {
    const { summary } = await benchmark('embedded', '3s');
    const real = summary.ephenv.timeline!;
    const tenMinutes = fastForward(real, 600);
    const tenMinutesAtTenTimesTheRate = fastForward(real, 600, 10);
    const oneMinute = fastForward(real, 60);
    // Memory: one fixed-size bucket a second, none per request.
    expect(tenMinutes.bucketCount()).toBe(600);
    expect(tenMinutesAtTenTimesTheRate.bytes()).toBe(tenMinutes.bytes());
    expect(tenMinutes.bytes()).toBe(oneMinute.bytes() + 540 * (oneMinute.bytes() - new TimelineRecorder().bytes()) / 60);

    // benchmark.json as runBenchmark writes it, with the 10-minute timeline.
    const written = readBenchmark();
    written.ephenv.timeline = tenMinutes.toJSON();
    const benchmarkFile = join(resultsDir(ws.root, PROJECT), 'benchmark.json');
    writeFileSync(benchmarkFile, JSON.stringify(written, null, 2) + '\n');
    const file = writePage('report-10min.html');
    const size = statSync(file).size;
    console.log(
      `html-report: 10 minutes (${tenMinutes.toJSON().requests.reduce((a, b) => a + b, 0)} requests): timeline ${(tenMinutes.bytes() / 1024).toFixed(0)} KB in memory, ` +
        `benchmark.json ${(statSync(benchmarkFile).size / 1024).toFixed(0)} KB, page ${(size / 1024).toFixed(0)} KB`,
    );
    expect(size).toBeLessThan(1024 * 1024);
    expect(statSync(benchmarkFile).size).toBeLessThan(512 * 1024);

    const { page, problems } = await open(file);
    expect(problems).toEqual([]);
    expect(await page.getAttribute('body', 'data-charts-drawn')).toBe('4');
    const data = await page.$eval('#ephenv-data', (el) => JSON.parse(el.textContent!));
    expect(data[0].timeline.t).toHaveLength(600);
    await expectPageShows(page, written);
    await page.close();
  }, 120_000);
});

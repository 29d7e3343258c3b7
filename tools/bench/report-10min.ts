/**
 * A 10-minute benchmark and its HTML report: the example model as a real local preview, the
 * embedded engine at a constant rate for `--duration` (default 10m), then `ephenv report --html`'s
 * page. Prints the page's and benchmark.json's sizes, the per-second timeline's length, and this
 * process's memory (the engine runs in it) once a minute and at its peak:
 *   npm run bench:report-10min -- [--duration 10m] [--rate 50]
 * Prints figures; asserts nothing (the browser test, libs/report/src/html, holds the limits).
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { linesTo, resultsDir } from '@ephenv/core';
import { parseDuration, runBenchmark, type BenchmarkSummary } from '@ephenv/benchmark';
import { deployPreview, destroyPreview } from '@ephenv/preview';
import { buildHtmlReport } from '@ephenv/report';
import { makeWorkspace } from '@ephenv/testing';

const { values } = parseArgs({ options: { duration: { type: 'string', default: '10m' }, rate: { type: 'string', default: '50' } } });
const PROJECT = 'iris-classifier';
const MB = 1024 * 1024;
const mb = (bytes: number) => `${(bytes / MB).toFixed(1)} MB`;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;
const discard = new Writable({ write: (_chunk, _encoding, done) => done() });

async function main() {
  const durationMs = parseDuration(values.duration!, '--duration');
  const rate = Number(values.rate);
  if (!Number.isFinite(rate) || rate <= 0) throw new Error(`--rate "${values.rate}" is not a positive number of requests per second`);
  const ws = await makeWorkspace([PROJECT]);
  const ref = { workspaceRoot: ws.root, project: PROJECT, projectRoot: `apps/${PROJECT}` };
  const samples: { atMs: number; rss: number; heap: number }[] = [];
  try {
    const record = await deployPreview(ref, { pr: '7' }, linesTo(() => undefined));
    console.log(`preview of ${PROJECT} up at ${record.url}; embedded engine, ${rate} req/s for ${values.duration}`);
    const started = performance.now();
    const sample = () => {
      const { rss, heapUsed } = process.memoryUsage();
      samples.push({ atMs: performance.now() - started, rss, heap: heapUsed });
    };
    sample();
    const sampler = setInterval(sample, 1000);
    const minutes = setInterval(() => {
      const last = samples[samples.length - 1];
      console.log(`  ${(last.atMs / 60_000).toFixed(0)} min: rss ${mb(last.rss)}, heap ${mb(last.heap)}`);
    }, 60_000);
    let result;
    try {
      result = await runBenchmark(
        { engine: 'embedded', duration: values.duration, rate, progress: false },
        { ...ref, env: { PATH: '' }, stdout: discard, stderr: discard },
      );
    } finally {
      clearInterval(sampler);
      clearInterval(minutes);
      sample();
    }
    const file = join(resultsDir(ws.root, PROJECT), 'benchmark.json');
    const summary = JSON.parse(readFileSync(file, 'utf8')) as BenchmarkSummary;
    const page = join(ws.root, 'report.html');
    writeFileSync(page, buildHtmlReport(ws.root, { env: {} }).html);

    const requests = summary.metrics.http_reqs.values.count;
    const atStart = samples.find((s) => s.atMs >= Math.min(60_000, durationMs / 10)) ?? samples[0];
    const end = samples[samples.length - 1];
    console.log(`run: ${(durationMs / 1000).toFixed(0)} s, ${requests} requests, exit code ${result.exitCode}, p95 ${summary.metrics.http_req_duration.values['p(95)'].toFixed(2)} ms`);
    console.log(`benchmark.json: ${kb(statSync(file).size)}, timeline of ${summary.ephenv.timeline?.t.length ?? 0} seconds`);
    console.log(`HTML page: ${kb(statSync(page).size)} (limit 1024 KB)`);
    console.log(`memory of this process (engine included): peak rss ${mb(process.resourceUsage().maxRSS * 1024)}`);
    console.log(
      `  rss at ${(atStart.atMs / 1000).toFixed(0)} s ${mb(atStart.rss)}, at the end ${mb(end.rss)} (${end.rss >= atStart.rss ? '+' : ''}${mb(end.rss - atStart.rss)}); ` +
        `heap ${mb(atStart.heap)} -> ${mb(end.heap)}`,
    );
    console.log('  (the timeline is one fixed-size bucket a second; the engine keeps 8 bytes per request per trend, as k6 v0.45 does, for exact percentiles)');
    console.log('Measured on a shared machine: the latency figures are inflated by its load; sizes and memory are not.');
  } finally {
    await destroyPreview(ref, {}, linesTo(() => undefined));
    ws.cleanup();
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});

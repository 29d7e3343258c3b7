/**
 * The embedded engine against the real k6 on one target at the same rates: the model's default
 * scenario (ephenv.json: 20/s for 15 s) and 1,000 req/s. Prints p50/p95/p99 of http_req_duration
 * side by side (they should agree within 10% or 0.2 ms), the p50/p95 of its phases (sending,
 * waiting, receiving: where a difference comes from) and each engine's CPU per 1,000 requests
 * (the embedded engine's should be at most half of k6's); medians and ranges over --runs runs.
 *   K6=$(../shared/tools/k6/install) npm run bench:engine-vs-k6 -- [--runs 3] [--fast-duration 10s]
 * The target is a keep-alive JSON server in its own process, so neither engine's CPU includes it.
 * k6 runs the model's own load/k6.js, the same script `nx run <model>:benchmark` uses. Asserts nothing.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadExamples, loadModelConfig, type ScenarioConfig } from '@ephenv/core';
import { buildK6Invocation, findK6, readK6Summary, resolveScenario, runEmbedded, type TrendSink } from '../src';
import { median, spread } from './spread';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '3' }, model: { type: 'string', default: 'apps/iris-classifier' }, 'fast-duration': { type: 'string', default: '10s' } },
});
const workspaceRoot = resolve(__dirname, '../../..');
const projectRoot = values.model!;
const TOKEN = 'bench-token';

const PHASES = ['sending', 'waiting', 'receiving'] as const;

interface Figures {
  p50: number;
  p95: number;
  p99: number;
  /** p50 and p95 of http_req_sending, _waiting, _receiving: where a difference in duration comes from. */
  phases: Record<(typeof PHASES)[number], { p50: number; p95: number }>;
  requests: number;
  cpuMs: number;
}

/** A JSON server answering like the model server would, in a process of its own. */
async function startTarget(): Promise<{ url: string; child: ChildProcess }> {
  const body = JSON.stringify({ predictions: [{ label: 'setosa', class_id: 0, probabilities: { setosa: 0.97, versicolor: 0.02, virginica: 0.01 } }] });
  const script = `
    const http = require('node:http');
    const body = ${JSON.stringify(body)};
    const server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => { res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }); res.end(body); });
    });
    server.keepAliveTimeout = 60000;
    server.listen(0, '127.0.0.1', () => console.log(server.address().port));`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((r) => child.stdout!.once('data', (d: Buffer) => r(d.toString().trim())));
  return { url: `http://127.0.0.1:${port}`, child };
}

function k6Binary(): string {
  const k6 = process.env.K6 || findK6();
  if (!k6) throw new Error('k6 not found: run with K6=$(../shared/tools/k6/install) (or put k6 on PATH)');
  return k6;
}

/** k6 run of the model's load/k6.js; its CPU from /usr/bin/time (user + system of k6 and its threads). */
async function runK6(url: string, scenario: ScenarioConfig, exampleFiles: string[]): Promise<Figures> {
  const dir = mkdtempSync(join(tmpdir(), 'ephenv-bench-k6-'));
  try {
    const summaryPath = join(dir, 'summary.json');
    const timeFile = join(dir, 'time');
    const invocation = buildK6Invocation({
      k6: k6Binary(),
      script: join(workspaceRoot, projectRoot, 'load', 'k6.js'),
      baseUrl: url,
      token: TOKEN,
      options: { scenario, thresholds: {}, summaryTrendStats: ['med', 'p(95)', 'p(99)', 'count'] },
      exampleFiles,
      summaryPath,
      cwd: join(workspaceRoot, projectRoot, 'load'),
    });
    const code = await new Promise<number | null>((done) => {
      const child = spawn('/usr/bin/time', ['-f', '%U %S', '-o', timeFile, invocation.command, ...invocation.args], { cwd: invocation.cwd, env: invocation.env, stdio: 'ignore' });
      child.on('close', done);
    });
    if (code !== 0) throw new Error(`k6 exited with ${code}`);
    const [user, sys] = readFileSync(timeFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
    const metrics = readK6Summary(summaryPath).metrics;
    const d = metrics.http_req_duration.values;
    const phase = (name: string) => ({ p50: metrics[`http_req_${name}`].values.med, p95: metrics[`http_req_${name}`].values['p(95)'] });
    const phases = { sending: phase('sending'), waiting: phase('waiting'), receiving: phase('receiving') };
    return { p50: d.med, p95: d['p(95)'], p99: d['p(99)'], phases, requests: d.count, cpuMs: (user + sys) * 1000 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function runEmbeddedEngine(url: string, scenario: ScenarioConfig, bodies: Buffer[]): Promise<Figures> {
  const { plan } = resolveScenario(scenario);
  const before = process.cpuUsage();
  const result = await runEmbedded({ url, token: TOKEN, bodies, plan, thresholds: [] });
  const cpu = process.cpuUsage(before);
  const d = result.registry.sink('http_req_duration') as TrendSink;
  const phase = (name: string) => {
    const sink = result.registry.sink(`http_req_${name}`) as TrendSink;
    return { p50: sink.p(0.5), p95: sink.p(0.95) };
  };
  const phases = { sending: phase('sending'), waiting: phase('waiting'), receiving: phase('receiving') };
  return { p50: d.p(0.5), p95: d.p(0.95), p99: d.p(0.99), phases, requests: d.count, cpuMs: (cpu.user + cpu.system) / 1000 };
}

async function main() {
  const config = loadModelConfig(workspaceRoot, projectRoot);
  const examples = loadExamples(config);
  const bodies = examples.map((e) => Buffer.from(JSON.stringify(e.request)));
  const exampleFiles = examples.map((e) => e.file);
  const modelScenario = config.load.scenario as ScenarioConfig;
  const scenarios: Array<[string, ScenarioConfig]> = [
    [`model default (${describe(modelScenario)})`, modelScenario],
    [
      `1,000 req/s for ${values['fast-duration']}`,
      { executor: 'constant-arrival-rate', rate: 1000, timeUnit: '1s', duration: values['fast-duration']!, preAllocatedVUs: 50, maxVUs: 200 },
    ],
  ];
  const target = await startTarget();
  try {
    const runs = Number(values.runs);
    console.log(`embedded engine vs k6 (${k6Binary()}) on ${target.url}, ${runs} run(s) each; median (min-max)`);
    // Tails (p95, p99) follow the machine's load more than either engine: say what it was.
    console.log(`load average at the start: ${loadavg()[0].toFixed(2)} (1 min)\n`);
    for (const [label, scenario] of scenarios) {
      const k6: Figures[] = [];
      const embedded: Figures[] = [];
      for (let i = 0; i < runs; i++) {
        // Alternate which engine goes first, so drift on the machine hits both alike.
        if (i % 2 === 0) {
          k6.push(await runK6(target.url, scenario, exampleFiles));
          embedded.push(await runEmbeddedEngine(target.url, scenario, bodies));
        } else {
          embedded.push(await runEmbeddedEngine(target.url, scenario, bodies));
          k6.push(await runK6(target.url, scenario, exampleFiles));
        }
      }
      console.log(`${label}: ${median(k6.map((f) => f.requests))} requests per run`);
      console.log(`  ${'http_req_duration'.padEnd(20)}${'k6'.padEnd(26)}${'embedded'.padEnd(26)}agree (10% or 0.2 ms)`);
      for (const key of ['p50', 'p95', 'p99'] as const) {
        const a = k6.map((f) => f[key]);
        const b = embedded.map((f) => f[key]);
        const diff = Math.abs(median(a) - median(b));
        const agree = diff <= 0.2 || diff <= 0.1 * median(a);
        console.log(`  ${key.padEnd(20)}${spread(a, 2, ' ms').padEnd(26)}${spread(b, 2, ' ms').padEnd(26)}${agree ? 'yes' : 'NO'} (${diff.toFixed(2)} ms)`);
      }
      for (const name of PHASES) {
        for (const key of ['p50', 'p95'] as const) {
          const a = k6.map((f) => f.phases[name][key]);
          const b = embedded.map((f) => f.phases[name][key]);
          console.log(`    ${`${name} ${key}`.padEnd(18)}${spread(a, 2, ' ms').padEnd(26)}${spread(b, 2, ' ms')}`);
        }
      }
      const per1000 = (fs: Figures[]) => fs.map((f) => (f.cpuMs / f.requests) * 1000);
      const ratios = embedded.map((f, i) => f.cpuMs / f.requests / (k6[i].cpuMs / k6[i].requests));
      console.log(
        `  ${'CPU per 1,000 req'.padEnd(20)}${spread(per1000(k6), 0, ' ms').padEnd(26)}${spread(per1000(embedded), 0, ' ms').padEnd(26)}embedded/k6 ${spread(ratios, 2)} (target <= 0.5)\n`,
      );
    }
    console.log(`load average at the end: ${loadavg()[0].toFixed(2)} (1 min)`);
  } finally {
    target.child.kill();
  }
}

function describe(s: ScenarioConfig): string {
  const r = s as { rate?: number; timeUnit?: string; duration?: string };
  return `${r.rate}/${r.timeUnit ?? '1s'} for ${r.duration}`;
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});

/**
 * How much CPU the embedded engine spends per request, next to wrk's, against the same
 * keep-alive loopback server; and what a million recorded iterations cost in memory.
 *
 *   npm run bench:engine-vs-wrk -- [--runs 3] [--seconds 10] [--connections 16] [--rate 3000]
 *
 * Needs wrk (Debian: apt-get install -y wrk). Targets: embedded CPU/request <= 2.5x wrk's;
 * a million samples < 150 MB. Each run measures wrk and both engine models in turn; the ratios are
 * printed per run and as the median and range of --runs runs. The server runs in its own process;
 * wrk gets one thread (one core), like the engine's single event loop. wrk's CPU time is read from our own children's
 * accounting (/proc/self/stat cutime+cstime, credited when it exits); the engine's with
 * process.cpuUsage() inside its child process, around the run only (not module loading).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spread } from './spread';

const BODY = JSON.stringify({ instances: [{ sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 }] });
const TOKEN = 'bench-token';

const SERVER_JS = `
const http = require('node:http');
const answer = JSON.stringify({ predictions: [{ label: 'setosa', class_id: 0, probabilities: { setosa: 0.97, versicolor: 0.02, virginica: 0.01 } }] });
const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(answer) });
    res.end(answer);
  });
});
server.keepAliveTimeout = 120000;
server.listen(0, '127.0.0.1', () => process.stdout.write(server.address().port + '\\n'));
`;

interface EngineChildResult {
  requests: number;
  failed: number;
  dropped: number;
  cpuUs: number;
  wallMs: number;
  rssMb: number;
  /** Heap and sample buffers still held after the run, once garbage is collected. */
  retainedMb: number;
  p95Ms: number;
}

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

/** CPU seconds of our children that have exited and been reaped (cutime + cstime). */
function childrenCpuSeconds(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[13]) + Number(fields[14]); // fields 16 and 17 of proc(5)
  return ticks / clockTicks;
}

const clockTicks = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

function run(command: string, args: string[]): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout }));
  });
}

async function startServer(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['-e', SERVER_JS], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve, reject) => {
    child.stdout!.once('data', (c: Buffer) => resolve(c.toString().trim()));
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  return { child, url: `http://127.0.0.1:${port}` };
}

async function runWrk(url: string, seconds: number, connections: number, dir: string) {
  const script = join(dir, 'post.lua');
  writeFileSync(
    script,
    [
      'wrk.method = "POST"',
      `wrk.body = ${JSON.stringify(BODY)}`,
      'wrk.headers["Content-Type"] = "application/json"',
      `wrk.headers["Authorization"] = "Bearer ${TOKEN}"`,
    ].join('\n'),
  );
  const before = childrenCpuSeconds();
  const { code, stdout } = await run('wrk', ['-t1', `-c${connections}`, `-d${seconds}s`, '-s', script, `${url}/invocations`]);
  const cpu = childrenCpuSeconds() - before;
  if (code !== 0) throw new Error(`wrk exited with ${code}:\n${stdout}`);
  const requests = Number(/(\d+) requests in/.exec(stdout)?.[1]);
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(stdout)?.[1] ?? 0);
  const perSec = Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1]);
  return { requests, non2xx, perSec, cpuUs: cpu * 1e6 };
}

async function runEngineChild(config: object): Promise<EngineChildResult> {
  const { code, stdout } = await run(process.execPath, [...process.execArgv, '--expose-gc', __filename, '--engine-child', JSON.stringify(config)]);
  if (code !== 0) throw new Error(`engine child exited with ${code}`);
  return JSON.parse(stdout.trim().split('\n').pop()!);
}

/** Child: one engine run, measured from inside. */
async function engineChild(config: { url: string; scenario: Record<string, unknown> }): Promise<void> {
  const { runEmbedded } = await import('../src/engine/run-embedded');
  const { resolveScenario } = await import('../src/scenario');
  const { plan } = resolveScenario(config.scenario as never);
  const cpu0 = process.cpuUsage();
  const t0 = Date.now();
  const r = await runEmbedded({ url: config.url, token: TOKEN, bodies: [Buffer.from(BODY)], plan, thresholds: [] });
  const cpu = process.cpuUsage(cpu0);
  const rssMb = process.memoryUsage().rss / 1e6;
  (globalThis as { gc?: () => void }).gc?.();
  const held = process.memoryUsage();
  const count = (n: string) => (r.registry.sink(n) as { value: number }).value;
  const failed = r.registry.sink('http_req_failed') as { trues: number };
  const duration = r.registry.sink('http_req_duration') as { p(f: number): number };
  const result: EngineChildResult = {
    requests: count('http_reqs'),
    failed: failed.trues,
    dropped: count('dropped_iterations'),
    cpuUs: cpu.user + cpu.system,
    wallMs: Date.now() - t0,
    rssMb,
    retainedMb: (held.heapUsed + held.arrayBuffers) / 1e6,
    p95Ms: duration.p(0.95),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

/** Child: records a million iterations the way the engine does (every trend, counter and rate it fills per iteration). */
async function memoryChild(): Promise<void> {
  const { MetricRegistry } = await import('../src/metrics');
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = process.memoryUsage();
  const registry = new MetricRegistry();
  const names = ['http_req_duration', 'http_req_waiting', 'http_req_receiving', 'iteration_duration', 'iteration_latency_from_schedule'];
  const trends = names.map((n) => registry.metric(n));
  const [reqs, failed, checks, iterations] = ['http_reqs', 'http_req_failed', 'checks', 'iterations'].map((n) => registry.metric(n));
  const n = 1_000_000;
  for (let i = 0; i < n; i++) {
    const v = 1 + (i % 997) * 0.013;
    for (const t of trends) t.add(v);
    reqs.add(1);
    failed.add(0);
    checks.add(1);
    checks.add(1);
    iterations.add(1);
  }
  const p99 = (registry.sink('http_req_duration') as { p(f: number): number }).p(0.99);
  gc?.();
  const after = process.memoryUsage();
  const mb = (x: number) => +(x / 1e6).toFixed(1);
  process.stdout.write(
    `${JSON.stringify({
      iterations: n,
      trendSamples: n * trends.length,
      rssDeltaMb: mb(after.rss - before.rss),
      heapDeltaMb: mb(after.heapUsed - before.heapUsed),
      arrayBuffersDeltaMb: mb(after.arrayBuffers - before.arrayBuffers),
      p99,
    })}\n`,
  );
}

async function main(): Promise<void> {
  const seconds = arg('seconds', 10);
  const connections = arg('connections', 16);
  const runs = arg('runs', 3);
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' });
  } catch (e) {
    // wrk --version exits 1 after printing its version; only a missing binary is fatal.
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      console.error('wrk is not installed: apt-get install -y wrk (Debian/Ubuntu) or brew install wrk');
      process.exit(1);
    }
  }
  const dir = mkdtempSync(join(tmpdir(), 'ephenv-wrk-'));
  const server = await startServer();
  try {
    console.log(`server ${server.url} (pid ${server.child.pid}); ${seconds}s per run, ${connections} connections; CLK_TCK ${clockTicks}`);
    await runWrk(server.url, 1, connections, dir); // warm the server up

    const closedRatios: number[] = [];
    const openRatios: number[] = [];
    // The open model's rate: --rate, else 30% of the first closed run's throughput, kept for every run.
    let rate = arg('rate', 0);
    for (let i = 1; i <= runs; i++) {
      console.log(`run ${i}/${runs}`);
      const wrk = await runWrk(server.url, seconds, connections, dir);
      const wrkPerReq = wrk.cpuUs / wrk.requests;
      console.log(`  wrk:            ${wrk.requests} requests (${wrk.perSec.toFixed(0)}/s, non-2xx ${wrk.non2xx}), CPU ${(wrk.cpuUs / 1e6).toFixed(2)}s = ${wrkPerReq.toFixed(1)} µs/request`);

      const closed = await runEngineChild({ url: server.url, scenario: { executor: 'constant-vus', vus: connections, duration: `${seconds}s` } });
      const closedPerReq = closed.cpuUs / closed.requests;
      console.log(
        `  embedded (constant-vus ${connections}):  ${closed.requests} requests (${((closed.requests * 1000) / closed.wallMs).toFixed(0)}/s, failed ${closed.failed}), ` +
          `CPU ${(closed.cpuUs / 1e6).toFixed(2)}s = ${closedPerReq.toFixed(1)} µs/request, p95 ${closed.p95Ms.toFixed(2)}ms, RSS ${closed.rssMb.toFixed(0)} MB (${closed.retainedMb.toFixed(0)} MB retained)`,
      );

      rate ||= Math.max(100, Math.round(((closed.requests / seconds) * 0.3) / 100) * 100);
      const open = await runEngineChild({
        url: server.url,
        scenario: { executor: 'constant-arrival-rate', rate, duration: `${seconds}s`, preAllocatedVUs: connections, maxVUs: connections * 8 },
      });
      const openPerReq = open.cpuUs / open.requests;
      console.log(
        `  embedded (constant-arrival-rate ${rate}/s): ${open.requests} requests, dropped ${open.dropped}, failed ${open.failed}, ` +
          `CPU ${(open.cpuUs / 1e6).toFixed(2)}s = ${openPerReq.toFixed(1)} µs/request, p95 ${open.p95Ms.toFixed(2)}ms, RSS ${open.rssMb.toFixed(0)} MB (${open.retainedMb.toFixed(0)} MB retained)`,
      );
      closedRatios.push(closedPerReq / wrkPerReq);
      openRatios.push(openPerReq / wrkPerReq);
      console.log(`  ratio embedded/wrk CPU per request: constant-vus ${(closedPerReq / wrkPerReq).toFixed(2)}x, constant-arrival-rate ${(openPerReq / wrkPerReq).toFixed(2)}x`);
    }
    console.log(
      `ratio embedded/wrk CPU per request, median (min-max) of ${runs} run(s): constant-vus ${spread(closedRatios, 2, 'x')}, ` +
        `constant-arrival-rate ${spread(openRatios, 2, 'x')} (target <= 2.5x)`,
    );

    const { code, stdout } = await run(process.execPath, [...process.execArgv, '--expose-gc', __filename, '--memory-child']);
    if (code !== 0) throw new Error(`memory child exited with ${code}`);
    const mem = JSON.parse(stdout.trim());
    console.log(
      `memory for ${mem.iterations} iterations (${mem.trendSamples} trend samples): RSS +${mem.rssDeltaMb} MB, heap +${mem.heapDeltaMb} MB, ` +
        `sample buffers +${mem.arrayBuffersDeltaMb} MB (target < 150 MB)`,
    );
  } finally {
    server.child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

const role = process.argv[2];
const entry = role === '--engine-child' ? engineChild(JSON.parse(process.argv[3])) : role === '--memory-child' ? memoryChild() : main();
entry.catch((e: Error) => {
  console.error(e.stack ?? e.message);
  process.exit(1);
});

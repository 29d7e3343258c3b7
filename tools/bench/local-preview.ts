/**
 * Local preview benchmark: time to a healthy URL for a cold deploy, a warm re-deploy of an
 * unchanged model (the model server keeps its PID) and a re-deploy after the model changed
 * (retrained); how fast a warm deploy-preview gives a healthy URL, and what the gateway adds to
 * latency, measured in one run at the same request rate:
 *   node -r @swc-node/register tools/bench/local-preview.ts [--rate 50] [--duration 10s] [--deploys 5]
 * (set SWC_NODE_PROJECT=tsconfig.base.json). Prints figures; asserts nothing.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureVenv, linesTo, loadExamples, loadModelConfig, modelArtifactDir } from '@ephenv/core';
import { resolveScenario, runEmbedded, type TrendSink } from '@ephenv/benchmark';
import { deployPreview, destroyPreview } from '@ephenv/preview';
import { makeWorkspace } from '@ephenv/testing';

const { values } = parseArgs({ options: { rate: { type: 'string', default: '50' }, duration: { type: 'string', default: '10s' }, deploys: { type: 'string', default: '5' } } });
const quiet = linesTo(() => undefined);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function latency(url: string, token: string, bodies: Buffer[]) {
  const { plan } = resolveScenario({ executor: 'constant-arrival-rate', rate: Number(values.rate), timeUnit: '1s', duration: values.duration, preAllocatedVUs: 10, maxVUs: 50 });
  const result = await runEmbedded({ url, token, bodies, plan, thresholds: [] });
  const trend = result.registry.sink('http_req_duration') as TrendSink;
  const failed = result.registry.sink('http_req_failed') as unknown as { rate(): number } | undefined;
  return { p50: trend.p(0.5), p99: trend.p(0.99), count: trend.count, failed: failed?.rate?.() ?? 0 };
}

type Ref = { workspaceRoot: string; project: string; projectRoot: string };

/** Cold, warm with nothing changed, and after retraining: time to a healthy URL, and whether the model server was kept. */
async function redeployCases(ref: Ref) {
  const timed = async () => {
    const started = performance.now();
    const record = await deployPreview(ref, {}, quiet);
    return { ms: performance.now() - started, pid: record.processes!.model.pid, kept: record.deployment?.modelServer === 'kept' };
  };
  await destroyPreview(ref, {}, quiet);
  const cold = await timed();
  const warm: Awaited<ReturnType<typeof timed>>[] = [];
  for (let i = 0; i < Number(values.deploys); i++) warm.push(await timed());
  const dir = join(ref.workspaceRoot, ref.projectRoot);
  const train = join(dir, 'train.py');
  writeFileSync(train, readFileSync(train, 'utf8').replace('LogisticRegression(max_iter=1000', 'LogisticRegression(C=0.5, max_iter=1000'));
  const venv = await ensureVenv(ref.workspaceRoot, dir);
  execFileSync(venv.python, [train, '--output', modelArtifactDir(ref.workspaceRoot, ref.projectRoot)], { stdio: 'ignore' });
  const changed = await timed();
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  console.log('time to a healthy URL:');
  console.log(`  cold (no preview running)           ${s(cold.ms)}   model server pid ${cold.pid}`);
  console.log(`  warm, model unchanged               median ${s(median(warm.map((w) => w.ms)))} (${s(Math.min(...warm.map((w) => w.ms)))}–${s(Math.max(...warm.map((w) => w.ms)))}, ${warm.length} deploys)   model server ${warm.every((w) => w.kept && w.pid === cold.pid) ? `kept (pid ${cold.pid} every time)` : 'RESTARTED'}`);
  console.log(`  model changed (retrained)           ${s(changed.ms)}   model server ${changed.kept ? 'KEPT' : `restarted (pid ${changed.pid})`}`);
}

async function main() {
  const ws = await makeWorkspace(['iris-bench']);
  const ref = { workspaceRoot: ws.root, project: 'iris-bench', projectRoot: 'apps/iris-bench' };
  try {
    await redeployCases(ref);
    const times: number[] = [];
    for (let i = 0; i < Number(values.deploys); i++) {
      const started = performance.now();
      await deployPreview(ref, {}, quiet);
      times.push(performance.now() - started);
    }
    console.log(`warm deploy-preview, time to a healthy URL over ${times.length} deploys: median ${(median(times) / 1000).toFixed(2)} s, min ${(Math.min(...times) / 1000).toFixed(2)} s, max ${(Math.max(...times) / 1000).toFixed(2)} s`);

    const record = await deployPreview(ref, {}, quiet);
    const config = loadModelConfig(ws.root, ref.projectRoot);
    const bodies = loadExamples(config).map((e) => Buffer.from(JSON.stringify(e.request)));
    const modelUrl = `http://127.0.0.1:${record.processes!.model.port}`;
    // Alternate direct and gateway runs so drift on the machine hits both alike.
    const direct1 = await latency(modelUrl, 'unused', bodies);
    const gateway1 = await latency(record.url, record.token, bodies);
    const direct2 = await latency(modelUrl, 'unused', bodies);
    const gateway2 = await latency(record.url, record.token, bodies);
    const direct = { p50: (direct1.p50 + direct2.p50) / 2, p99: (direct1.p99 + direct2.p99) / 2 };
    const gateway = { p50: (gateway1.p50 + gateway2.p50) / 2, p99: (gateway1.p99 + gateway2.p99) / 2 };
    console.log(`at ${values.rate} req/s for ${values.duration} (x2 each, ${direct1.count + direct2.count} + ${gateway1.count + gateway2.count} requests):`);
    console.log(`  direct to model   p50 ${direct.p50.toFixed(2)} ms   p99 ${direct.p99.toFixed(2)} ms`);
    console.log(`  through gateway   p50 ${gateway.p50.toFixed(2)} ms   p99 ${gateway.p99.toFixed(2)} ms`);
    console.log(`  gateway/direct    p50 x${(gateway.p50 / direct.p50).toFixed(2)}   p99 x${(gateway.p99 / direct.p99).toFixed(2)}   (added p50 ${(gateway.p50 - direct.p50).toFixed(2)} ms)`);
    console.log(`  failed requests   direct ${(direct1.failed + direct2.failed) / 2}  gateway ${(gateway1.failed + gateway2.failed) / 2}`);
  } finally {
    await destroyPreview(ref, {}, quiet);
    ws.cleanup();
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});

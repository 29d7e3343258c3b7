/**
 * Per framework of `nx g @ephenv:model --framework`: cold virtualenv creation (a fresh venvs folder,
 * pip's own download cache as it is), training, warm time to a healthy URL (venv and model in
 * place, no preview running) and the examples' p50/p99 through the local preview's gateway:
 *   node -r @swc-node/register tools/bench/frameworks.ts [--frameworks sklearn,lightgbm,pytorch,onnx] [--rate 20] [--duration 10s] [--deploys 3]
 * (set SWC_NODE_PROJECT=tsconfig.base.json). Prints figures; asserts nothing.
 */
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureVenv, linesTo, loadExamples, loadModelConfig, modelArtifactDir } from '@ephenv/core';
import { resolveScenario, runEmbedded, type TrendSink } from '@ephenv/benchmark';
import { deployPreview, destroyPreview } from '@ephenv/preview';
import { modelGenerator } from '../../generators/src/generators/model/generator';
import type { ModelGeneratorSchema } from '../../generators/src/generators/model/schema';

const { values } = parseArgs({
  options: {
    frameworks: { type: 'string', default: 'sklearn,lightgbm,pytorch,onnx' },
    rate: { type: 'string', default: '20' },
    duration: { type: 'string', default: '10s' },
    deploys: { type: 'string', default: '3' },
  },
});
const quiet = linesTo(() => undefined);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The generated service written to disk as Nx flushes it (modes included). */
async function generate(root: string, name: string, framework: ModelGeneratorSchema['framework']): Promise<string> {
  const tree = createTreeWithEmptyWorkspace();
  await modelGenerator(tree, { name, framework, skipFormat: true });
  const projectRoot = `apps/${name}`;
  for (const change of tree.listChanges()) {
    if (!change.path.startsWith(`${projectRoot}/`) || change.type === 'DELETE' || !change.content) continue;
    const file = join(root, change.path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, change.content);
    if (change.options?.mode) chmodSync(file, change.options.mode);
  }
  return projectRoot;
}

async function timed<T>(fn: () => Promise<T> | T): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await fn();
  return { ms: performance.now() - started, value };
}

async function bench(framework: NonNullable<ModelGeneratorSchema['framework']>) {
  const root = mkdtempSync(join(tmpdir(), `ephenv-bench-${framework}-`));
  writeFileSync(join(root, 'nx.json'), '{}\n');
  const name = `${framework}-bench`;
  const projectRoot = await generate(root, name, framework);
  const ref = { workspaceRoot: root, project: name, projectRoot };
  try {
    const venv = await timed(() => ensureVenv(root, join(root, projectRoot)));
    const python = venv.value.python;
    const trained = await timed(() => execFileSync(python, [join(root, projectRoot, 'train.py'), '--output', modelArtifactDir(root, projectRoot)], { stdio: 'ignore' }));
    await deployPreview(ref, {}, quiet);
    const warm: number[] = [];
    for (let i = 0; i < Number(values.deploys); i++) {
      await destroyPreview(ref, {}, quiet);
      warm.push((await timed(() => deployPreview(ref, {}, quiet))).ms);
    }
    const record = await deployPreview(ref, {}, quiet);
    const bodies = loadExamples(loadModelConfig(root, projectRoot)).map((e) => Buffer.from(JSON.stringify(e.request)));
    const { plan } = resolveScenario({ executor: 'constant-arrival-rate', rate: Number(values.rate), timeUnit: '1s', duration: values.duration, preAllocatedVUs: 5, maxVUs: 20 });
    const result = await runEmbedded({ url: record.url, token: record.token, bodies, plan, thresholds: [] });
    const trend = result.registry.sink('http_req_duration') as TrendSink;
    return { framework, venv: venv.ms, train: trained.ms, warm: median(warm), p50: trend.p(0.5), p99: trend.p(0.99), count: trend.count };
  } finally {
    await destroyPreview(ref, {}, quiet);
    rmSync(root, { recursive: true, force: true });
  }
}

async function main() {
  const rows = [];
  for (const framework of values.frameworks.split(',') as NonNullable<ModelGeneratorSchema['framework']>[]) {
    process.stderr.write(`\n== ${framework}\n`);
    rows.push(await bench(framework));
  }
  console.log(`\nframework   cold venv   train    warm time to URL (median of ${values.deploys})   examples p50 / p99 at ${values.rate} req/s`);
  for (const r of rows) {
    console.log(
      `${r.framework.padEnd(11)} ${seconds(r.venv).padStart(9)}   ${seconds(r.train).padStart(6)}   ${seconds(r.warm).padStart(8)}                          ${r.p50.toFixed(2)} ms / ${r.p99.toFixed(2)} ms (${r.count} requests)`,
    );
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});

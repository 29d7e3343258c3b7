/**
 * The daily loop's fixed costs, as a user meets them in this workspace (run `npx nx run <model>:train`
 * once first):
 *   - `ephenv help`: CPU-seconds and memory (target < 0.3 CPU-s)
 *   - warm `ephenv deploy <model>` of an unchanged model, replacing its running preview (target < 2.5 s),
 *     next to `nx run <model>:deploy-preview` doing the same: the difference is Nx's own overhead
 *   - destroy of a local preview (target < 1 s): the library call and `ephenv destroy <model>`
 *   npm run bench:daily-loop -- [--model iris-classifier] [--runs 5]
 * Every figure is the median and range of --runs runs, each a fresh process as a user's would be.
 * Prints figures; asserts nothing.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { findModelProjectRoot, linesTo } from '@ephenv/core';
import { deployPreview, destroyPreview } from '@ephenv/preview/lifecycle';

const { values } = parseArgs({ options: { model: { type: 'string', default: 'iris-classifier' }, runs: { type: 'string', default: '5' } } });
const root = resolve(__dirname, '../..');
const model = values.model!;
const runs = Number(values.runs);
const ephenv = join(root, 'generators', 'bin', 'ephenv.js');
const quiet = linesTo(() => undefined);

interface Timed {
  wallMs: number;
  cpuS: number;
  maxRssMb: number;
}

/** Runs a command to completion under /usr/bin/time: wall time, CPU (user + system, children included), peak memory. */
async function timed(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Timed> {
  const dir = mkdtempSync(join(tmpdir(), 'ephenv-bench-time-'));
  try {
    const out = join(dir, 'time');
    const started = performance.now();
    const { code, output } = await new Promise<{ code: number | null; output: string }>((done) => {
      const child = spawn('/usr/bin/time', ['-f', '%U %S %M', '-o', out, command, ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (d) => (output += d));
      child.stderr.on('data', (d) => (output += d));
      child.on('close', (code) => done({ code, output }));
    });
    const wallMs = performance.now() - started;
    if (code !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${code}:\n${output}`);
    const [user, sys, rssKb] = readFileSync(out, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
    return { wallMs, cpuS: user + sys, maxRssMb: rssKb / 1024 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const spread = (xs: number[], digits: number, unit: string) =>
  `${median(xs).toFixed(digits)}${unit} (${Math.min(...xs).toFixed(digits)}-${Math.max(...xs).toFixed(digits)})`;

async function repeat<T>(n: number, fn: () => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < n; i++) out.push(await fn());
  return out;
}

async function main() {
  const projectRoot = findModelProjectRoot(root, model);
  if (!projectRoot) throw new Error(`no model project ${model} in ${root}`);
  const ref = { workspaceRoot: root, project: model, projectRoot };
  // Nx's cache is what makes its train dependency free on a warm run: leave it on for the Nx path.
  const nxEnv = { ...process.env, NX_SKIP_NX_CACHE: undefined, NX_DAEMON: process.env.NX_DAEMON ?? 'false' };
  console.log(`daily loop of ${model}, ${runs} runs each; median (min-max)\n`);

  const help = await repeat(runs, () => timed(process.execPath, [ephenv, 'help']));
  console.log(`ephenv help                      ${spread(help.map((t) => t.cpuS), 2, ' CPU-s')}  ${spread(help.map((t) => t.maxRssMb), 0, ' MB')}  (target < 0.3 CPU-s)`);

  try {
    await deployPreview(ref, {}, quiet); // warm: the virtualenv exists and a preview is up
    const cli = await repeat(runs, () => timed(process.execPath, [ephenv, 'deploy', model]));
    const nx = await repeat(runs, () => timed(join(root, 'node_modules', '.bin', 'nx'), ['run', `${model}:deploy-preview`], nxEnv));
    const overhead = nx.map((t, i) => (t.wallMs - cli[i].wallMs) / 1000);
    console.log(`ephenv deploy (replaces)         ${spread(cli.map((t) => t.wallMs / 1000), 2, ' s')}  ${spread(cli.map((t) => t.cpuS), 2, ' CPU-s')}  (target < 2.5 s)`);
    console.log(`nx run ${model}:deploy-preview   ${spread(nx.map((t) => t.wallMs / 1000), 2, ' s')}  ${spread(nx.map((t) => t.cpuS), 2, ' CPU-s')}`);
    console.log(`  Nx's own overhead              ${spread(overhead, 2, ' s')} per call (NX_DAEMON=${nxEnv.NX_DAEMON})`);

    const library: number[] = [];
    const command: number[] = [];
    for (let i = 0; i < runs; i++) {
      await deployPreview(ref, {}, quiet);
      const started = performance.now();
      await destroyPreview(ref, {}, quiet);
      library.push((performance.now() - started) / 1000);
      await deployPreview(ref, {}, quiet);
      command.push((await timed(process.execPath, [ephenv, 'destroy', model])).wallMs / 1000);
    }
    console.log(`destroy, library call            ${spread(library, 2, ' s')}  (target < 1 s)`);
    console.log(`ephenv destroy (a new process)   ${spread(command, 2, ' s')}`);
  } finally {
    await destroyPreview(ref, {}, quiet);
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});

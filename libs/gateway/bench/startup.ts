/**
 * Bundle time and size of both gateway entries, time from `node <bundle>` to listening for the
 * local entry, and the time to load the Lambda bundle (its share of a cold start).
 * Run: node -r @swc-node/register libs/gateway/bench/startup.ts [runs]
 */
import { freePort } from '@ephenv/core';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleGateway } from '../src/bundle';
import { inputSchema, outputSchema } from '../src/testing/model-server';

const runs = Number(process.argv[2] ?? 10);

const stats = (samples: number[]) => {
  const sorted = [...samples].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  return `median ${median.toFixed(0)} ms, min ${sorted[0].toFixed(0)} ms, max ${sorted[sorted.length - 1].toFixed(0)} ms (${samples.length} runs)`;
};

async function timeToListening(bundle: string, configFile: string): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, [bundle, configFile], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  const elapsed = await new Promise<number>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('"event":"listening"')) resolve(performance.now() - started);
    });
    child.on('exit', (code) => reject(new Error(`gateway exited with ${code}: ${out}`)));
  });
  child.removeAllListeners('exit');
  const exited = new Promise((r) => child.on('exit', r));
  child.kill('SIGTERM');
  await exited;
  return elapsed;
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'ephenv-gateway-bench-'));
  try {
    for (const entry of ['local', 'lambda'] as const) {
      const samples: number[] = [];
      let bytes = 0;
      for (let i = 0; i < 3; i++) {
        const result = await bundleGateway({ entry, outfile: join(dir, `${entry}.js`) });
        samples.push(result.ms);
        bytes = result.bytes;
      }
      console.log(`bundle ${entry}: ${(bytes / 1024 / 1024).toFixed(2)} MiB, ${stats(samples)}`);
    }

    writeFileSync(join(dir, 'input.json'), JSON.stringify(inputSchema));
    writeFileSync(join(dir, 'output.json'), JSON.stringify(outputSchema));
    const configFile = join(dir, 'config.json');
    writeFileSync(
      configFile,
      JSON.stringify({ port: await freePort(), token: 'bench-token', inputSchema: 'input.json', outputSchema: 'output.json', modelUrl: 'http://127.0.0.1:9' }),
      { mode: 0o600 },
    );
    const listening: number[] = [];
    for (let i = 0; i < runs; i++) listening.push(await timeToListening(join(dir, 'local.js'), configFile));
    console.log(`local gateway, spawn to listening: ${stats(listening)}`);

    const load: number[] = [];
    for (let i = 0; i < runs; i++) {
      const script = `const t = performance.now(); require(${JSON.stringify(join(dir, 'lambda.js'))}); process.stdout.write(String(performance.now() - t));`;
      load.push(Number(execFileSync(process.execPath, ['-e', script], { env: { PATH: process.env.PATH } })));
    }
    console.log(`lambda bundle, require(): ${stats(load)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

import { cpSync, mkdirSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { loadExamples, loadModelConfig, writeRecord } from '@ephenv/core';
import { runBenchmark, type BenchmarkSummary } from '@ephenv/benchmark';
import { createHandler, startLocalGateway } from '@ephenv/gateway';

const REPO = resolve(__dirname, '..', '..', '..', '..');
const PROJECT = 'iris-classifier';
const PROJECT_ROOT = `apps/${PROJECT}`;
const quiet = { write: () => true } as unknown as NodeJS.WritableStream;

/**
 * A real benchmark of the example model in `root`: its ephenv.json and schemas, the real gateway
 * in front of an in-process stand-in that answers each example's expected response, and the
 * embedded load engine for `duration` at `rate`. Writes dist/ephenv/iris-classifier/benchmark.json
 * (with the per-second timeline), compared with `baseline` when given.
 */
export async function runExampleBenchmark(root: string, options: { duration: string; rate: number; baseline?: string }): Promise<BenchmarkSummary> {
  mkdirSync(join(root, PROJECT_ROOT), { recursive: true });
  cpSync(join(REPO, PROJECT_ROOT, 'ephenv.json'), join(root, PROJECT_ROOT, 'ephenv.json'));
  cpSync(join(REPO, PROJECT_ROOT, 'schemas'), join(root, PROJECT_ROOT, 'schemas'), { recursive: true });
  const config = loadModelConfig(root, PROJECT_ROOT);
  const examples = loadExamples(config);
  const token = randomBytes(32).toString('base64url');
  const handler = createHandler({
    inputSchema: JSON.parse(readFileSync(config.schemas.input, 'utf8')),
    outputSchema: JSON.parse(readFileSync(config.schemas.output, 'utf8')),
    token,
    invoker: {
      async invoke(body) {
        const request = JSON.parse(body.toString());
        const answer = (examples.find((e) => isDeepStrictEqual(e.request, request)) ?? examples[0]).response;
        return { status: 200, body: Buffer.from(JSON.stringify(answer)), contentType: 'application/json' };
      },
      async ping() {},
    },
    modelName: PROJECT,
    log: () => undefined,
  });
  const gateway = await startLocalGateway({ handler });
  try {
    writeRecord(root, { project: PROJECT, provider: 'local', url: gateway.url, token, pr: '42', gitSha: '3f9c2d4', startedAt: new Date().toISOString() });
    const result = await runBenchmark(
      { engine: 'embedded', duration: options.duration, rate: options.rate, progress: false, baseline: options.baseline },
      { workspaceRoot: root, projectRoot: PROJECT_ROOT, project: PROJECT, env: { PATH: '' }, stdout: quiet, stderr: quiet },
    );
    return result.summary;
  } finally {
    await gateway.close();
  }
}

/**
 * aws deploy-preview overhead: the wall time of `deploy-preview --provider aws` next to a bare
 * `terraform init && terraform apply` of the same root stack with the same variables, each on a
 * fresh PR (fresh state key and data dir), against one moto server:
 *   SWC_NODE_PROJECT=tsconfig.base.json node -r @swc-node/register tools/bench/aws-deploy.ts [--runs 3]
 * Prints figures (target: ratio <= 1.3); asserts nothing.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { linesTo, loadModelConfig } from '@ephenv/core';
import { awsSettings, deployPreview, findProviderMirror, gatewayZipPath, s3BackendArgs, stackVariables, stateKey, terraformEnv } from '@ephenv/preview';
import { awsTestEnv, bootstrapEmulator, commit, imageUri, makeWorkspace, prepareAwsWorkspace, REPO, setEnv, startMoto } from '@ephenv/testing';

const run = promisify(execFile);
const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' } } });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const PROJECT = 'iris-bench';

async function main() {
  const ws = await makeWorkspace([PROJECT]);
  prepareAwsWorkspace(ws.root);
  const moto = await startMoto();
  const restoreEnv = setEnv(awsTestEnv(moto.endpoint, findProviderMirror(REPO)));
  try {
    await bootstrapEmulator(moto.endpoint, [PROJECT]);
    const sha = commit(ws.root, 'bench');
    const ref = { workspaceRoot: ws.root, project: PROJECT, projectRoot: `apps/${PROJECT}` };
    const config = loadModelConfig(ws.root, ref.projectRoot);
    const settings = awsSettings(ws.root, config);
    const image = imageUri(PROJECT, sha);
    const rootDir = join(ws.root, 'apps', PROJECT, 'infra');
    // Warm-up (first provider load from disk, the first bundle): not measured.
    await deployPreview(ref, { provider: 'aws', pr: '100', imageUri: image }, linesTo(() => undefined));

    const ephenv: number[] = [];
    const bare: number[] = [];
    const phases: Record<string, number[]> = {};
    for (let i = 1; i <= Number(values.runs); i++) {
      let started = performance.now();
      const record = await deployPreview(ref, { provider: 'aws', pr: String(100 + i), imageUri: image }, linesTo(() => undefined));
      ephenv.push(performance.now() - started);
      for (const [name, ms] of Object.entries(record.aws!.timings_ms as Record<string, number>)) (phases[name] ??= []).push(ms);

      const pr = String(200 + i);
      const env = { ...process.env, ...terraformEnv(ws.root), TF_DATA_DIR: join(ws.root, '.ephenv', 'bench', `pr-${pr}`), TF_VAR_token: randomBytes(32).toString('base64url') };
      const vars = stackVariables({ project: PROJECT, pr, gitSha: sha, imageUri: image, gatewayZip: gatewayZipPath(ws.root, PROJECT), region: settings.region, config });
      const backend = s3BackendArgs({ bucket: settings.stateBucket, key: stateKey(PROJECT, pr), region: settings.region, lockTable: settings.lockTable, endpoint: settings.endpoint });
      started = performance.now();
      await run('terraform', ['init', '-input=false', '-no-color', ...backend], { cwd: rootDir, env });
      await run('terraform', ['apply', '-auto-approve', '-input=false', '-no-color', ...Object.entries(vars).flatMap(([k, v]) => ['-var', `${k}=${v}`])], { cwd: rootDir, env, maxBuffer: 64 * 1024 * 1024 });
      bare.push(performance.now() - started);
      console.log(`run ${i}: deploy-preview --provider aws ${s(ephenv.at(-1)!)}   terraform init && apply ${s(bare.at(-1)!)}`);
    }
    console.log(`\nover ${ephenv.length} runs (medians), fresh PR each, moto on loopback:`);
    console.log(`  deploy-preview --provider aws   ${s(median(ephenv))}   (${Object.entries(phases).map(([n, ms]) => `${n} ${s(median(ms))}`).join(', ')})`);
    console.log(`  terraform init && apply         ${s(median(bare))}`);
    console.log(`  ratio                           x${(median(ephenv) / median(bare)).toFixed(2)}   (target <= 1.3)`);
  } finally {
    restoreEnv();
    await moto.stop();
    ws.cleanup();
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});

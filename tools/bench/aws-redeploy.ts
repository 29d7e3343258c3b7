/**
 * aws re-deploys against moto: a cold deploy, a redeploy with nothing changed, and a redeploy after a
 * test-only change (a test and the k6 script), each with the share of its time spent per phase; and
 * the test-only redeploy next to a no-op `terraform apply` of the same stack (target: <= 1.3x).
 * The image is put into the emulator's ECR under its content tag first (no Docker here), as a
 * pipeline that built it elsewhere would:
 *   SWC_NODE_PROJECT=tsconfig.base.json node -r @swc-node/register tools/bench/aws-redeploy.ts [--runs 3]
 * Prints figures; asserts nothing.
 */
import { execFile, execFileSync } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { ECRClient, PutImageCommand } from '@aws-sdk/client-ecr';
import { linesTo, loadModelConfig, modelArtifactDir, readRecord, type DeploymentSummary } from '@ephenv/core';
import { deployPreview, findProviderMirror, gatewayZipPath, modelContent, stackDataDir, stackVariables, terraformEnv } from '@ephenv/preview';
import { awsTestEnv, bootstrapEmulator, commit, emulatorClientConfig, imageUri, makeWorkspace, prepareAwsWorkspace, REGION, REPO, setEnv, startMoto } from '@ephenv/testing';

const run = promisify(execFile);
const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' } } });
const RUNS = Number(values.runs);
const PROJECT = 'iris-bench';
const PR = '7';
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const range = (xs: number[]) => `median ${s(median(xs))} (${s(Math.min(...xs))}–${s(Math.max(...xs))}, ${xs.length} runs)`;

/** "apply 62% · checks 12% · ...": each phase's median over the median total. */
function shares(runs: DeploymentSummary[]): string {
  const total = median(runs.map((r) => r.totalMs));
  const names = Object.keys(runs[0].phasesMs);
  return names
    .map((name) => [name, median(runs.map((r) => r.phasesMs[name] ?? 0))] as const)
    .sort((a, b) => b[1] - a[1])
    .map(([name, ms]) => `${name} ${s(ms)} ${Math.round((100 * ms) / total)}%`)
    .join(' · ');
}

async function main() {
  const ws = await makeWorkspace([PROJECT]);
  prepareAwsWorkspace(ws.root);
  const moto = await startMoto();
  const restoreEnv = setEnv(awsTestEnv(moto.endpoint, findProviderMirror(REPO)));
  const ref = { workspaceRoot: ws.root, project: PROJECT, projectRoot: `apps/${PROJECT}` };
  const projectDir = join(ws.root, 'apps', PROJECT);
  const deploy = async () => {
    await deployPreview(ref, { provider: 'aws', pr: PR }, linesTo(() => undefined));
    return readRecord(ws.root, PROJECT)!.deployment!;
  };
  try {
    await bootstrapEmulator(moto.endpoint, [PROJECT]);
    const { tag } = modelContent(projectDir, modelArtifactDir(ws.root, ref.projectRoot));
    const manifest = JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
      config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: 7023, digest: `sha256:${'a'.repeat(64)}` },
      layers: [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: 32654, digest: `sha256:${'b'.repeat(64)}` }],
    });
    await new ECRClient(emulatorClientConfig(moto.endpoint)).send(new PutImageCommand({ repositoryName: PROJECT, imageManifest: manifest, imageTag: tag }));
    commit(ws.root, 'bench');

    const cold = await deploy();
    console.log(`cold deploy (endpoint ${cold.endpoint}, image ${cold.image}): ${s(cold.totalMs)}\n  ${shares([cold])}`);

    const unchanged: DeploymentSummary[] = [];
    for (let i = 0; i < RUNS; i++) unchanged.push(await deploy());
    console.log(`redeploy, nothing changed (endpoint ${unchanged[0].endpoint}): ${range(unchanged.map((r) => r.totalMs))}\n  ${shares(unchanged)}`);

    const testOnly: DeploymentSummary[] = [];
    const noOp: number[] = [];
    const config = loadModelConfig(ws.root, ref.projectRoot);
    const token = readRecord(ws.root, PROJECT)!.token;
    for (let i = 0; i < RUNS; i++) {
      appendFileSync(join(projectDir, 'tests', 'test_app.py'), `\n# test change ${i}\n`);
      appendFileSync(join(projectDir, 'load', 'k6.js'), `\n// load change ${i}\n`);
      execFileSync('git', ['add', '-A'], { cwd: ws.root });
      const sha = commit(ws.root, `tests only ${i}`);
      testOnly.push(await deploy());

      // The same stack, same variables, applied again by Terraform alone: nothing to change.
      const env = { ...process.env, ...terraformEnv(ws.root), TF_DATA_DIR: stackDataDir(ws.root, PROJECT, PR), TF_VAR_token: token };
      const vars = stackVariables({ project: PROJECT, pr: PR, gitSha: sha, imageUri: imageUri(PROJECT, tag), gatewayZip: gatewayZipPath(ws.root, PROJECT), region: REGION, config });
      const started = performance.now();
      await run('terraform', ['apply', '-auto-approve', '-input=false', '-no-color', ...Object.entries(vars).flatMap(([k, v]) => ['-var', `${k}=${v}`])], {
        cwd: join(projectDir, 'infra'),
        env,
        maxBuffer: 64 << 20,
      });
      noOp.push(performance.now() - started);
    }
    console.log(`redeploy after a test-only change (endpoint ${testOnly[0].endpoint}, image ${testOnly[0].image}): ${range(testOnly.map((r) => r.totalMs))}\n  ${shares(testOnly)}`);
    console.log(`no-op terraform apply of the same stack: ${range(noOp)}`);
    console.log(`ratio test-only redeploy / no-op apply: x${(median(testOnly.map((r) => r.totalMs)) / median(noOp)).toFixed(2)} (target <= 1.3)`);
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

import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsSettings, deployPreview, findProviderMirror, stateKey } from '@ephenv/preview';
import {
  awsTestEnv,
  bootstrapEmulator,
  commit,
  emulatorClientConfig,
  findPreviewResources,
  imageUri,
  injectOrphan,
  makeWorkspace,
  prepareAwsWorkspace,
  REPO,
  setEnv,
  startMoto,
  STATE_BUCKET,
  type MotoServer,
  type TestWorkspace,
} from '@ephenv/testing';
import { reap } from '../src/reap';
import { reapSummary } from '../src/report';
import { linesTo } from '@ephenv/core';

const MODEL = 'iris-reap';

describe('ephenv reap through real Terraform against moto', () => {
  let moto: MotoServer;
  let ws: TestWorkspace;
  let restoreEnv: () => void;

  beforeAll(async () => {
    ws = await makeWorkspace([MODEL]);
    prepareAwsWorkspace(ws.root);
    moto = await startMoto();
    restoreEnv = setEnv(awsTestEnv(moto.endpoint, findProviderMirror(REPO)));
    await bootstrapEmulator(moto.endpoint, ws.projects);
  }, 300_000);

  afterAll(async () => {
    restoreEnv?.();
    await moto?.stop();
    ws?.cleanup();
  });

  it('destroys an expired preview through its state, and one whose state is lost with the SDK', async () => {
    const sha = commit(ws.root, 'a change');
    const lines: string[] = [];
    const record = await deployPreview(
      { workspaceRoot: ws.root, project: MODEL, projectRoot: `apps/${MODEL}` },
      { provider: 'aws', pr: '5', imageUri: imageUri(MODEL, sha) },
      linesTo((line) => lines.push(line)),
    );
    expect((await findPreviewResources(moto.endpoint, MODEL, '5')).endpoints).toEqual([`${MODEL}-pr-5`]);
    const expiresAt = String(record.aws!.expires_at);
    const lost = await injectOrphan(moto.endpoint, { project: MODEL, pr: '6', expiresAt: new Date(Date.parse(expiresAt) - 3600_000) });

    const progress: string[] = [];
    const report = await reap({ workspaceRoot: ws.root, settings: awsSettings(ws.root), now: new Date(Date.parse(expiresAt) + 60_000), progress: (l) => progress.push(l) });

    expect(report.previews.map((p) => [p.pr, p.expiresAt, p.action, p.result])).toEqual([
      ['5', expiresAt, 'terraform destroy', 'deleted'],
      ['6', lost.tagsOf('endpoint').ExpiresAt, 'sdk delete', 'deleted'],
    ]);
    // Terraform removed everything: the SDK sweep after it found nothing left.
    expect(report.previews[0].resources).toEqual([]);
    expect(progress.join('\n')).toMatch(/iris-reap PR 5: destroyed \d+ resources of iris-reap-pr-5/);
    expect(reapSummary(report)).toBe('reaped 2 of 2 ephemeral previews, kept 0');

    // Checked independently of the reaper: nothing of either preview is left, and the state is empty.
    expect(await findPreviewResources(moto.endpoint, MODEL, '5')).toEqual({
      endpoints: [],
      endpointConfigs: [],
      models: [],
      lambda: undefined,
      apis: [],
      logGroups: [],
      parameter: undefined,
      roles: [],
      tags: {},
    });
    expect(await lost.remaining()).toEqual([]);
    const s3 = new S3Client({ ...emulatorClientConfig(moto.endpoint), forcePathStyle: true });
    const state = JSON.parse(await (await s3.send(new GetObjectCommand({ Bucket: STATE_BUCKET, Key: stateKey(MODEL, '5') }))).Body!.transformToString());
    s3.destroy();
    expect(state.resources.filter((r: { mode: string }) => r.mode === 'managed')).toEqual([]);
  }, 600_000);
});

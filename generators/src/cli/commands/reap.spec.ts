import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '@ephenv/core';
import { injectOrphan, type InjectedOrphan, emulatorS3ClientConfig, emulatorEnv, startMoto, type MotoServer } from '@ephenv/testing';
import { reapCommand } from './reap';
import type { CommandIo } from './report';

const BUCKET = 'ephenv-reaper-cli-state';
/** A secret the output must never show (moto accepts any credentials). */
const SECRET = 'reaper-cli-secret-0123456789';

let moto: MotoServer;
let workspace: string;
let saved: NodeJS.ProcessEnv;

function capture(): CommandIo & { stdout: string; stderr: string } {
  const io = { stdout: '', stderr: '', out: (t: string) => void (io.stdout += t), err: (t: string) => void (io.stderr += t) };
  return io;
}

beforeAll(async () => {
  moto = await startMoto();
  workspace = mkdtempSync(join(tmpdir(), 'ephenv-reap-cli-'));
  writeFileSync(join(workspace, 'nx.json'), '{}\n');
  // The reaper acts only on previews of this checkout's models.
  mkdirSync(join(workspace, 'apps', 'iris-classifier'), { recursive: true });
  writeFileSync(join(workspace, 'apps', 'iris-classifier', 'ephenv.json'), '{"name": "iris-classifier"}\n');
  // The command reaches AWS the way it does in CI: through the SDK's default configuration chain.
  saved = { ...process.env };
  Object.assign(process.env, emulatorEnv(moto.endpoint), { AWS_SECRET_ACCESS_KEY: SECRET, EPHENV_STATE_BUCKET: BUCKET });
  for (const name of ['AWS_PROFILE', 'AWS_SESSION_TOKEN', 'EPHENV_LOCK_TABLE']) delete process.env[name];
  const s3 = new S3Client(emulatorS3ClientConfig(moto.endpoint));
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  s3.destroy();
});

afterAll(async () => {
  if (saved) {
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    Object.assign(process.env, saved);
  }
  await moto?.stop();
  if (workspace) rmSync(workspace, { recursive: true, force: true });
});

describe('ephenv reap', () => {
  let expired: InjectedOrphan;
  let fresh: InjectedOrphan;

  beforeAll(async () => {
    const hour = 3600_000;
    expired = await injectOrphan(moto.endpoint, { project: 'iris-classifier', pr: '7', expiresAt: new Date(Date.now() - 2 * hour) });
    fresh = await injectOrphan(moto.endpoint, { project: 'iris-classifier', pr: '8', expiresAt: new Date(Date.now() + 24 * hour) });
  }, 60_000);

  it('rejects bad options with exit 2 and the usage', async () => {
    for (const args of [['--closed-prs', '12,abc'], ['--now', 'yesterday'], ['--force'], ['--closed-prs', 'local']]) {
      const io = capture();
      expect(await reapCommand(workspace, args, io)).toBe(2);
      expect(io.stderr).toContain('usage: ephenv reap [--dry-run] [--closed-prs 12,14] [--now <iso date>]');
    }
  });

  it('--dry-run prints the table and what would go, and changes nothing', async () => {
    const io = capture();
    expect(await reapCommand(workspace, ['--dry-run', '--closed-prs', '8'], io)).toBe(0);
    const [header, ...rows] = io.stdout.split('\n');
    expect(header).toMatch(/^PROJECT\s+PR\s+ENDPOINT\s+EXPIRES AT\s+ACTION\s+RESULT$/);
    expect(rows[0]).toMatch(/^iris-classifier\s+7\s+iris-classifier-pr-7\s+\S+Z\s+sdk delete \(expired 2 h ago\)\s+would delete 11 resources$/);
    expect(rows[1]).toMatch(/^iris-classifier\s+8\s+iris-classifier-pr-8\s+\S+Z\s+sdk delete \(PR closed\)\s+would delete 11 resources$/);
    expect(io.stdout).toContain(`no terraform destroy: no Terraform state at s3://${BUCKET}/previews/iris-classifier/pr-7.tfstate`);
    expect(io.stdout).toContain(`would delete: IAM role ${expired.roleNames[0]}`);
    expect(io.stdout).toMatch(/dry run: 2 of 2 ephemeral previews would be reaped \(22 resources\); nothing was changed\n$/);
    expect(await expired.remaining()).toHaveLength(11);
    expect(await fresh.remaining()).toHaveLength(11);
  });

  it('takes an empty --closed-prs (reaper.yml when no PR was closed) as no closed PR', async () => {
    const io = capture();
    expect(await reapCommand(workspace, ['--dry-run', '--closed-prs', ''], io)).toBe(0);
    expect(io.stdout).toMatch(/iris-classifier\s+8\s+.*keep \(expires in 24 h\)\s+kept/);
    expect(io.stderr).toContain('ephenv reap: maximum age 168 h from the default preview policy (no ephenv.policy.json in the working tree; no base branch: local use)');
  });

  it('exits 1 and says what is left when a deletion fails; the next run removes the rest', async () => {
    const deadPort = await freePort('127.0.0.1');
    process.env.AWS_ENDPOINT_URL_LAMBDA = `http://127.0.0.1:${deadPort}`;
    process.env.AWS_MAX_ATTEMPTS = '1';
    const io = capture();
    try {
      expect(await reapCommand(workspace, [], io)).toBe(1);
    } finally {
      delete process.env.AWS_ENDPOINT_URL_LAMBDA;
      delete process.env.AWS_MAX_ATTEMPTS;
    }
    expect(io.stdout).toMatch(/iris-classifier\s+7\s+.*FAILED/);
    expect(io.stdout).toContain(`PROBLEM: reading the tags of Lambda function ${expired.functionName} failed`);
    expect(io.stdout).toContain('FAILED for iris-classifier PR 7');
    expect(io.stderr).toContain('ephenv reap: iris-classifier PR 7: no Terraform state at');
    expect(io.stdout + io.stderr).not.toContain(SECRET);
    expect(await expired.remaining()).toEqual([`endpoint ${expired.endpointName}`, `lambda ${expired.functionName}`]);

    const retry = capture();
    expect(await reapCommand(workspace, [], retry)).toBe(0);
    expect(retry.stdout).toMatch(/reaped 1 of 2 ephemeral previews, kept 1\n$/);
    expect(await expired.remaining()).toEqual([]);
    expect(await fresh.remaining()).toHaveLength(11);
  });
});

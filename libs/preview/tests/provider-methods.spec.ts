import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isAlive, linesTo, listRecords, loadModelConfig, readResult, resultFile, startDetached, writeRecord, type ModelConfig, type PreviewRecord } from '@ephenv/core';
import { destroyPrPreviews, providerFor, readPreviewLogs, writePreviewOutput } from '../src';

const SHA = '3f9c2d41e8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3';
const TOKEN = 'Zq3v9XkLm2Pw8RtY6uJh4GfD1sAeC7bN5oKiU0yTxWc';
const config = (): ModelConfig => loadModelConfig(join(__dirname, '..', '..', '..'), 'apps/iris-classifier');

describe('what each provider answers for its previews', () => {
  let ws: string;
  const started: number[] = [];
  beforeEach(() => {
    ws = mkdtempSync(join(tmpdir(), 'ephenv-provider-'));
  });
  afterEach(() => {
    for (const pid of started.splice(0)) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    rmSync(ws, { recursive: true, force: true });
  });

  /** A local record whose two "processes" are real sleeping children, so liveness and stopping are real. */
  function localRecord(project: string, pr: string): PreviewRecord {
    const proc = (role: string) => {
      const command = ['sleep', '300'];
      const log = join(ws, '.ephenv', 'logs', project, `${role}.log`);
      const { pid } = startDetached(command, { log, cwd: ws, env: process.env });
      started.push(pid);
      writeFileSync(log, `${role} of ${project} listening\n`);
      return { pid, command, port: 0, log };
    };
    const record: PreviewRecord = { project, provider: 'local', url: 'http://127.0.0.1:1', token: TOKEN, pr, gitSha: SHA, startedAt: new Date().toISOString(), processes: { model: proc('model'), gateway: proc('gateway') } };
    writeRecord(ws, record);
    return record;
  }

  const awsRecord: PreviewRecord = {
    project: 'iris',
    provider: 'aws',
    url: 'https://abc.execute-api.eu-west-1.amazonaws.com',
    token: TOKEN,
    pr: '7',
    gitSha: SHA,
    startedAt: '2026-11-26T09:14:16.674Z',
    aws: { region: 'eu-west-1', token_parameter_name: '/ephenv/iris-pr-7/token', expires_at: '2026-11-29T09:14:16.674Z' },
  };

  it('local: preview.json says where the token and logs are on this machine, costs nothing, and never holds the token', async () => {
    const record = localRecord('iris', '5');
    writePreviewOutput(ws, record, config(), await providerFor('local'));
    expect(readFileSync(resultFile(ws, 'iris', 'preview'), 'utf8')).not.toContain(TOKEN);
    const output = readResult(ws, 'iris', 'preview');
    expect(output.access).toEqual({
      public: false,
      token: { kind: 'preview record', name: '.ephenv/previews/iris.json', note: 'on the machine that deployed it, mode 0600', command: 'npx ephenv token iris' },
      logs: { command: 'npx nx run iris:logs', files: { model: record.processes!.model.log, gateway: record.processes!.gateway.log } },
      destroyCommand: 'npx nx run iris:destroy-preview',
      reaped: false,
    });
    expect(output.cost).toBeUndefined();
    expect(output.expiresAt).toBeUndefined();
  });

  it('aws: preview.json names the SSM parameter, the CloudWatch groups, the reaper and what SageMaker bills', async () => {
    const realtime: ModelConfig = { ...config(), endpoint: { ...config().endpoint, type: 'realtime', instanceType: 'ml.m5.large', instanceCount: 2 } };
    writePreviewOutput(ws, awsRecord, realtime, await providerFor('aws'));
    expect(readFileSync(resultFile(ws, 'iris', 'preview'), 'utf8')).not.toContain(TOKEN);
    const output = readResult(ws, 'iris', 'preview');
    expect(output.access).toEqual({
      public: true,
      token: { kind: 'SSM SecureString', name: '/ephenv/iris-pr-7/token', command: 'aws ssm get-parameter --name /ephenv/iris-pr-7/token --with-decryption --query Parameter.Value --output text --region eu-west-1' },
      logs: {
        command: 'npx nx run iris:logs --provider aws',
        cloudWatch: { region: 'eu-west-1', groups: { gateway: '/aws/lambda/iris-pr-7-gateway', access: '/aws/apigateway/iris-pr-7/access', endpoint: '/aws/sagemaker/Endpoints/iris-pr-7' } },
      },
      destroyCommand: 'npx nx run iris:destroy-preview --provider aws --pr 7',
      reaped: true,
    });
    expect(output.cost).toEqual({ region: 'eu-west-1', endpointType: 'realtime', instanceType: 'ml.m5.large', instanceCount: 2 });
    expect(output.expiresAt).toBe('2026-11-29T09:14:16.674Z');
    expect((await providerFor('aws')).isGone(awsRecord)).toBe(false);
  });

  it('local: a record is gone once its processes have stopped, not before', async () => {
    const local = await providerFor('local');
    const record = localRecord('iris', '5');
    expect(local.isGone(record)).toBe(false);
    for (const proc of Object.values(record.processes!)) process.kill(proc.pid, 'SIGKILL');
    await expect.poll(() => local.isGone(record), { timeout: 5000 }).toBe(true);
  });

  it('local: the logs are the recorded files, read through the recorded provider', async () => {
    localRecord('iris', '5');
    const text = await readPreviewLogs(ws, 'iris', { lines: 5 });
    expect(text).toContain('--- model: ');
    expect(text).toContain('model of iris listening');
    expect(text).toContain('gateway of iris listening');
    expect(await readPreviewLogs(ws, 'other')).toBe('no preview of other: start one with "npx nx run other:deploy-preview"');
  });

  it("destroy-by-PR (local) stops exactly that PR's previews and keeps the others", async () => {
    mkdirSync(join(ws, 'dist'), { recursive: true });
    const a = localRecord('iris-a', '5');
    const b = localRecord('iris-b', '5');
    const other = localRecord('iris-c', '6');
    const lines: string[] = [];
    const outcomes = await destroyPrPreviews(ws, 5, { provider: 'local' }, linesTo((l) => lines.push(l)));
    expect(outcomes.map((o) => [o.project, o.result?.destroyed])).toEqual([
      ['iris-a', true],
      ['iris-b', true],
    ]);
    for (const proc of [...Object.values(a.processes!), ...Object.values(b.processes!)]) await expect.poll(() => isAlive(proc.pid), { timeout: 5000 }).toBe(false);
    expect(Object.values(other.processes!).every((p) => isAlive(p.pid))).toBe(true);
    expect(listRecords(ws).map((r) => r.project)).toEqual(['iris-c']);
    expect(await destroyPrPreviews(ws, 9, { provider: 'local' }, linesTo((l) => lines.push(l)))).toEqual([]);
    expect(lines.at(-1)).toBe('ephenv: no local previews of PR 9');
  });

  it('refuses a provider it does not know, naming the ones it does', async () => {
    await expect(destroyPrPreviews(ws, 5, { provider: 'gcp' })).rejects.toThrow('--provider must be "local" or "aws" (or EPHENV_PROVIDER); got "gcp"');
  });
});

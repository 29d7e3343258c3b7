import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isPullRequest, LOCAL_PR, normalizePr } from '../naming';
import { providerName } from '../provider-name';
import { resultFile, runFile } from './files';
import type { PreviewOutput } from './preview';
import { findResult, hasAnyResult, loadRun, readResult, removeResult, ResultFileError, writeResult, writeRun } from './read-write';
import type { ValidateReport } from './validate';

const PROJECT = 'iris';

const preview: PreviewOutput = {
  project: PROJECT,
  provider: 'aws',
  url: 'https://abc.execute-api.us-east-1.amazonaws.com',
  pr: '7',
  gitSha: '3f9c2d41e8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3',
  startedAt: '2026-11-26T09:14:16.674Z',
  endpointType: 'realtime',
  ttlHours: 72,
  expiresAt: '2026-11-29T09:14:16.674Z',
  access: {
    public: true,
    token: { kind: 'SSM SecureString', name: '/ephenv/iris-pr-7/token', command: 'aws ssm get-parameter --name /ephenv/iris-pr-7/token' },
    logs: { command: 'npx nx run iris:logs --provider aws', cloudWatch: { region: 'us-east-1', groups: { gateway: '/aws/lambda/iris-pr-7-gateway' } } },
    destroyCommand: 'npx nx run iris:destroy-preview --provider aws --pr 7',
    reaped: true,
  },
  cost: { region: 'us-east-1', endpointType: 'realtime', instanceType: 'ml.m5.large', instanceCount: 1 },
  aws: { region: 'us-east-1', endpoint_name: 'iris-pr-7', token_parameter_name: '/ephenv/iris-pr-7/token' },
};

const validate: ValidateReport = {
  project: PROJECT,
  status: 'pass',
  startedAt: '2026-11-26T09:15:00.000Z',
  durationMs: 812,
  parts: ['static'],
  checks: [{ part: 'static', name: 'input schema compiles', status: 'pass', message: 'ok', durationMs: 3 }],
  compat: { base: 'main', allowBreaking: false, findings: [] },
  live: { ran: false, reason: 'no preview' },
};

describe('core results: one contract and path per result file', () => {
  let ws: string;
  beforeEach(() => {
    ws = mkdtempSync(join(tmpdir(), 'ephenv-results-'));
  });
  afterEach(() => rmSync(ws, { recursive: true, force: true }));

  const overwrite = (value: unknown) => {
    const file = resultFile(ws, PROJECT, 'preview');
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
  };

  it('writes each result under dist/ephenv/<project>/<kind>.json and reads back exactly what was written', () => {
    const file = writeResult(ws, PROJECT, 'preview', preview);
    expect(file).toBe(join(ws, 'dist', 'ephenv', PROJECT, 'preview.json'));
    expect(readResult(ws, PROJECT, 'preview')).toEqual(preview);
    writeResult(ws, PROJECT, 'validate', validate);
    expect(readResult(ws, PROJECT, 'validate')).toEqual(validate);
    expect(readFileSync(file, 'utf8').endsWith('}\n')).toBe(true);

    writeRun(ws, { pr: '7', provider: 'aws', models: [PROJECT], steps: { [PROJECT]: { deploy: 'ok' } }, startedAt: '2026-11-26T09:00:00.000Z' });
    expect(runFile(ws)).toBe(join(ws, 'dist', 'ephenv', 'pr-run.json'));
    expect(loadRun(ws)?.data.steps[PROJECT]).toEqual({ deploy: 'ok' });
  });

  it('tells a missing file from a malformed one: find gives undefined, read names the file and the command that writes it', () => {
    expect(findResult(ws, PROJECT, 'benchmark')).toBeUndefined();
    expect(hasAnyResult(ws, PROJECT)).toBe(false);
    const missing = (() => {
      try {
        readResult(ws, PROJECT, 'benchmark');
      } catch (e) {
        return e;
      }
    })() as ResultFileError;
    expect(missing).toBeInstanceOf(ResultFileError);
    expect(missing.kind).toBe('benchmark');
    expect(missing.file).toBe(resultFile(ws, PROJECT, 'benchmark'));
    expect(missing.message).toBe('dist/ephenv/iris/benchmark.json does not exist. Run "npx nx run <model>:benchmark" first.');

    writeResult(ws, PROJECT, 'validate', validate);
    expect(hasAnyResult(ws, PROJECT)).toBe(true);
    removeResult(ws, PROJECT, 'validate');
    expect(hasAnyResult(ws, PROJECT)).toBe(false);
  });

  it('refuses a file that is not JSON, or not the shape its producer writes, naming the file and what is wrong', () => {
    overwrite('{"url": ');
    expect(() => findResult(ws, PROJECT, 'preview')).toThrow(ResultFileError);
    expect(() => findResult(ws, PROJECT, 'preview')).toThrow(/^cannot read dist\/ephenv\/iris\/preview\.json: .*run "npx nx run <model>:deploy-preview" again\.$/);

    overwrite([preview]);
    expect(() => findResult(ws, PROJECT, 'preview')).toThrow('dist/ephenv/iris/preview.json is not a preview result: it is not a JSON object');
    overwrite({ ...preview, provider: 'gcp' });
    expect(() => findResult(ws, PROJECT, 'preview')).toThrow('"provider" is not one of local, aws');
    const { access: _access, ...withoutAccess } = preview;
    overwrite(withoutAccess);
    expect(() => findResult(ws, PROJECT, 'preview')).toThrow('"access" is missing');

    const file = resultFile(ws, PROJECT, 'validate');
    writeFileSync(file, JSON.stringify({ ...validate, status: 'ok' }));
    expect(() => readResult(ws, PROJECT, 'validate')).toThrow('dist/ephenv/iris/validate.json is not a validate result: "status" is neither pass nor fail');
  });

  it('refuses old and guessed field names instead of reading them under another name', () => {
    overwrite({ ...preview, token: 'in the SSM SecureString /ephenv/iris-pr-7/token' });
    expect(() => findResult(ws, PROJECT, 'preview')).toThrow('"token" is an old field: it is now "access.token"');
    overwrite({ ...preview, logs: { gateway: 'gateway.log' } });
    expect(() => findResult(ws, PROJECT, 'preview')).toThrow('"logs" is an old field: it is now "access.logs"');
    overwrite({ ...preview, endpointName: 'iris-pr-7' });
    expect(() => findResult(ws, PROJECT, 'preview')).toThrow('"endpointName" is not a field of preview.json');
    overwrite({ ...preview, aws: { ...preview.aws, tokenParameterName: '/ephenv/iris-pr-7/token' } });
    expect(() => findResult(ws, PROJECT, 'preview')).toThrow('"aws.tokenParameterName" is not a Terraform output name: the aws block holds Terraform\'s outputs under their own names ("aws.token_parameter_name")');
  });
});

describe('provider names and PR labels', () => {
  it('checks a provider name in one place, with the names it takes', () => {
    expect(providerName(undefined, {})).toBe('local');
    expect(providerName(undefined, { EPHENV_PROVIDER: 'aws' })).toBe('aws');
    expect(providerName('local', { EPHENV_PROVIDER: 'aws' })).toBe('local');
    expect(() => providerName('gcp', {})).toThrow('--provider must be "local" or "aws" (or EPHENV_PROVIDER); got "gcp"');
  });

  it('tells a pull request from a preview made outside one', () => {
    expect(normalizePr(undefined)).toBe(LOCAL_PR);
    expect(isPullRequest(LOCAL_PR)).toBe(false);
    expect(isPullRequest(undefined)).toBe(false);
    expect(isPullRequest(normalizePr(12))).toBe(true);
  });
});

import { linesTo, writeRecord } from '@ephenv/core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runValidate, type ValidateOptions } from '../src/run-validate';
import type { ValidateReport } from '../src/types';
import { startGateway, type TestGateway } from './helpers/gateway';
import { addRequiredInput, createWorkspace, PROJECT, PROJECT_ROOT, type Workspace } from './helpers/workspace';

let ws: Workspace | undefined;
let gateway: TestGateway | undefined;
let printed: string[] = [];
const savedBase = process.env.NX_BASE;

beforeEach(() => {
  printed = [];
  delete process.env.NX_BASE;
});
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
  ws?.cleanup();
  ws = undefined;
  if (savedBase === undefined) delete process.env.NX_BASE;
  else process.env.NX_BASE = savedBase;
});

function validate(options: ValidateOptions = {}, env: NodeJS.ProcessEnv = {}) {
  return runValidate(options, { workspaceRoot: ws!.root, projectRoot: PROJECT_ROOT, project: PROJECT, logger: linesTo((t) => printed.push(t)), env });
}

async function startPreview() {
  const examples = ['setosa', 'virginica'].map((name) => ws!.read(`schemas/examples/${name}.json`));
  gateway = await startGateway({ mode: 'correct', inputSchema: ws!.read('schemas/input.schema.json'), examples });
  return gateway;
}

function recordPreview(url: string, token: string) {
  writeRecord(ws!.root, { project: PROJECT, provider: 'local', url, token, pr: 'local', gitSha: 'abc', startedAt: new Date().toISOString() });
}

describe('runValidate', () => {
  it('fails on a breaking change, naming the JSON pointer, and writes validate.json and JUnit XML', async () => {
    ws = createWorkspace();
    addRequiredInput(ws);
    const { success, report, files } = await validate();

    expect(success).toBe(false);
    const output = printed.join('\n');
    expect(output).toContain('breaking change at /instances/*/sepal_area (new-required-request-property)');
    expect(output).toMatch(/✗\s+breaking\s+input\s+\/instances\/\*\/sepal_area\s+new-required-request-property/);

    expect(files.json).toBe(join(ws.root, 'dist', 'ephenv', PROJECT, 'validate.json'));
    const written = JSON.parse(readFileSync(files.json, 'utf8')) as ValidateReport;
    expect(written).toEqual(JSON.parse(JSON.stringify(report)));
    expect(written.status).toBe('fail');
    expect(written.compat).toMatchObject({ base: 'main', allowBreaking: false, findings: [expect.objectContaining({ severity: 'breaking', pointer: '/instances/*/sepal_area' })] });
    expect(written.checks.find((c) => c.name === 'input schema vs main')).toMatchObject({ status: 'fail' });
    for (const c of written.checks) expect(Object.keys(c)).toEqual(expect.arrayContaining(['name', 'status', 'message', 'durationMs']));

    const junit = readFileSync(files.junit, 'utf8');
    expect(junit).toMatch(/<testsuite name="compatibility" tests="2" failures="1"/);
    expect(junit).toContain('/instances/*/sepal_area');
  });

  it('passes a breaking change with allowBreaking and still reports it', async () => {
    ws = createWorkspace();
    addRequiredInput(ws);
    const { success, report } = await validate({ allowBreaking: true });
    expect(success).toBe(true);
    expect(report.compat.findings).toEqual([expect.objectContaining({ severity: 'breaking', rule: 'new-required-request-property' })]);
    expect(report.checks.find((c) => c.name === 'input schema vs main')).toMatchObject({ status: 'warn' });
  });

  it('without a preview runs static and compatibility checks and says how to start one', async () => {
    ws = createWorkspace();
    const { success, report } = await validate();
    expect(success).toBe(true);
    expect(report.live.ran).toBe(false);
    expect(report.checks.find((c) => c.part === 'live')).toMatchObject({ status: 'skip', message: expect.stringContaining(`npx nx run ${PROJECT}:deploy-preview`) });
    expect(printed.join('\n')).toContain(`npx nx run ${PROJECT}:deploy-preview`);

    const always = await validate({ live: 'always' });
    expect(always.success).toBe(false);
  });

  it('runs the live checks against the recorded preview when it answers', async () => {
    ws = createWorkspace();
    const preview = await startPreview();
    recordPreview(preview.url, preview.token);
    const { success, report } = await validate();
    expect(report.checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(success).toBe(true);
    expect(report.live).toEqual({ ran: true, url: preview.url });
    expect(report.checks.filter((c) => c.part === 'live').length).toBeGreaterThan(20);
    expect(JSON.stringify(report)).not.toContain(preview.token);
    expect(readFileSync(join(ws.root, 'dist', 'ephenv', PROJECT, 'validate.junit.xml'), 'utf8')).not.toContain(preview.token);
  });

  it('skips the live checks (auto) when the recorded preview does not answer', async () => {
    ws = createWorkspace();
    const preview = await startPreview();
    recordPreview(preview.url, preview.token);
    await preview.close();
    gateway = undefined;
    const { success, report } = await validate();
    expect(success).toBe(true);
    expect(report.live.reason).toMatch(/does not answer; start it again with: npx nx run iris-classifier:deploy-preview/);
  });

  it('checks --url with the token from EPHENV_TOKEN, and fails without one', async () => {
    ws = createWorkspace();
    const preview = await startPreview();
    const withToken = await validate({ url: preview.url, parts: ['live'] }, { EPHENV_TOKEN: preview.token });
    expect(withToken.success).toBe(true);
    expect(withToken.report.checks.every((c) => c.part === 'live')).toBe(true);

    const withoutToken = await validate({ url: preview.url, parts: ['live'] });
    expect(withoutToken.success).toBe(false);
    expect(withoutToken.report.checks[0].message).toContain('set EPHENV_TOKEN');
  });

  it('runs only the parts asked for', async () => {
    ws = createWorkspace();
    addRequiredInput(ws);
    const { success, report } = await validate({ parts: ['static'] });
    expect(success).toBe(true);
    expect(new Set(report.checks.map((c) => c.part))).toEqual(new Set(['static']));
  });

  it('fails with the config error when ephenv.json is broken', async () => {
    ws = createWorkspace();
    ws.write('ephenv.json', '{"name": "Iris Classifier"}');
    const { success, report } = await validate();
    expect(success).toBe(false);
    expect(report.checks).toEqual([expect.objectContaining({ name: 'ephenv.json', status: 'fail', message: expect.stringContaining('does not match the ephenv.json schema') })]);
  });

  it('takes the base from NX_BASE before nx.json', async () => {
    ws = createWorkspace();
    ws.git('branch', 'release');
    const { report } = await validate({}, { NX_BASE: 'release' });
    expect(report.compat.base).toBe('release');
    expect((await validate()).report.compat.base).toBe('main');
  });
});


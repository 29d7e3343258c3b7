import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildReport } from './build-report';
import { ReportInputError } from './read-results';
import { COMMENT_MARKER } from './render-report';
import { createReportWorkspace, type ReportWorkspace, type Scenario } from './testing/report-workspace';

const PROJECT = 'iris-classifier';
const TOKEN = 'Zq3v9XkLm2Pw8RtY6uJh4GfD1sAeC7bN5oKiU0yTxWc';
const workspaces: ReportWorkspace[] = [];

function workspace(scenario?: Scenario): ReportWorkspace {
  const w = scenario ? createReportWorkspace(scenario) : createReportWorkspace();
  workspaces.push(w);
  return w;
}

/** Two hours after the fixture's preview started: costs and expiry are deterministic. */
function twoHoursIn(w: ReportWorkspace): Date {
  return new Date(Date.parse(w.readResult(PROJECT, 'preview.json').startedAt) + 2 * 3600_000);
}

const report = (w: ReportWorkspace, options: { pr?: string; now?: Date; env?: NodeJS.ProcessEnv } = {}) =>
  buildReport(w.root, { now: options.now ?? twoHoursIn(w), env: options.env ?? {}, pr: options.pr });

afterEach(() => {
  for (const w of workspaces.splice(0)) w.remove();
});

describe('ephenv report from the producers’ results', () => {
  it('is short when all is green: the marker, the verdict, one row, details collapsed', () => {
    const w = workspace('green');
    const { markdown, verdict, warnings } = report(w);
    const lines = markdown.split('\n');

    expect(lines[0]).toBe(COMMENT_MARKER);
    expect(lines[1]).toBe('## ✅ Preview environments: all green');
    expect(verdict).toBe('pass');
    expect(warnings).toEqual([]);
    const row = lines.find((l) => l.startsWith('| ✅ | **iris-classifier**'))!;
    expect(row).toMatch(/\| `http:\/\/127\.0\.0\.1:\d+` \| ✅ 40 checks passed \| ✅ 4\/4 thresholds met · p95 [\d.]+ ms \| \$0 \(local\) \| in 70 h \|/);
    // Everything after the table is one collapsed block, then the footer.
    const afterTable = markdown.slice(markdown.indexOf(row) + row.length).trim();
    expect(afterTable.startsWith('<details><summary>✅ <b>iris-classifier</b>')).toBe(true);
    expect(afterTable.match(/<details/g)).toHaveLength(1);
    expect(afterTable).not.toContain('<details open>');
    expect(afterTable.slice(afterTable.indexOf('</details>') + '</details>'.length).trim()).toMatch(/^<sub>Written by `ephenv report`/);
    expect(markdown).not.toContain('What failed');
  });

  it('is detailed when a threshold fails: names the model, the threshold and its value', () => {
    const w = workspace('failing');
    const p95 = w.readResult(PROJECT, 'benchmark.json').metrics.http_req_duration.values['p(95)'] as number;
    const { markdown, verdict } = report(w);

    expect(verdict).toBe('fail');
    expect(markdown.split('\n')[1]).toBe('## ❌ Preview environments: 1 of 1 model failed (iris-classifier)');
    expect(markdown).toContain('\n### ❌ iris-classifier\n');
    expect(markdown).toContain(`- ❌ benchmark threshold \`http_req_duration: p(95)<50\` not met: p(95) = ${Math.trunc(p95 * 100) / 100} ms`);
    expect(markdown).toMatch(/- ⚠️ benchmark slower than the baseline: p50 latency \+[\d.]+%, p95 latency/);
    // The benchmark section is expanded, not hidden in a collapsed block.
    const benchmark = markdown.indexOf('#### Benchmark: iris-classifier — ❌ 1 threshold failed');
    expect(benchmark).toBeGreaterThan(0);
    expect(markdown.slice(0, benchmark).lastIndexOf('<details>')).toBe(-1);
    expect(markdown).toContain('| http_req_duration | `p(95)<50` |');
  });

  it('names the model, the JSON pointer and the reason of a breaking schema change', () => {
    const w = workspace('failing');
    const { markdown } = report(w);
    const section = markdown.slice(markdown.indexOf('### ❌ iris-classifier'));

    expect(section).toContain('- ❌ validate compatibility / input schema vs main: breaking changes at /instances/*/sepal_length (request-property-max-decreased)');
    expect(section).toContain('#### Breaking schema changes vs `main`');
    expect(section).toContain(
      '| input | `/instances/*/petal_width` | `request-property-max-decreased` | maximum: 100 → maximum: 50 | requests with a value above 50 (up to 100 was accepted) are now rejected with 400 |',
    );
    expect(section.match(/^\| input \| `\/instances\/\*\//gm)).toHaveLength(4);
  });

  it('never carries a preview token, even when an input leaks one', () => {
    const w = workspace('failing');
    w.recordPreview(PROJECT, TOKEN);
    const clean = report(w);
    expect(clean.markdown).not.toContain(TOKEN);
    expect(clean.warnings).toEqual([]);

    const validate = w.readResult(PROJECT, 'validate.json');
    // The failed check is shown in "What failed": the leak would reach the comment.
    const failed = validate.checks.find((c: { status: string }) => c.status === 'fail');
    failed.message = `called with Authorization: Bearer ${TOKEN}`;
    w.writeResult(validate, PROJECT, 'validate.json');
    const leaked = report(w, { env: { EPHENV_TOKEN: 'env-token-0123456789' } });

    expect(leaked.markdown).not.toContain(TOKEN);
    expect(leaked.markdown).toContain('called with Authorization: Bearer [redacted]');
    expect(leaked.warnings).toHaveLength(1);
    expect(leaked.warnings[0]).toContain(`dist/ephenv/${PROJECT}/validate.json contains the secret from .ephenv/previews/${PROJECT}.json`);
    expect(leaked.warnings.join('\n')).not.toContain(TOKEN);
  });

  it('removes a token that reaches the comment from anywhere, e.g. EPHENV_TOKEN in a preview URL', () => {
    const w = workspace('green');
    const preview = w.readResult(PROJECT, 'preview.json');
    preview.url = 'http://127.0.0.1:4100/?t=env-token-0123456789';
    w.writeResult(preview, PROJECT, 'preview.json');
    const { markdown, warnings } = report(w, { env: { EPHENV_TOKEN: 'env-token-0123456789' } });
    expect(markdown).not.toContain('env-token-0123456789');
    expect(markdown).toContain('http://127.0.0.1:4100/?t=[redacted]');
    expect(warnings[0]).toContain('contains the secret from EPHENV_TOKEN');
  });

  it('estimates an aws real-time preview from the price table: $0.115/h, $0.23 after two hours', () => {
    const w = workspace('aws');
    const { markdown } = report(w);
    expect(markdown).toContain('| SageMaker real-time endpoint (ml.m5.large × 1) | $0.115 | $0.00 | $0.23 | 2.00 h × $0.115/instance-hour × 1 |');
    expect(markdown).toMatch(/\| \$0\.115\/h · \$0\.23\d? so far \| in 70 h \|/);
    expect(markdown).toContain('Approximate on-demand list prices, us-east-1, as of 2024-12-01 (https://aws.amazon.com/sagemaker/pricing/');
  });

  it('tells how to get an aws token from SSM and links the CloudWatch log groups', () => {
    const w = workspace('aws');
    const { markdown } = report(w);
    expect(markdown).toContain(
      '**Token**: in the SSM SecureString `/ephenv/iris-classifier-pr-42/token`; read it with `aws ssm get-parameter --name /ephenv/iris-classifier-pr-42/token --with-decryption --query Parameter.Value --output text --region us-east-1`',
    );
    expect(markdown).toContain(
      '[gateway](https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#logsV2:log-groups/log-group/$252Faws$252Flambda$252Firis-classifier-pr-42-gateway)',
    );
    expect(markdown).toContain('**Lifetime**: TTL 72 h: expires');
    expect(markdown).toContain('the reaper destroys it then.');
  });

  it('tells how to get a local token and shows log paths relative to the workspace', () => {
    const w = workspace('green');
    const { markdown } = report(w);
    expect(markdown).toContain('`npx ephenv token iris-classifier`');
    expect(markdown).toContain('gateway `.ephenv/logs/iris-classifier/gateway.log`');
    expect(markdown).not.toContain(w.root);
  });

  it('says how long the deploy took and what it reused, as preview.json records it', () => {
    const w = workspace('aws');
    const preview = w.readResult(PROJECT, 'preview.json');
    const phasesMs = { checks: 900, image: 700, bundle: 400, init: 30, apply: 36_000, wait: 1_200, ping: 10 };
    const cases: [Record<string, unknown>, string][] = [
      [{ totalMs: 41_400, phasesMs, image: 'exists', endpoint: 'reused' }, '**Deploy**: updated in 41 s (image and endpoint reused).'],
      [{ totalMs: 372_000, phasesMs, image: 'built', endpoint: 'created' }, '**Deploy**: endpoint created in 6m12s.'],
      [{ totalMs: 425_000, phasesMs, image: 'built', endpoint: 'updated' }, '**Deploy**: endpoint updated in 7m05s (image built).'],
      [{ totalMs: 95_000, phasesMs, image: 'built', endpoint: 'reused' }, '**Deploy**: updated in 1m35s (endpoint reused, image built).'],
      [{ totalMs: 2_150, phasesMs: {}, modelServer: 'kept' }, '**Deploy**: updated in 2.1 s (model server kept).'],
    ];
    for (const [deployment, line] of cases) {
      w.writeResult({ ...preview, deployment }, PROJECT, 'preview.json');
      expect(report(w).markdown).toContain(line);
    }
    w.writeResult({ ...preview, deployment: undefined }, PROJECT, 'preview.json');
    expect(report(w).markdown).not.toContain('**Deploy**');
  });

  it("sizes a serverless aws preview from the model's ephenv.json when preview.json does not say", () => {
    const w = workspace('aws');
    const preview = w.readResult(PROJECT, 'preview.json');
    preview.endpointType = 'serverless';
    preview.cost = { region: preview.cost.region, endpointType: 'serverless' };
    delete preview.aws.instance_type;
    w.writeResult(preview, PROJECT, 'preview.json');
    const model = join(w.root, 'apps', PROJECT);
    mkdirSync(model, { recursive: true });
    cpSync(join(__dirname, '..', '..', '..', 'apps', PROJECT, 'schemas'), join(model, 'schemas'), { recursive: true });
    writeFileSync(
      join(model, 'ephenv.json'),
      JSON.stringify({
        name: PROJECT,
        framework: 'sklearn',
        endpoint: { type: 'serverless', memorySizeMb: 4096 },
        schemas: { input: 'schemas/input.schema.json', output: 'schemas/output.schema.json', examples: 'schemas/examples' },
        load: { scenario: { executor: 'constant-arrival-rate', rate: 1, duration: '1s' }, thresholds: {} },
      }),
    );
    const { markdown } = report(w);
    expect(markdown).toMatch(/\| SageMaker serverless compute \(4096 MB\) \| \$0\.00 \|[^|]+\|[^|]+\| 60 requests × [\d.]+ ms × \$0\.00008\/s; nothing while idle \|/);
    expect(markdown).not.toContain('SageMaker real-time endpoint');
  });

  it('reports what dist/ephenv holds when there is no pr-run.json', () => {
    const w = workspace('green');
    rmSync(w.resultPath('pr-run.json'));
    const { markdown, verdict } = report(w, { pr: '77' });
    expect(verdict).toBe('pass');
    expect(markdown).toContain('**PR #77** · commit `3f9c2d4` · provider `local` · 1 model');
    expect(markdown).toContain('| ✅ | **iris-classifier** |');
  });

  it('reports a failed deploy that left no preview', () => {
    const w = workspace('green');
    for (const f of ['preview.json', 'validate.json', 'benchmark.json']) rmSync(w.resultPath(PROJECT, f));
    const run = w.readResult('pr-run.json');
    run.steps[PROJECT] = { deploy: 'failed', validate: 'failed', benchmark: 'failed' };
    w.writeResult(run, 'pr-run.json');
    const { markdown } = report(w, { now: new Date() });
    expect(markdown).toContain('| ❌ | **iris-classifier** | ❌ deploy failed | ❌ failed | ❌ failed | no preview | — |');
    expect(markdown).toContain('- ❌ deploy-preview failed: no preview was recorded; see the log of `nx run iris-classifier:deploy-preview`');
  });

  it('reports a preview destroyed at the end of the run as such, not as a failure', () => {
    const w = workspace('green');
    const now = twoHoursIn(w);
    rmSync(w.resultPath(PROJECT, 'preview.json'));
    const run = w.readResult('pr-run.json');
    run.steps[PROJECT].destroy = 'ok';
    w.writeResult(run, 'pr-run.json');
    const { markdown, verdict } = report(w, { now });
    expect(verdict).toBe('pass');
    expect(markdown).toContain('| ✅ | **iris-classifier** | destroyed |');
    expect(markdown).toContain('**Preview**: destroyed at the end of the run.');
  });

  it('says when a preview has expired', () => {
    const w = workspace('aws');
    const { markdown } = report(w, { now: new Date(Date.parse(w.readResult(PROJECT, 'preview.json').aws.expires_at) + 3 * 3600_000) });
    expect(markdown).toMatch(/\| expired 3 h ago \|/);
  });

  it('says there is nothing to report when dist/ephenv is empty', () => {
    const w = workspace();
    const { markdown, verdict } = buildReport(w.root, { env: {} });
    expect(verdict).toBeUndefined();
    expect(markdown.split('\n').slice(0, 2)).toEqual([COMMENT_MARKER, '## ℹ️ Preview environments: nothing to report yet']);
  });

  it('refuses inputs it cannot read, naming the file and the command that rewrites it', () => {
    const w = workspace('green');
    w.writeResult('{"status": "pass", "checks": [', PROJECT, 'validate.json');
    expect(() => report(w)).toThrow(ReportInputError);
    expect(() => report(w)).toThrow(/cannot read dist\/ephenv\/iris-classifier\/validate\.json: .*run "npx nx run <model>:validate" again/);
    w.writeResult({ metrics: {} }, PROJECT, 'validate.json');
    expect(() => report(w)).toThrow('dist/ephenv/iris-classifier/validate.json is not a validate result: "checks" is not a list');
  });
});

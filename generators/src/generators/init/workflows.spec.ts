import { validateWorkflow } from '@action-validator/core';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { HTML_REPORT_ARTIFACT } from '@ephenv/report';
import { addWorkflows, WORKFLOW_VERSIONS } from './lib/add-workflows';

interface Step {
  name?: string;
  id?: string;
  if?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Concurrency {
  group: string;
  'cancel-in-progress'?: boolean | string;
}
interface Job {
  if?: string;
  needs?: string | string[];
  permissions?: Record<string, string>;
  concurrency?: Concurrency;
  outputs?: Record<string, string>;
  env?: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  on: Record<string, any>;
  permissions?: Record<string, string>;
  concurrency?: Concurrency;
  jobs: Record<string, Job>;
}

const FILES = ['ephemeral-env.yml', 'ci.yml', 'reaper.yml'] as const;
type WorkflowFile = (typeof FILES)[number];
const AWS_CREDENTIALS = 'aws-actions/configure-aws-credentials';

const raw = {} as Record<WorkflowFile, string>;
const workflows = {} as Record<WorkflowFile, Workflow>;

beforeAll(() => {
  // The generator's own code path: generateFiles renders the EJS templates and drops `.template`.
  const tree: Tree = createTreeWithEmptyWorkspace();
  addWorkflows(tree);
  for (const file of FILES) {
    raw[file] = tree.read(`.github/workflows/${file}`, 'utf-8') ?? '';
    workflows[file] = parse(raw[file]);
  }
});

const jobsOf = (file: WorkflowFile) => Object.entries(workflows[file].jobs);
const usesAws = (job: Job) => job.steps.some((s) => s.uses?.startsWith(`${AWS_CREDENTIALS}@`));
const stepRunning = (job: Job, command: string) => job.steps.find((s) => s.run?.includes(command));

// A small evaluator for GitHub Actions expressions (context paths, string/boolean literals, ==, !=,
// !, &&, ||, parentheses), enough to ask the workflows what they do for a given event.
type Value = string | number | boolean | null | Record<string, unknown>;

function evaluate(expression: string, context: Record<string, unknown>): Value {
  const tokens = expression.match(/'(?:[^']|'')*'|==|!=|&&|\|\||[!()]|[A-Za-z_][\w.-]*|\d+(?:\.\d+)?|\S/g) ?? [];
  let i = 0;
  const truthy = (v: Value) => v !== false && v !== null && v !== '' && v !== 0;
  const primary = (): Value => {
    const token = tokens[i++];
    if (token === undefined) throw new Error(`unexpected end of expression: ${expression}`);
    if (token === '(') {
      const value = or();
      if (tokens[i++] !== ')') throw new Error(`missing ) in: ${expression}`);
      return value;
    }
    if (token === '!') return !truthy(primary());
    if (token.startsWith("'")) return token.slice(1, -1).replace(/''/g, "'");
    if (/^\d/.test(token)) return Number(token);
    if (token === 'true' || token === 'false') return token === 'true';
    if (token === 'null') return null;
    if (!/^[A-Za-z_]/.test(token) || tokens[i] === '(') throw new Error(`unsupported token ${token} in: ${expression}`);
    let value: unknown = context;
    for (const key of token.split('.')) value = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
    return (value ?? null) as Value;
  };
  const equality = (): Value => {
    let left = primary();
    while (tokens[i] === '==' || tokens[i] === '!=') {
      const negate = tokens[i++] === '!=';
      const right = primary();
      // GitHub compares strings ignoring case.
      const equal =
        typeof left === 'string' && typeof right === 'string' ? left.toLowerCase() === right.toLowerCase() : left === right;
      left = negate ? !equal : equal;
    }
    return left;
  };
  const and = (): Value => {
    let left = equality();
    while (tokens[i] === '&&') {
      i++;
      const right = equality();
      left = truthy(left) ? right : left;
    }
    return left;
  };
  const or = (): Value => {
    let left = and();
    while (tokens[i] === '||') {
      i++;
      const right = and();
      left = truthy(left) ? left : right;
    }
    return left;
  };
  const value = or();
  if (i !== tokens.length) throw new Error(`unexpected ${tokens[i]} in: ${expression}`);
  return value;
}

/** A whole-value `${{ }}` or a bare `if:` gives the value; anything else is a string with each `${{ }}` replaced. */
function resolve(value: string | boolean | undefined, context: Record<string, unknown>): Value {
  if (typeof value !== 'string') return value ?? null;
  const whole = /^\$\{\{(.*)\}\}$/s.exec(value.trim());
  if (whole && !whole[1].includes('}}')) return evaluate(whole[1], context);
  if (!value.includes('${{')) return value;
  return value.replace(/\$\{\{(.*?)\}\}/g, (_, expression: string) => {
    const result = evaluate(expression, context);
    return result === null ? '' : String(result);
  });
}
const resolveIf = (condition: string | undefined, context: Record<string, unknown>) =>
  condition === undefined ? true : Boolean(resolve(condition.includes('${{') ? condition : `\${{ ${condition} }}`, context));

const REPOSITORY = 'acme/models';
const PR_ACTIONS = ['opened', 'synchronize', 'reopened', 'closed'] as const;

function pullRequestContext(action: string, fromFork: boolean, number = 42) {
  const headRepo = fromFork ? 'contributor/models' : REPOSITORY;
  return {
    github: {
      repository: REPOSITORY,
      event_name: 'pull_request',
      event: { action, pull_request: { number, head: { sha: 'f'.repeat(40), repo: { full_name: headRepo } } } },
    },
    inputs: {},
    vars: {},
  };
}

/** The jobs of a run, assuming every job that runs succeeds: a job runs when its `if` holds and all it needs ran. */
function jobsThatRun(workflow: Workflow, context: Record<string, unknown>): string[] {
  const ran = new Set<string>();
  const decided = new Set<string>();
  const names = Object.keys(workflow.jobs);
  while (decided.size < names.length) {
    for (const name of names) {
      const job = workflow.jobs[name];
      const needs = job.needs === undefined ? [] : [job.needs].flat();
      if (decided.has(name) || !needs.every((n) => decided.has(n))) continue;
      decided.add(name);
      if (needs.every((n) => ran.has(n)) && resolveIf(job.if, context)) ran.add(name);
    }
  }
  return [...ran].sort();
}

describe('the generated workflows', () => {
  it('are rendered with the tool versions and no EJS left', () => {
    for (const file of FILES) {
      expect(raw[file], file).not.toMatch(/<%|%>/);
      for (const job of Object.values(workflows[file].jobs)) {
        for (const step of job.steps) {
          if (step.uses?.startsWith('actions/setup-node@')) expect(step.with?.['node-version']).toBe(WORKFLOW_VERSIONS.nodeVersion);
          if (step.uses?.startsWith('actions/setup-python@')) expect(step.with?.['python-version']).toBe(WORKFLOW_VERSIONS.pythonVersion);
          if (step.uses?.startsWith('hashicorp/setup-terraform@')) {
            expect(step.with).toMatchObject({ terraform_version: WORKFLOW_VERSIONS.terraformVersion, terraform_wrapper: false });
          }
        }
      }
    }
  });

  it.each(FILES)('%s is valid against GitHub’s workflow schema', (file) => {
    expect(validateWorkflow(raw[file]).errors).toEqual([]);
  });

  it.each([
    ['a misspelled top-level key', (w: Workflow) => Object.assign(w, { permisions: {} })],
    ['a permission level that does not exist', (w: Workflow) => Object.assign(w.jobs.preview.permissions!, { 'id-token': 'admin' })],
    ['a job without runs-on', (w: Workflow) => delete (w.jobs.checks as Partial<Job> & { 'runs-on'?: string })['runs-on']],
    ['a step with both uses and run', (w: Workflow) => Object.assign(w.jobs.checks.steps[0], { run: 'true' })],
  ])('the schema check rejects ephemeral-env.yml with %s', (_, breakIt) => {
    const broken = parse(raw['ephemeral-env.yml']) as Workflow;
    breakIt(broken);
    expect(validateWorkflow(stringify(broken)).errors.length).toBeGreaterThan(0);
  });

  it('never use pull_request_target', () => {
    for (const file of FILES) expect(raw[file], file).not.toContain('pull_request_target');
    expect(workflows['ephemeral-env.yml'].on).toEqual({ pull_request: { types: ['opened', 'synchronize', 'reopened', 'closed'] } });
  });

  it('grant nothing at the top level and declare permissions on every job', () => {
    for (const file of FILES) {
      expect(workflows[file].permissions, file).toEqual({});
      for (const [name, job] of jobsOf(file)) {
        expect(job.permissions, `${file} ${name}`).toBeDefined();
        expect(Object.values(job.permissions!), `${file} ${name}`).not.toContain('write-all');
      }
    }
  });

  it('ask for an OIDC token exactly in the jobs that assume the AWS role', () => {
    const oidcJobs: string[] = [];
    for (const file of FILES) {
      for (const [name, job] of jobsOf(file)) {
        expect(job.permissions?.['id-token'] === 'write', `${file} ${name}`).toBe(usesAws(job));
        if (usesAws(job)) oidcJobs.push(`${file}:${name}`);
      }
    }
    expect(oidcJobs.sort()).toEqual(['ephemeral-env.yml:destroy', 'ephemeral-env.yml:preview', 'reaper.yml:reap']);
  });

  it('assume the pull-request deploy role from ephemeral-env.yml and the separate reaper role only from reaper.yml', () => {
    const roleOf = (job: Job) => job.steps.find((s) => s.uses?.startsWith(`${AWS_CREDENTIALS}@`))?.with?.['role-to-assume'];
    const roles = FILES.flatMap((file) => jobsOf(file).filter(([, job]) => usesAws(job)).map(([name, job]) => [`${file}:${name}`, roleOf(job)]));
    expect(Object.fromEntries(roles)).toEqual({
      'ephemeral-env.yml:preview': '${{ vars.EPHENV_DEPLOY_ROLE_ARN }}',
      'ephemeral-env.yml:destroy': '${{ vars.EPHENV_DEPLOY_ROLE_ARN }}',
      'reaper.yml:reap': '${{ vars.EPHENV_REAPER_ROLE_ARN }}',
    });
    expect(raw['reaper.yml']).not.toContain('EPHENV_DEPLOY_ROLE_ARN');
    expect(raw['ephemeral-env.yml']).not.toContain('EPHENV_REAPER_ROLE_ARN');
    // The variable check names the role the job actually assumes.
    const check = stepRunning(workflows['reaper.yml'].jobs.reap, 'missing=()')!;
    expect(check.run).toContain('for name in EPHENV_REAPER_ROLE_ARN ');
    expect(check.env).toEqual({ EPHENV_REAPER_ROLE_ARN: '${{ vars.EPHENV_REAPER_ROLE_ARN }}' });
  });

  it('run no dependency install script in a job that holds an OIDC token', () => {
    const installs = /\bnpm\s+(ci|install|i)\b|\byarn\b|\bpnpm\b/;
    for (const file of FILES) {
      for (const [name, job] of jobsOf(file)) {
        const commands = job.steps.flatMap((s) => (s.run ?? '').split('\n')).filter((line) => installs.test(line));
        if (job.permissions?.['id-token'] !== 'write') continue;
        expect(commands.length, `${file} ${name} installs its dependencies`).toBeGreaterThan(0);
        for (const command of commands) expect(command.trim(), `${file} ${name}`).toMatch(/^npm ci( .*)? --ignore-scripts( |$)|^npm ci --ignore-scripts$/);
      }
    }
  });

  it('leave the preview token masked: nothing turns on debug logs that could print it in a job holding an OIDC token', () => {
    // ephenv itself prints `::add-mask::<token>` as soon as it has a token (GITHUB_ACTIONS=true,
    // which GitHub sets in every step); these settings would make Terraform, the runner or the AWS
    // CLI print request bodies or environments anyway.
    const debug = /^(TF_LOG.*|ACTIONS_STEP_DEBUG|ACTIONS_RUNNER_DEBUG|GITHUB_ACTIONS|AWS_DEBUG|DEBUG)$/;
    for (const file of FILES) {
      for (const [name, job] of jobsOf(file)) {
        if (job.permissions?.['id-token'] !== 'write') continue;
        const envs = [workflows[file].jobs[name].env ?? {}, ...job.steps.map((s) => s.env ?? {})];
        for (const env of envs) expect(Object.keys(env).filter((key) => debug.test(key)), `${file} ${name}`).toEqual([]);
        for (const step of job.steps) expect(step.run ?? '', `${file} ${name}`).not.toMatch(/TF_VAR_token|set -x|\benv\b\s*$|printenv/m);
      }
    }
  });

  // The ephenv commands that create or retire GitHub Deployments: `pr` (in progress -> success or
  // failure), `destroy` and `reap` (inactive). Only their jobs may write deployments, and their step
  // must hand them the token; every other job is denied deployments by the empty top level.
  it('grant deployments: write exactly in the jobs whose ephenv step records GitHub Deployments', () => {
    const DEPLOYMENT_COMMANDS = /^npx ephenv (pr|destroy|reap)\b/;
    const granted: string[] = [];
    for (const file of FILES) {
      for (const [name, job] of jobsOf(file)) {
        const recording = job.steps.filter((s) => DEPLOYMENT_COMMANDS.test(s.run?.trim() ?? ''));
        expect(job.permissions?.deployments === 'write', `${file} ${name}`).toBe(recording.length > 0);
        expect(job.permissions?.deployments ?? 'none', `${file} ${name}`).toMatch(/^(write|none)$/);
        for (const step of recording) expect(step.env?.GITHUB_TOKEN, `${file} ${name}: ${step.run}`).toBe('${{ github.token }}');
        if (recording.length > 0) granted.push(`${file}:${name}`);
      }
    }
    expect(granted.sort()).toEqual(['ephemeral-env.yml:destroy', 'ephemeral-env.yml:preview', 'reaper.yml:reap']);
    // Fork pull requests never reach a job that may write deployments.
    for (const action of PR_ACTIONS) {
      const ran = jobsThatRun(workflows['ephemeral-env.yml'], pullRequestContext(action, true));
      expect(ran.filter((name) => workflows['ephemeral-env.yml'].jobs[name].permissions?.deployments), action).toEqual([]);
    }
  });

  it('pin every action to a full commit SHA with its version alongside, the same everywhere', () => {
    const pins = new Map<string, string>();
    for (const file of FILES) {
      const lines = raw[file].split('\n').filter((line) => /^\s*(-\s+)?uses:/.test(line));
      expect(lines.length, file).toBeGreaterThan(0);
      for (const line of lines) {
        const pin = /uses:\s+([\w.-]+\/[\w.-]+)@([0-9a-f]{40}) # (v\d+\.\d+\.\d+)$/.exec(line);
        expect(pin, `${file}: ${line.trim()}`).not.toBeNull();
        const [, action, sha, version] = pin!;
        expect(pins.get(action) ?? `${sha} ${version}`, `${action} pinned differently in ${file}`).toBe(`${sha} ${version}`);
        pins.set(action, `${sha} ${version}`);
      }
    }
  });

  it('check out without leaving the token in .git', () => {
    for (const file of FILES) {
      for (const [name, job] of jobsOf(file)) {
        for (const step of job.steps.filter((s) => s.uses?.startsWith('actions/checkout@'))) {
          expect(step.with?.['persist-credentials'], `${file} ${name}`).toBe(false);
        }
      }
    }
  });

  // Script injection: text a PR author controls (title, branch name, ...) must reach a shell only
  // through an environment variable, never spliced into the script.
  it('splice into shell scripts only values nobody outside can choose', () => {
    const allowed = new Set(['github.event.pull_request.number', "inputs.dry_run && '--dry-run' || ''"]);
    for (const file of FILES) {
      for (const job of Object.values(workflows[file].jobs)) {
        for (const step of job.steps) {
          for (const [, expression] of step.run?.matchAll(/\$\{\{\s*(.*?)\s*\}\}/g) ?? []) {
            expect(allowed, `${file}: ${step.run}`).toContain(expression);
          }
        }
      }
    }
  });
});

describe('ephemeral-env.yml', () => {
  const workflow = () => workflows['ephemeral-env.yml'];

  it.each([
    ['opened', false, ['checks', 'preview']],
    ['synchronize', false, ['checks', 'preview']],
    ['reopened', false, ['checks', 'preview']],
    ['closed', false, ['destroy']],
    ['opened', true, ['checks', 'fork-notice']],
    ['synchronize', true, ['checks', 'fork-notice']],
    ['closed', true, []],
  ] as const)('on %s (from a fork: %s) runs %j', (action, fromFork, expected) => {
    expect(jobsThatRun(workflow(), pullRequestContext(action, fromFork))).toEqual([...expected].sort());
  });

  it('never gives AWS credentials to a fork pull request', () => {
    for (const action of PR_ACTIONS) {
      const ran = jobsThatRun(workflow(), pullRequestContext(action, true));
      expect(ran.filter((name) => usesAws(workflow().jobs[name])), action).toEqual([]);
    }
    for (const name of ['preview', 'destroy']) {
      expect(workflow().jobs[name].if).toContain('github.event.pull_request.head.repo.full_name == github.repository');
    }
  });

  it('cancels a superseded deploy, never a destroy, and never lets a destroy cancel a deploy', () => {
    const run = (action: string, number = 42) => {
      const context = pullRequestContext(action, false, number);
      const { group, 'cancel-in-progress': cancel } = workflow().concurrency!;
      return { group: resolve(group, context), cancel: resolve(cancel, context) };
    };
    const deploys = ['opened', 'synchronize', 'reopened'].map((action) => run(action));
    for (const deploy of deploys) expect(deploy).toEqual({ group: deploys[0].group, cancel: true });
    const destroy = run('closed');
    expect(destroy.cancel).toBe(false);
    expect(destroy.group).not.toBe(deploys[0].group);
    expect(run('synchronize', 7).group).not.toBe(deploys[0].group);
    expect(run('closed', 7).group).not.toBe(destroy.group);
  });

  it('lets preview and destroy touch a PR’s stack one at a time, waiting rather than cancelling', () => {
    for (const action of PR_ACTIONS) {
      const context = pullRequestContext(action, false);
      const [preview, destroy] = ['preview', 'destroy'].map((name) => workflow().jobs[name].concurrency!);
      expect(resolve(preview.group, context)).toBe(resolve(destroy.group, context));
      expect(resolve(preview.group, context)).not.toBe(resolve(workflow().concurrency!.group, context));
      expect(resolve(preview['cancel-in-progress'], context)).toBe(false);
      expect(resolve(destroy['cancel-in-progress'], context)).toBe(false);
      expect(resolve(preview.group, pullRequestContext(action, false, 7))).not.toBe(resolve(preview.group, context));
    }
  });

  it('tests and validates the affected projects against the PR’s base', () => {
    const { steps } = workflow().jobs.checks;
    expect(steps.find((s) => s.uses?.startsWith('actions/checkout@'))?.with?.['fetch-depth']).toBe(0);
    const setShas = steps.findIndex((s) => s.uses?.startsWith('nrwl/nx-set-shas@'));
    const affected = steps.findIndex((s) => s.run === 'npx nx affected -t test infra-validate');
    expect(steps.findIndex((s) => s.run === 'npm ci')).toBeLessThan(setShas);
    expect(setShas).toBeGreaterThanOrEqual(0);
    expect(affected).toBeGreaterThan(setShas);
  });

  it('deploys with the baseline, comments even after a failure, and only while the PR is open', () => {
    const { steps, env } = workflow().jobs.preview;
    expect(env).toMatchObject({
      AWS_REGION: '${{ vars.AWS_REGION }}',
      EPHENV_STATE_BUCKET: '${{ vars.EPHENV_STATE_BUCKET }}',
      EPHENV_LOCK_TABLE: '${{ vars.EPHENV_LOCK_TABLE }}',
    });
    const at = (predicate: (s: Step) => boolean) => steps.findIndex(predicate);
    const baseline = at((s) => /gh run download .* -n ephenv-benchmarks -D \.ephenv\/baseline/.test(s.run ?? ''));
    const open = at((s) => s.id === 'pr-state');
    const credentials = at((s) => s.uses?.startsWith(`${AWS_CREDENTIALS}@`) ?? false);
    const deploy = at((s) => s.run === 'npx ephenv pr --provider aws --baseline-dir .ephenv/baseline');
    const comment = at((s) => s.run === 'npx ephenv comment --pr ${{ github.event.pull_request.number }}');
    const upload = at((s) => s.uses?.startsWith('actions/upload-artifact@') ?? false);
    expect([baseline, open, credentials, deploy, comment, upload].every((index) => index >= 0)).toBe(true);
    expect(baseline).toBeLessThan(deploy);
    expect(open).toBeLessThan(credentials);
    expect(credentials).toBeLessThan(deploy);
    expect(deploy).toBeLessThan(comment);
    expect(steps[credentials].with).toEqual(
      expect.objectContaining({ 'role-to-assume': '${{ vars.EPHENV_DEPLOY_ROLE_ARN }}', 'aws-region': '${{ vars.AWS_REGION }}' }),
    );
    expect(steps[comment].env?.GITHUB_TOKEN).toBe('${{ github.token }}');
    expect(steps[upload].with?.path).toBe('dist/ephenv');
    // The HTML report `ephenv pr` writes, as the artifact the comment links (HTML_REPORT_ARTIFACT).
    const page = at((s) => s.uses?.startsWith('actions/upload-artifact@') === true && s.with?.name === HTML_REPORT_ARTIFACT);
    expect(page).toBeGreaterThan(deploy);
    expect(steps[page].with?.path).toBe('dist/ephenv/report.html');
    expect(steps[page].if).toMatch(/^\$\{\{ !cancelled\(\) && /);
    for (const index of [comment, upload]) expect(steps[index].if).toMatch(/^\$\{\{ (!cancelled\(\)|always\(\)) && /);
    for (const step of steps.slice(open + 1)) expect(step.if ?? '', step.name).toContain("steps.pr-state.outputs.open == 'true'");
  });

  it('downloads the baseline that ci.yml publishes', () => {
    const download = stepRunning(workflow().jobs.preview, 'gh run download')!.run!;
    expect(download).toContain('--workflow ci.yml --branch main --status success');
    const upload = workflows['ci.yml'].jobs.baseline.steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'))!;
    expect(download).toContain(`-n ${upload.with?.name}`);
    expect(workflows['ci.yml'].on.push.branches).toContain('main');
  });

  it('tells fork pull requests why they get no preview, with no more than comment rights', () => {
    const job = workflow().jobs['fork-notice'];
    expect(job.permissions).toEqual({ 'pull-requests': 'write' });
    expect(job.env?.NOTICE).toMatch(/fork/i);
    expect(job.env?.NOTICE).toMatch(/OIDC token/);
    expect(job.env?.NOTICE).toMatch(/push this branch to the main repository/);
    expect(stepRunning(job, 'gh pr comment')?.run).toContain('--body "$NOTICE"');
    expect(stepRunning(job, 'GITHUB_STEP_SUMMARY')).toBeDefined();
  });

  it('destroys the PR’s previews from the PR’s own commit', () => {
    const job = workflow().jobs.destroy;
    expect(job.steps.find((s) => s.uses?.startsWith('actions/checkout@'))?.with?.ref).toBe('${{ github.event.pull_request.head.sha }}');
    const credentials = job.steps.findIndex((s) => s.uses?.startsWith(`${AWS_CREDENTIALS}@`));
    const destroy = job.steps.findIndex((s) => s.run === 'npx ephenv destroy --pr ${{ github.event.pull_request.number }}');
    expect(credentials).toBeGreaterThanOrEqual(0);
    expect(destroy).toBeGreaterThan(credentials);
    expect(job.env?.EPHENV_STATE_BUCKET).toBe('${{ vars.EPHENV_STATE_BUCKET }}');
  });
});

describe('reaper.yml', () => {
  const workflow = () => workflows['reaper.yml'];

  it('runs on a schedule and by hand, with a dry-run switch', () => {
    expect(workflow().on.schedule[0].cron).toMatch(/^\S+ \S+ \S+ \S+ \S+$/);
    expect(workflow().on.workflow_dispatch.inputs.dry_run).toMatchObject({ type: 'boolean', default: false });
  });

  it.each([
    [true, 'npx ephenv reap --closed-prs "$CLOSED_PRS" --dry-run'],
    [false, 'npx ephenv reap --closed-prs "$CLOSED_PRS"'],
    [undefined, 'npx ephenv reap --closed-prs "$CLOSED_PRS"'],
  ])('with dry_run %s runs `%s`', (dryRun, command) => {
    const step = stepRunning(workflow().jobs.reap, 'npx ephenv reap')!;
    expect(String(resolve(step.run, { inputs: dryRun === undefined ? {} : { dry_run: dryRun } })).trim()).toBe(command);
  });

  it('passes the closed PRs, listed with the workflow token, to ephenv reap, and reaps without them when the listing fails', () => {
    const job = workflow().jobs.reap;
    expect(job.permissions).toMatchObject({ 'pull-requests': 'read' });
    const list = job.steps.find((s) => s.id === 'closed')!;
    const reapStep = stepRunning(job, 'npx ephenv reap')!;
    expect(job.steps.indexOf(list)).toBeLessThan(job.steps.indexOf(reapStep));
    expect(list.env).toEqual({ GH_TOKEN: '${{ github.token }}' });
    expect(reapStep.env).toEqual({ CLOSED_PRS: '${{ steps.closed.outputs.prs }}', GITHUB_TOKEN: '${{ github.token }}' });

    // The step's script, run by bash as Actions runs it; a `gh` stands in for GitHub's CLI (no GitHub here).
    const dir = mkdtempSync(join(tmpdir(), 'ephenv-reaper-yml-'));
    try {
      const runStep = (gh: string) => {
        writeFileSync(join(dir, 'gh'), `#!/bin/sh\nprintf '%s\\n' "$@" > "${dir}/gh-args"\n${gh}\n`, { mode: 0o755 });
        writeFileSync(join(dir, 'output'), '');
        const env = { PATH: `${dir}:${process.env.PATH}`, GITHUB_OUTPUT: join(dir, 'output'), GITHUB_REPOSITORY: 'acme/models', GH_TOKEN: 'x' };
        const stdout = execFileSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', list.run!], { env, encoding: 'utf8' });
        return { stdout, output: readFileSync(join(dir, 'output'), 'utf8'), args: readFileSync(join(dir, 'gh-args'), 'utf8').trim().split('\n') };
      };
      const listed = runStep('echo 12,14,15');
      expect(listed.output).toBe('prs=12,14,15\n');
      expect(listed.args).toEqual(['pr', 'list', '--repo', 'acme/models', '--state', 'closed', '--limit', '500', '--json', 'number', '--jq', 'map(.number) | join(",")']);
      const failed = runStep('echo "HTTP 403" >&2; exit 1');
      expect(failed.output).toBe('');
      expect(failed.stdout).toContain('::warning::Could not list the closed pull requests');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('never cancels a running reap', () => {
    const { group, 'cancel-in-progress': cancel } = workflow().concurrency!;
    expect(group).not.toContain('${{');
    expect(cancel).toBe(false);
  });
});

describe('ci.yml', () => {
  const workflow = () => workflows['ci.yml'];

  it('runs the whole test suite on main and by hand', () => {
    expect(workflow().on).toEqual({ push: { branches: ['main'] }, workflow_dispatch: null });
    const runs = workflow().jobs.test.steps.map((s) => s.run).filter(Boolean);
    expect(runs.indexOf('npm test')).toBeGreaterThan(runs.indexOf('npm ci'));
    expect(runs.indexOf('npm ci')).toBeGreaterThanOrEqual(0);
  });

  it('publishes the benchmark baseline from main only, after the tests pass', () => {
    const job = workflow().jobs.baseline;
    expect(job.needs).toBe('test');
    expect(resolveIf(job.if, { github: { ref: 'refs/heads/main' } })).toBe(true);
    expect(resolveIf(job.if, { github: { ref: 'refs/heads/feature' } })).toBe(false);
    const start = job.steps.findIndex((s) => s.run === 'npm start');
    const upload = job.steps.findIndex((s) => s.uses?.startsWith('actions/upload-artifact@'));
    expect(start).toBeGreaterThanOrEqual(0);
    expect(upload).toBeGreaterThan(start);
    expect(job.steps[upload].with).toMatchObject({
      name: 'ephenv-benchmarks',
      path: 'dist/ephenv/*/benchmark.json',
      'if-no-files-found': 'error',
    });
  });
});

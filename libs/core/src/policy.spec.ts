import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { assertWithinPolicy, policyViolations } from './check-policy';
import { defaultPolicy, parsePolicy, PolicyError } from './policy';
import { readPolicy } from './read-policy';

const REPO = resolve(__dirname, '..', '..', '..');
const schema = JSON.parse(readFileSync(join(REPO, 'libs/core/ephenv.policy.schema.json'), 'utf8'));

describe('parsePolicy', () => {
  it('takes every default from the schema', () => {
    const defaults = Object.fromEntries(Object.entries(schema.properties as Record<string, { default?: unknown }>).filter(([, p]) => 'default' in p).map(([k, p]) => [k, p.default]));
    expect(defaultPolicy()).toEqual(defaults);
    expect(parsePolicy('{"maxInstanceCount": 5}', 'x')).toEqual({ ...defaults, maxInstanceCount: 5 });
  });

  it('names the file and the field of a bad value', () => {
    expect(() => parsePolicy('{"maxInstanceCount": 0}', 'ephenv.policy.json at origin/main')).toThrow(/ephenv\.policy\.json at origin\/main .*\/maxInstanceCount: must be >= 1/);
    expect(() => parsePolicy('{"maxServerlessMemorySizeMb": 5000}', 'p.json')).toThrow(/p\.json .*\/maxServerlessMemorySizeMb: must be one of 1024, 2048/);
    expect(() => parsePolicy('{"maxTTL": 5}', 'p.json')).toThrow(/\/: unknown property "maxTTL"\. Its fields are allowedInstanceTypes, /);
    expect(() => parsePolicy('{', 'p.json')).toThrow(/p\.json is not valid JSON/);
  });

  it("reads the workspace's own policy", () => {
    expect(readPolicy(REPO, { env: {} }).policy.allowedInstanceTypes).toContain('ml.t2.medium');
  });
});

describe('policyViolations', () => {
  const policy = defaultPolicy();
  const realtime = (endpoint: object, ttlHours = 24) => ({ endpoint: { type: 'realtime' as const, instanceType: 'ml.t2.medium', instanceCount: 1, productionInstanceType: 'ml.g4dn.xlarge', memorySizeMb: 2048 as const, maxConcurrency: 5, timeoutSeconds: 25, ...endpoint }, ttlHours });

  it('refuses each limit with the rule and what is allowed', () => {
    expect(policyViolations(realtime({ instanceType: 'ml.p4d.24xlarge', instanceCount: 11 }, 500), policy)).toEqual([
      { field: 'endpoint.instanceType', value: 'ml.p4d.24xlarge', rule: 'allowedInstanceTypes', allowed: 'one of ml.t2.medium, ml.t3.medium, ml.m5.large, ml.c5.large' },
      { field: 'endpoint.instanceCount', value: 11, rule: 'maxInstanceCount', allowed: 'at most 2' },
      { field: 'preview.ttlHours', value: 500, rule: 'maxTtlHours', allowed: 'at most 168' },
    ]);
    const serverless = realtime({ type: 'serverless', memorySizeMb: 6144, maxConcurrency: 200, instanceType: 'ml.p4d.24xlarge' });
    expect(policyViolations(serverless, policy).map((v) => v.rule)).toEqual(['maxServerlessMemorySizeMb', 'maxServerlessConcurrency']);
  });

  it('accepts values at the limits', () => {
    expect(policyViolations(realtime({ instanceType: 'ml.c5.large', instanceCount: 2 }, 168), policy)).toEqual([]);
    expect(policyViolations(realtime({ type: 'serverless', memorySizeMb: 4096, maxConcurrency: 10 }), policy)).toEqual([]);
  });

  it('the error names the value, the rule, the policy and how to change it', () => {
    const config = { ...realtime({ instanceType: 'ml.p4d.24xlarge' }), projectRoot: 'apps/m' };
    const loaded = { policy, source: { ref: 'origin/main', defaults: false, description: 'ephenv.policy.json at origin/main' } };
    expect(() => assertWithinPolicy('m', config, loaded)).toThrow(PolicyError);
    expect(() => assertWithinPolicy('m', config, loaded)).toThrow(
      'm: ephenv.json asks for more than the preview policy allows; nothing was created.\n' +
        '  apps/m/ephenv.json endpoint.instanceType is "ml.p4d.24xlarge": the policy\'s allowedInstanceTypes allows one of ml.t2.medium, ml.t3.medium, ml.m5.large, ml.c5.large\n' +
        'The limits come from ephenv.policy.json at origin/main (the base branch, so this branch\'s own edits to ephenv.policy.json do not count): ' +
        'change ephenv.policy.json there through a pull request to the base branch, or bring apps/m/ephenv.json within them.',
    );
  });
});

describe('readPolicy in a git repository', () => {
  let repo: string;
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  const writePolicy = (policy: object) => writeFileSync(join(repo, 'ephenv.policy.json'), JSON.stringify(policy));
  const commit = (message: string) => {
    git('add', '-A');
    git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', message);
  };

  beforeEach(() => {
    repo = mkdtempSync(join(tmpdir(), 'ephenv-policy-'));
    git('init', '-q', '-b', 'main');
    writeFileSync(join(repo, 'README.md'), 'x\n');
  });
  afterEach(() => rmSync(repo, { recursive: true, force: true }));

  it("a pull request's own edit of the policy does not raise its limits", () => {
    writePolicy({ allowedInstanceTypes: ['ml.t3.medium'], maxInstanceCount: 1 });
    commit('policy on main');
    git('checkout', '-q', '-b', 'feature');
    writePolicy({ allowedInstanceTypes: ['ml.t3.medium', 'ml.p4d.24xlarge'], maxInstanceCount: 10 });
    commit('the PR raises its own limits');

    for (const options of [{ base: 'main' }, { env: { GITHUB_BASE_REF: 'main' } }, { env: { NX_BASE: git('rev-parse', 'main') } }]) {
      const { policy, source } = readPolicy(repo, { env: {}, ...options });
      expect(policy.allowedInstanceTypes).toEqual(['ml.t3.medium']);
      expect(policy.maxInstanceCount).toBe(1);
      expect(source.ref).toBeDefined();
    }
    // Uncommitted edits do not count either.
    writePolicy({ maxInstanceCount: 9 });
    expect(readPolicy(repo, { base: 'main', env: {} }).policy.maxInstanceCount).toBe(1);
    // Without a base (local use) the working tree's file is the policy, and the source says so.
    const local = readPolicy(repo, { env: {} });
    expect(local.policy.maxInstanceCount).toBe(9);
    expect(local.source).toEqual({ defaults: false, description: 'ephenv.policy.json in the working tree (no base branch: local use)' });
  });

  it('prefers origin/<base> to a local branch of that name', () => {
    writePolicy({ maxInstanceCount: 1 });
    commit('policy');
    git('update-ref', 'refs/remotes/origin/main', 'HEAD');
    writePolicy({ maxInstanceCount: 7 });
    commit('local main moved on');
    const { policy, source } = readPolicy(repo, { env: { GITHUB_BASE_REF: 'main' } });
    expect(policy.maxInstanceCount).toBe(1);
    expect(source.description).toBe('ephenv.policy.json at origin/main');
  });

  it('a policy file the pull request adds does not count: the base has none, so the defaults apply', () => {
    commit('no policy on main');
    git('checkout', '-q', '-b', 'feature');
    writePolicy({ maxInstanceCount: 10 });
    commit('the PR adds a policy');
    const { policy, source } = readPolicy(repo, { base: 'main', env: {} });
    expect(policy).toEqual(defaultPolicy());
    expect(source).toEqual({ ref: 'main', defaults: true, description: 'the default preview policy (no ephenv.policy.json at main)' });
  });

  it('an unknown base is an error, not a fall back to the working tree', () => {
    writePolicy({ maxInstanceCount: 10 });
    commit('c');
    expect(() => readPolicy(repo, { base: 'release', env: {} })).toThrow('cannot read the preview policy: the base "release" is not a commit of this repository. Fetch it (git fetch origin release;');
  });

  it("a broken policy on the base names the file and the ref", () => {
    writePolicy({ maxInstanceCount: 'two' });
    commit('c');
    expect(() => readPolicy(repo, { base: 'main', env: {} })).toThrow(/^ephenv\.policy\.json at main does not match the preview policy schema .*\/maxInstanceCount: must be integer/);
  });
});

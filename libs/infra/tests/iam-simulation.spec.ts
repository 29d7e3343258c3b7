import { runSimulation, runUnsafeSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorProcessEnv, startMoto, type MotoServer } from '@ephenv/testing';
import { terraformEnv } from '@ephenv/preview';
import { testTimeout } from './support/budget';
import { boto3, ok, stageModule, terraformInit, terraformOk, workspaceRoot } from './support/terraform';

/**
 * The bootstrap's roles as Terraform writes them (applied against moto, read back with boto3),
 * evaluated by a real IAM policy simulator: what a pull request's workflow can and cannot do.
 */
const ACCOUNT = '123456789012'; // moto's account
const REGION = 'us-east-1';
const BUCKET = 'ephenv-state-sim';
const REPOSITORY = 'acme/ml-models';
const MODEL = 'iris-classifier';
const PREVIEW = `${MODEL}-pr-42`;
const OIDC = 'token.actions.githubusercontent.com';
const policyFile = JSON.parse(readFileSync(join(workspaceRoot, 'ephenv.policy.json'), 'utf8'));

type Decision = 'Allowed' | 'ImplicitlyDenied' | 'ExplicitlyDenied';
type Policy = { name: string; policy: unknown };

const sagemaker = (kind: string, name: string) => `arn:aws:sagemaker:${REGION}:${ACCOUNT}:${kind}/${name}`;
const api = (path: string) => `arn:aws:apigateway:${REGION}::/apis${path}`;
const ephenvTags = { 'aws:RequestTag/ManagedBy': 'ephenv', 'aws:RequestTag/Environment': 'Ephemeral' };

describe('IAM of the bootstrap roles, evaluated by a policy simulator', () => {
  let moto: MotoServer;
  let tmp: string;
  let env: NodeJS.ProcessEnv;
  const identity: Record<'deploy' | 'reaper', Policy[]> = { deploy: [], reaper: [] };
  const trust: Record<'deploy' | 'reaper', unknown> = { deploy: undefined, reaper: undefined };
  let oidcProvider: string;

  const document = (raw: unknown) => (typeof raw === 'string' ? JSON.parse(decodeURIComponent(raw)) : raw);

  beforeAll(async () => {
    moto = await startMoto();
    tmp = mkdtempSync(join(tmpdir(), 'ephenv-iam-sim-'));
    const dir = stageModule('bootstrap', tmp);
    env = { ...emulatorProcessEnv(moto.endpoint), ...terraformEnv(workspaceRoot) };
    const vars = [
      ['state_bucket_name', BUCKET],
      ['model_names', JSON.stringify([MODEL])],
      ['github_repository', REPOSITORY],
      ['preview_policy_file', join(workspaceRoot, 'ephenv.policy.json')],
      ['force_destroy', 'true'],
    ].flatMap(([name, value]) => ['-var', `${name}=${value}`]);
    await terraformInit([], { cwd: dir, env });
    await terraformOk(['apply', '-auto-approve', '-input=false', '-no-color', ...vars], { cwd: dir, env });
    oidcProvider = JSON.parse((await terraformOk(['output', '-json'], { cwd: dir, env })).stdout).github_oidc_provider_arn.value;

    for (const role of ['deploy', 'reaper'] as const) {
      const [got, attached] = await boto3(
        [
          { service: 'iam', operation: 'get_role', params: { RoleName: `ephenv-${role}` } },
          { service: 'iam', operation: 'list_attached_role_policies', params: { RoleName: `ephenv-${role}` } },
        ],
        env,
      );
      trust[role] = document(ok(got).Role.AssumeRolePolicyDocument);
      for (const { PolicyArn, PolicyName } of ok(attached).AttachedPolicies) {
        const [policy] = await boto3([{ service: 'iam', operation: 'get_policy', params: { PolicyArn } }], env);
        const [version] = await boto3(
          [{ service: 'iam', operation: 'get_policy_version', params: { PolicyArn, VersionId: ok(policy).Policy.DefaultVersionId } }],
          env,
        );
        identity[role].push({ name: PolicyName, policy: document(ok(version).PolicyVersion.Document) });
      }
    }
  }, testTimeout(4));

  afterAll(async () => {
    await moto?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  /**
   * Strict simulation: the simulator validates the action, the resource type and every context key
   * against AWS's service authorization reference, and drops keys that do not apply (returned, so a
   * test can check its keys were really evaluated).
   */
  async function can(role: 'deploy' | 'reaper', action: string, resource: string, context: Record<string, string | string[]> = {}): Promise<Decision> {
    const simulation: Simulation = {
      request: { principal: `arn:aws:sts::${ACCOUNT}:assumed-role/ephenv-${role}/ci`, action, resource: { resource, accountId: ACCOUNT }, contextVariables: context },
      identityPolicies: identity[role],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    };
    const result = await runSimulation(simulation, {});
    if (result.resultType === 'error') throw new Error(`simulation of ${action} on ${resource} failed: ${JSON.stringify(result.errors)}`);
    if (result.resultType === 'single') expect(result.result.ignoredContextKeys ?? [], `${action}: context keys the simulator ignored`).toEqual([]);
    return result.overallResult as Decision;
  }

  /**
   * API Gateway's HTTP API resources (/apis/{id}) are missing from the simulator's bundled reference
   * for the HTTP-verb actions, so its validating entry point refuses them ("no.resource.types");
   * the same evaluation engine without that validation decides them.
   */
  function canApi(action: string, resource: string, context: Record<string, string | string[]>): Decision {
    return runUnsafeSimulation(
      {
        request: { principal: `arn:aws:sts::${ACCOUNT}:assumed-role/ephenv-deploy/ci`, action, resource: { resource, accountId: ACCOUNT }, contextVariables: context },
        identityPolicies: identity.deploy,
        serviceControlPolicies: [],
        resourceControlPolicies: [],
      },
      {},
    ) as Decision;
  }

  /**
   * AssumeRoleWithWebIdentity with a GitHub token's claims, against the role's trust policy. The
   * simulator's reference omits the aud/sub keys (strict mode would drop them) and its unvalidated
   * entry point cannot take a resource policy, so the trust statements are evaluated as identity
   * statements on the role; their Principal (the GitHub OIDC provider) is checked separately.
   */
  function assume(role: 'deploy' | 'reaper', claims: Record<string, string>): Decision {
    const roleArn = `arn:aws:iam::${ACCOUNT}:role/ephenv/ephenv-${role}`;
    const { Statement } = trust[role] as { Statement: { Principal: unknown }[] };
    for (const statement of Statement) expect(statement.Principal).toEqual({ Federated: oidcProvider });
    const statements = Statement.map(({ Principal: _principal, ...rest }) => ({ ...rest, Resource: roleArn }));
    const context = Object.fromEntries(Object.entries(claims).map(([claim, value]) => [`${OIDC}:${claim}`, value]));
    return runUnsafeSimulation(
      {
        request: { principal: `arn:aws:iam::${ACCOUNT}:oidc-provider/${OIDC}`, action: 'sts:AssumeRoleWithWebIdentity', resource: { resource: roleArn, accountId: ACCOUNT }, contextVariables: context },
        identityPolicies: [{ name: `trust-${role}`, policy: { Version: '2012-10-17', Statement: statements } }],
        serviceControlPolicies: [],
        resourceControlPolicies: [],
      },
      {},
    ) as Decision;
  }

  const pullRequest = { aud: 'sts.amazonaws.com', sub: `repo:${REPOSITORY}:pull_request`, ref: 'refs/pull/42/merge', job_workflow_ref: `${REPOSITORY}/.github/workflows/ephemeral-env.yml@refs/pull/42/merge` };
  const reaperOnMain = { aud: 'sts.amazonaws.com', sub: `repo:${REPOSITORY}:ref:refs/heads/main`, ref: 'refs/heads/main', job_workflow_ref: `${REPOSITORY}/.github/workflows/reaper.yml@refs/heads/main` };

  describe('the simulator itself (so the denials below cannot pass vacuously)', () => {
    it('allows what a plain Allow grants and denies what nothing grants', async () => {
      const simulation = (action: string): Simulation => ({
        request: { principal: `arn:aws:sts::${ACCOUNT}:assumed-role/x/y`, action, resource: { resource: `arn:aws:s3:::b/k`, accountId: ACCOUNT }, contextVariables: {} },
        identityPolicies: [{ name: 'p', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }] } }],
        serviceControlPolicies: [],
        resourceControlPolicies: [],
      });
      const decide = async (action: string) => {
        const result = await runSimulation(simulation(action), {});
        if (result.resultType === 'error') throw new Error(`simulation of ${action} failed: ${JSON.stringify(result.errors)}`);
        return result.overallResult;
      };
      expect(await decide('s3:GetObject')).toBe('Allowed');
      expect(await decide('s3:PutObject')).toBe('ImplicitlyDenied');
    });

    it('read both roles with their policies back from the account', () => {
      expect(identity.deploy.map((p) => p.name).sort()).toEqual(['gateways', 'images', 'logs', 'models', 'roles', 'state'].map((k) => `ephenv-deploy-${k}`));
      expect(identity.reaper.map((p) => p.name).sort()).toEqual(['gateways', 'logs', 'models', 'roles', 'state'].map((k) => `ephenv-reaper-${k}`));
    });
  });

  describe('a pull request (the deploy role)', () => {
    it('creates and deletes its own endpoint, endpoint config, model, Lambda and API', async () => {
      const [instanceType] = policyFile.allowedInstanceTypes;
      expect(await can('deploy', 'sagemaker:CreateModel', sagemaker('model', `${PREVIEW}-0a1b2c3d`))).toBe('Allowed');
      expect(await can('deploy', 'sagemaker:CreateEndpointConfig', sagemaker('endpoint-config', `${PREVIEW}-0a1b2c3d`), { 'sagemaker:InstanceTypes': [instanceType] })).toBe('Allowed');
      expect(
        await can('deploy', 'sagemaker:CreateEndpointConfig', sagemaker('endpoint-config', `${PREVIEW}-0a1b2c3d`), {
          'sagemaker:ServerlessMemorySize': String(policyFile.maxServerlessMemorySizeMb),
          'sagemaker:ServerlessMaxConcurrency': String(policyFile.maxServerlessConcurrency),
        }),
      ).toBe('Allowed');
      for (const action of ['sagemaker:CreateEndpoint', 'sagemaker:DeleteEndpoint']) expect(await can('deploy', action, sagemaker('endpoint', PREVIEW)), action).toBe('Allowed');
      expect(await can('deploy', 'sagemaker:DeleteEndpointConfig', sagemaker('endpoint-config', `${PREVIEW}-0a1b2c3d`))).toBe('Allowed');
      for (const action of ['lambda:CreateFunction', 'lambda:DeleteFunction', 'lambda:PutFunctionConcurrency']) {
        expect(await can('deploy', action, `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${PREVIEW}-gateway`), action).toBe('Allowed');
      }
      expect(canApi('apigateway:POST', api(''), ephenvTags)).toBe('Allowed');
      expect(canApi('apigateway:DELETE', api('/a1b2c3'), { 'aws:ResourceTag/ManagedBy': 'ephenv' })).toBe('Allowed');
      expect(canApi('apigateway:POST', api('/a1b2c3/stages'), { ...ephenvTags, 'aws:ResourceTag/ManagedBy': 'ephenv' })).toBe('Allowed');
      expect(await can('deploy', 's3:PutObject', `arn:aws:s3:::${BUCKET}/previews/${MODEL}/pr-42.tfstate`)).toBe('Allowed');
      expect(await can('deploy', 'iam:CreateRole', `arn:aws:iam::${ACCOUNT}:role/ephenv/${PREVIEW}-gateway`, {
        'iam:PermissionsBoundary': `arn:aws:iam::${ACCOUNT}:policy/ephenv/ephenv-deploy-preview-boundary`,
        ...ephenvTags,
      })).toBe('Allowed');
    });

    it('cannot touch, create untagged, or mark as its own an API that is not ephenv’s', () => {
      for (const action of ['apigateway:DELETE', 'apigateway:PATCH']) {
        expect(canApi(action, api('/prod42'), { 'aws:ResourceTag/ManagedBy': 'platform' }), action).toBe('ImplicitlyDenied');
        expect(canApi(action, api('/prod42'), {}), `${action} untagged`).toBe('ImplicitlyDenied');
      }
      expect(canApi('apigateway:POST', api(''), {})).toBe('ImplicitlyDenied');
      const tags = `arn:aws:apigateway:${REGION}::/tags/${encodeURIComponent(api('/prod42'))}`;
      expect(canApi('apigateway:POST', tags, { 'aws:TagKeys': ['ManagedBy'], 'aws:RequestTag/ManagedBy': 'ephenv' })).toBe('ImplicitlyDenied');
      expect(canApi('apigateway:DELETE', tags, { 'aws:TagKeys': ['ManagedBy'] })).toBe('ImplicitlyDenied');
      expect(canApi('apigateway:POST', tags, { 'aws:TagKeys': ['GitSha'], 'aws:RequestTag/GitSha': 'abc1234' })).toBe('Allowed');
    });

    it('cannot create an endpoint config outside the preview policy', async () => {
      const config = sagemaker('endpoint-config', `${PREVIEW}-0a1b2c3d`);
      expect(policyFile.allowedInstanceTypes).not.toContain('ml.p4d.24xlarge');
      expect(await can('deploy', 'sagemaker:CreateEndpointConfig', config, { 'sagemaker:InstanceTypes': ['ml.p4d.24xlarge'] })).toBe('ImplicitlyDenied');
      expect(await can('deploy', 'sagemaker:CreateEndpointConfig', config, { 'sagemaker:InstanceTypes': [policyFile.allowedInstanceTypes[0], 'ml.p4d.24xlarge'] })).toBe('ImplicitlyDenied');
      expect(await can('deploy', 'sagemaker:CreateEndpointConfig', config, { 'sagemaker:ServerlessMemorySize': String(policyFile.maxServerlessMemorySizeMb + 1024) })).toBe('ImplicitlyDenied');
      expect(await can('deploy', 'sagemaker:CreateEndpointConfig', config, { 'sagemaker:ServerlessMaxConcurrency': String(policyFile.maxServerlessConcurrency + 1) })).toBe('ImplicitlyDenied');
      // Another model's name, even within the policy.
      expect(await can('deploy', 'sagemaker:CreateEndpointConfig', sagemaker('endpoint-config', 'fraud-pr-1-0a1b2c3d'), { 'sagemaker:InstanceTypes': [policyFile.allowedInstanceTypes[0]] })).toBe('ImplicitlyDenied');
    });

    it('cannot untag a preview role, rewrite its trust, retag it away from ephenv, or create one without the boundary', async () => {
      const role = `arn:aws:iam::${ACCOUNT}:role/ephenv/${PREVIEW}-gateway`;
      expect(await can('deploy', 'iam:UntagRole', role, { 'aws:TagKeys': ['GitSha'] })).toBe('ImplicitlyDenied');
      expect(await can('deploy', 'iam:UpdateAssumeRolePolicy', role)).toBe('ImplicitlyDenied');
      expect(await can('deploy', 'iam:TagRole', role, { 'aws:TagKeys': ['ManagedBy'], 'aws:RequestTag/ManagedBy': 'someone-else' })).toBe('ImplicitlyDenied');
      expect(await can('deploy', 'iam:TagRole', role, { 'aws:TagKeys': ['GitSha'], 'aws:RequestTag/GitSha': 'abc1234' })).toBe('Allowed');
      expect(await can('deploy', 'iam:CreateRole', role, { 'iam:PermissionsBoundary': `arn:aws:iam::${ACCOUNT}:policy/AdministratorAccess`, ...ephenvTags })).toBe('ImplicitlyDenied');
      expect(await can('deploy', 'iam:CreateRole', role, { 'iam:PermissionsBoundary': `arn:aws:iam::${ACCOUNT}:policy/ephenv/ephenv-deploy-preview-boundary` })).toBe('ImplicitlyDenied');
    });

    it('reads and writes state only under previews/', async () => {
      expect(await can('deploy', 's3:PutObject', `arn:aws:s3:::${BUCKET}/bootstrap/terraform.tfstate`)).toBe('ImplicitlyDenied');
      expect(await can('deploy', 's3:GetObject', `arn:aws:s3:::${BUCKET}/bootstrap/terraform.tfstate`)).toBe('ImplicitlyDenied');
      expect(await can('deploy', 's3:ListBucket', `arn:aws:s3:::${BUCKET}`, { 's3:prefix': 'previews/' })).toBe('Allowed');
      expect(await can('deploy', 's3:ListBucket', `arn:aws:s3:::${BUCKET}`, { 's3:prefix': 'bootstrap/' })).toBe('ImplicitlyDenied');
    });

    it('is assumable only from a pull_request event of the repository', () => {
      expect(assume('deploy', pullRequest)).toBe('Allowed');
      expect(assume('deploy', { aud: 'sts.amazonaws.com', sub: `repo:${REPOSITORY}:ref:refs/heads/feature/x`, ref: 'refs/heads/feature/x' })).toBe('ImplicitlyDenied');
      expect(assume('deploy', { aud: 'sts.amazonaws.com', sub: `repo:${REPOSITORY}:ref:refs/heads/main`, ref: 'refs/heads/main' })).toBe('ImplicitlyDenied');
      expect(assume('deploy', { aud: 'sts.amazonaws.com', sub: `repo:evil/ml-models:pull_request` })).toBe('ImplicitlyDenied');
      expect(assume('deploy', { ...pullRequest, aud: 'some-other-audience' })).toBe('ImplicitlyDenied');
    });
  });

  describe('the reaper role', () => {
    it('is assumable only by the reaper workflow on the default branch, never from a pull request', () => {
      expect(assume('reaper', reaperOnMain)).toBe('Allowed');
      expect(assume('reaper', pullRequest)).toBe('ImplicitlyDenied');
      expect(assume('reaper', { ...reaperOnMain, job_workflow_ref: `${REPOSITORY}/.github/workflows/other.yml@refs/heads/main` })).toBe('ImplicitlyDenied');
      expect(assume('reaper', { aud: 'sts.amazonaws.com', sub: `repo:${REPOSITORY}:ref:refs/heads/feature/x`, job_workflow_ref: `${REPOSITORY}/.github/workflows/reaper.yml@refs/heads/feature/x` })).toBe('ImplicitlyDenied');
    });

    it('destroys previews but creates nothing', async () => {
      expect(await can('reaper', 'sagemaker:DeleteEndpoint', sagemaker('endpoint', PREVIEW))).toBe('Allowed');
      expect(await can('reaper', 'lambda:DeleteFunction', `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${PREVIEW}-gateway`)).toBe('Allowed');
      expect(await can('reaper', 'sagemaker:CreateEndpointConfig', sagemaker('endpoint-config', `${PREVIEW}-0a1b2c3d`), { 'sagemaker:InstanceTypes': [policyFile.allowedInstanceTypes[0]] })).toBe('ImplicitlyDenied');
      expect(await can('reaper', 'iam:PassRole', `arn:aws:iam::${ACCOUNT}:role/ephenv/${PREVIEW}-gateway`, { 'iam:PassedToService': 'lambda.amazonaws.com' })).toBe('ImplicitlyDenied');
      expect(await can('reaper', 'ecr:PutImage', `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/${MODEL}`)).toBe('ImplicitlyDenied');
    });
  });
});

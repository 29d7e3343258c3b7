import { DescribeRepositoriesCommand, ECRClient, GetLifecyclePolicyCommand } from '@aws-sdk/client-ecr';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorClientConfig, emulatorProcessEnv, startMoto, type MotoServer } from '@ephenv/testing';
import { terraformEnv } from '@ephenv/preview';
import { boto3, ok, stageModule, terraform, terraformInit, terraformOk, workspaceRoot } from './support/terraform';
import { testTimeout } from './support/budget';

const ACCOUNT = '123456789012'; // moto's account
const BUCKET = 'ephenv-state-test';
const MODELS = ['iris-classifier', 'fraud-detector'];
const REPOSITORY = 'acme/ml-models';

const vars = [
  '-var',
  `state_bucket_name=${BUCKET}`,
  '-var',
  `model_names=${JSON.stringify(MODELS)}`,
  '-var',
  `github_repository=${REPOSITORY}`,
  '-var',
  'force_destroy=true',
  '-var',
  `preview_policy_file=${join(workspaceRoot, 'ephenv.policy.json')}`,
];

describe('bootstrap module against moto', () => {
  let moto: MotoServer;
  let tmp: string;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let outputs: Record<string, { value: any }>;
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    moto = await startMoto();
    tmp = mkdtempSync(join(tmpdir(), 'ephenv-bootstrap-'));
    dir = stageModule('bootstrap', tmp);
    env = { ...emulatorProcessEnv(moto.endpoint), ...terraformEnv(workspaceRoot) };
  });

  afterAll(async () => {
    await moto?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
    console.info(`bootstrap against moto (ms): ${JSON.stringify(timings)}`);
  });

  const policyDocument = async (arn: string) => {
    const [policy] = await boto3([{ service: 'iam', operation: 'get_policy', params: { PolicyArn: arn } }], env);
    const [version] = await boto3(
      [{ service: 'iam', operation: 'get_policy_version', params: { PolicyArn: arn, VersionId: ok(policy).Policy.DefaultVersionId } }],
      env,
    );
    const document = ok(version).PolicyVersion.Document;
    return typeof document === 'string' ? JSON.parse(decodeURIComponent(document)) : document;
  };

  it('creates the state bucket, lock table, repositories, OIDC provider and deploy role', async () => {
    timings.init = (await terraformInit([], { cwd: dir, env })).ms;
    timings.apply = (await terraformOk(['apply', '-auto-approve', '-input=false', '-no-color', ...vars], { cwd: dir, env })).ms;
    outputs = JSON.parse((await terraformOk(['output', '-json'], { cwd: dir, env })).stdout);

    expect(outputs.state_bucket.value).toBe(BUCKET);
    expect(outputs.lock_table.value).toBe('ephenv-terraform-locks');
    expect(outputs.aws_region.value).toBe('us-east-1');
    expect(outputs.ecr_repository_urls.value).toEqual(
      Object.fromEntries(MODELS.map((m) => [m, `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/${m}`])),
    );
    expect(outputs.deploy_role_arn.value).toBe(`arn:aws:iam::${ACCOUNT}:role/ephenv/ephenv-deploy`);

    const [versioning, encryption, publicAccess, ownership, bucketPolicy, lifecycle, table, oidc, role, attached] = await boto3(
      [
        { service: 's3', operation: 'get_bucket_versioning', params: { Bucket: BUCKET } },
        { service: 's3', operation: 'get_bucket_encryption', params: { Bucket: BUCKET } },
        { service: 's3', operation: 'get_public_access_block', params: { Bucket: BUCKET } },
        { service: 's3', operation: 'get_bucket_ownership_controls', params: { Bucket: BUCKET } },
        { service: 's3', operation: 'get_bucket_policy', params: { Bucket: BUCKET } },
        { service: 's3', operation: 'get_bucket_lifecycle_configuration', params: { Bucket: BUCKET } },
        { service: 'dynamodb', operation: 'describe_table', params: { TableName: 'ephenv-terraform-locks' } },
        { service: 'iam', operation: 'get_open_id_connect_provider', params: { OpenIDConnectProviderArn: outputs.github_oidc_provider_arn.value } },
        { service: 'iam', operation: 'get_role', params: { RoleName: 'ephenv-deploy' } },
        { service: 'iam', operation: 'list_attached_role_policies', params: { RoleName: 'ephenv-deploy' } },
      ],
      env,
    );

    expect(ok(versioning).Status).toBe('Enabled');
    expect(ok(encryption).ServerSideEncryptionConfiguration.Rules[0].ApplyServerSideEncryptionByDefault.SSEAlgorithm).toBe('AES256');
    expect(ok(publicAccess).PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    });
    expect(ok(ownership).OwnershipControls.Rules).toEqual([{ ObjectOwnership: 'BucketOwnerEnforced' }]);
    expect(JSON.parse(ok(bucketPolicy).Policy).Statement[0]).toMatchObject({
      Effect: 'Deny',
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    });
    expect(ok(lifecycle).Rules[0]).toMatchObject({ Status: 'Enabled', NoncurrentVersionExpiration: { NoncurrentDays: 90 } });

    expect(ok(table).Table.KeySchema).toEqual([{ AttributeName: 'LockID', KeyType: 'HASH' }]);
    expect(ok(table).Table.BillingModeSummary.BillingMode).toBe('PAY_PER_REQUEST');

    expect(ok(oidc).Url).toContain('token.actions.githubusercontent.com');
    expect(ok(oidc).ClientIDList).toEqual(['sts.amazonaws.com']);

    const trust = ok(role).Role.AssumeRolePolicyDocument;
    expect(trust.Statement).toEqual([
      {
        Effect: 'Allow',
        Action: 'sts:AssumeRoleWithWebIdentity',
        Principal: { Federated: outputs.github_oidc_provider_arn.value },
        Condition: {
          StringEquals: {
            'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
            'token.actions.githubusercontent.com:sub': `repo:${REPOSITORY}:pull_request`,
          },
        },
      },
    ]);
    expect(ok(attached).AttachedPolicies.map((p: { PolicyName: string }) => p.PolicyName).sort()).toEqual(
      ['gateways', 'images', 'logs', 'models', 'roles', 'state'].map((k) => `ephenv-deploy-${k}`),
    );
    expect(outputs.reaper_role_arn.value).toBe(`arn:aws:iam::${ACCOUNT}:role/ephenv/ephenv-reaper`);

    const ecr = new ECRClient(emulatorClientConfig(moto.endpoint));
    const repos = await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: MODELS }));
    expect(repos.repositories?.map((r) => r.imageScanningConfiguration?.scanOnPush)).toEqual([true, true]);
    expect(repos.repositories?.map((r) => r.imageTagMutability)).toEqual(['IMMUTABLE', 'IMMUTABLE']);
    const lifecyclePolicy = await ecr.send(new GetLifecyclePolicyCommand({ repositoryName: 'iris-classifier' }));
    const rules = JSON.parse(lifecyclePolicy.lifecyclePolicyText!).rules;
    expect(rules.map((r: { selection: unknown }) => r.selection)).toEqual([
      { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 7 },
      { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 30 },
    ]);
  }, testTimeout(3));

  it('lets the deploy role touch only the previews of the listed models, and create roles only under the boundary', async () => {
    const arnOf = (name: string) => `arn:aws:iam::${ACCOUNT}:policy/ephenv/ephenv-deploy-${name}`;
    const boundary = outputs.preview_permissions_boundary_arn.value;
    expect(boundary).toBe(arnOf('preview-boundary'));

    const models = await policyDocument(arnOf('models'));
    expect(models.Statement.find((s: { Sid: string }) => s.Sid === 'ManagePreviewSageMaker').Resource).toEqual(
      MODELS.flatMap((m) => ['model', 'endpoint-config', 'endpoint'].map((kind) => `arn:aws:sagemaker:us-east-1:${ACCOUNT}:${kind}/${m}-pr-*`)),
    );

    const roles = await policyDocument(arnOf('roles'));
    const create = roles.Statement.find((s: { Sid: string }) => s.Sid === 'CreatePreviewRolesUnderBoundary');
    expect(create.Action).toContain('iam:CreateRole');
    expect(create.Condition).toEqual({
      StringEquals: { 'iam:PermissionsBoundary': boundary, 'aws:RequestTag/ManagedBy': 'ephenv', 'aws:RequestTag/Environment': 'Ephemeral' },
    });
    expect(create.Resource).toEqual(MODELS.map((m) => `arn:aws:iam::${ACCOUNT}:role/ephenv/${m}-pr-*`));
    const actions = roles.Statement.flatMap((s: { Action: string | string[] }) => s.Action);
    expect(actions).not.toContain('iam:DeleteRolePermissionsBoundary');
    expect(actions).not.toContain('iam:AttachRolePolicy');
    expect(actions).not.toContain('iam:UntagRole');
    expect(actions).not.toContain('iam:UpdateAssumeRolePolicy');

    const images = await policyDocument(arnOf('images'));
    expect([...images.Statement.find((s: { Sid: string }) => s.Sid === 'PushModelImages').Resource].sort()).toEqual(
      MODELS.map((m) => `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/${m}`).sort(),
    );

    const previewRoles = await policyDocument(boundary);
    expect(previewRoles.Statement.find((s: { Sid: string }) => s.Sid === 'InvokePreviewEndpoints').Resource).toEqual(
      MODELS.map((m) => `arn:aws:sagemaker:us-east-1:${ACCOUNT}:endpoint/${m}-pr-*`),
    );
  }, testTimeout(1));

  it('plans no change when applied again', async () => {
    const plan = await terraform(['plan', '-detailed-exitcode', '-input=false', '-no-color', ...vars], { cwd: dir, env });
    expect(plan.stdout).toContain('No changes.');
    expect(plan.code).toBe(0);
  }, testTimeout(1));

  it('destroys everything it created', async () => {
    timings.destroy = (await terraformOk(['destroy', '-auto-approve', '-input=false', '-no-color', ...vars], { cwd: dir, env })).ms;

    const [bucket, table, role, providers, policies] = await boto3(
      [
        { service: 's3', operation: 'head_bucket', params: { Bucket: BUCKET } },
        { service: 'dynamodb', operation: 'describe_table', params: { TableName: 'ephenv-terraform-locks' } },
        { service: 'iam', operation: 'get_role', params: { RoleName: 'ephenv-deploy' } },
        { service: 'iam', operation: 'list_open_id_connect_providers' },
        { service: 'iam', operation: 'list_policies', params: { Scope: 'Local', PathPrefix: '/ephenv/' } },
      ],
      env,
    );
    expect(bucket.error).toBe('404');
    expect(table.error).toBe('ResourceNotFoundException');
    expect(role.error).toBe('NoSuchEntity');
    expect(ok(providers).OpenIDConnectProviderList).toEqual([]);
    expect(ok(policies).Policies).toEqual([]);
    const ecr = new ECRClient(emulatorClientConfig(moto.endpoint));
    await expect(ecr.send(new DescribeRepositoriesCommand({ repositoryNames: MODELS }))).rejects.toThrow(/RepositoryNotFound|does not exist/);
  }, testTimeout(1));
});

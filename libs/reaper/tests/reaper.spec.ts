import { LambdaClient } from '@aws-sdk/client-lambda';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '@ephenv/core';
import { emulatorClientConfig, emulatorS3ClientConfig, startMoto, type MotoServer, injectOrphan, type InjectedOrphan } from '@ephenv/testing';
import { type AwsSettings, StateLockedError } from '@ephenv/preview';
import { reaperClients, type ReaperClients } from '../src/aws-clients';
import type { PreviewId } from '../src/preview-tags';
import { reap, type PreviewOutcome, type ReapReport } from '../src/reap';
import { reapDetails, reapFailed, reapSummary, reapTableRows } from '../src/report';

// The real clock: moto stamps each endpoint's CreationTime with it, and the reaper ages previews by that.
const NOW = new Date();
const hours = (n: number) => new Date(NOW.getTime() + n * 3600_000);
const BUCKET = 'ephenv-state';

/** All eleven parts of an injected preview, as `remaining()` names them. */
const everything = (o: InjectedOrphan) => [
  `endpoint ${o.endpointName}`,
  `endpoint config ${o.endpointConfigName}`,
  `model ${o.modelName}`,
  `lambda ${o.functionName}`,
  `http api ${o.apiId}`,
  ...o.logGroupNames.map((g) => `log group ${g}`),
  `parameter ${o.parameterName}`,
  ...o.roleNames.map((r) => `role ${r}`),
];

let moto: MotoServer;
let clients: ReaperClients;
let settings: AwsSettings;
let workspace: string;

/** A checkout with iris-classifier's root stack, and fraud-detector and churn-model without one. */
function makeCheckout(): string {
  const root = mkdtempSync(join(tmpdir(), 'ephenv-reaper-'));
  writeFileSync(join(root, 'nx.json'), '{}\n');
  for (const model of ['iris-classifier', 'fraud-detector', 'churn-model']) {
    mkdirSync(join(root, 'apps', model), { recursive: true });
    writeFileSync(join(root, 'apps', model, 'ephenv.json'), JSON.stringify({ name: model }));
  }
  mkdirSync(join(root, 'apps', 'iris-classifier', 'infra'));
  writeFileSync(join(root, 'apps', 'iris-classifier', 'infra', 'main.tf'), 'module "preview" {}\n');
  return root;
}

async function putState(preview: PreviewId): Promise<void> {
  const s3 = new S3Client(emulatorS3ClientConfig(moto.endpoint));
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `previews/${preview.project}/pr-${preview.pr}.tfstate`, Body: '{"version":4,"resources":[]}' }));
  s3.destroy();
}

const find = (report: ReapReport, project: string, pr: string): PreviewOutcome | undefined => report.previews.find((p) => p.project === project && p.pr === pr);
const names = (outcome: PreviewOutcome | undefined) => outcome?.resources.map((r) => `${r.resource.kind} ${r.resource.name}`).sort();

beforeAll(async () => {
  moto = await startMoto();
  clients = reaperClients(emulatorClientConfig(moto.endpoint));
  settings = { region: 'us-east-1', stateBucket: BUCKET, lockTable: 'ephenv-terraform-locks', endpoint: moto.endpoint };
  const s3 = new S3Client(emulatorS3ClientConfig(moto.endpoint));
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  s3.destroy();
  workspace = makeCheckout();
});

afterAll(async () => {
  clients?.destroy();
  await moto?.stop();
  if (workspace) rmSync(workspace, { recursive: true, force: true });
});

describe('ephenv reap against moto', () => {
  const previews: Record<string, InjectedOrphan> = {};
  const destroyCalls: PreviewId[] = [];
  /** Stands in for a `terraform destroy` that fails (state unreadable, provider error, ...). */
  const failingTerraform = async (preview: PreviewId) => {
    destroyCalls.push(preview);
    throw new Error('terraform destroy of the preview failed (exit 1); full log: terraform-pr.log');
  };

  beforeAll(async () => {
    const at = (project: string, pr: string, expiresAt: Date, extra: Partial<Parameters<typeof injectOrphan>[1]> = {}) =>
      injectOrphan(moto.endpoint, { project, pr, expiresAt, ...extra });
    // Expired, its state still in the bucket and its root stack in the checkout: Terraform first.
    previews.withState = await at('iris-classifier', '11', hours(-2));
    await putState({ project: 'iris-classifier', pr: '11' });
    // Expired, state lost: the SDK deletes it.
    previews.stateLost = await at('iris-classifier', '12', hours(-26));
    previews.fresh = await at('iris-classifier', '13', hours(5));
    // Not expired, but its PR is closed.
    previews.closed = await at('iris-classifier', '14', hours(48));
    // Expired, state in the bucket but no root stack in the checkout; some parts carry only one marker.
    previews.partlyMarked = await at('fraud-detector', '15', hours(-1), {
      partTags: { lambda: { ManagedBy: null }, parameter: { Environment: null }, roles: { ManagedBy: 'terraform' } },
    });
    await putState({ project: 'fraud-detector', pr: '15' });
    // Production: no tags at all.
    previews.production = await at('iris-classifier', '0', hours(-100), { name: 'iris-classifier-prod', untagged: true });
    // Environment=Ephemeral without ManagedBy=ephenv, long expired, named like a preview.
    previews.notOurs = await at('fraud-detector', '20', hours(-100), { tags: { ManagedBy: null } });
    // Both markers but no Project: the reaper cannot tell which preview it is.
    previews.anonymous = await at('mystery', '30', hours(-100), { tags: { Project: null } });
  }, 60_000);

  it('--dry-run lists what would be deleted and how, and changes nothing', async () => {
    const report = await reap({ workspaceRoot: workspace, settings, clients, now: NOW, closedPrs: ['14'], dryRun: true, destroyThroughState: failingTerraform });

    expect(report.previews.map((p) => [p.project, p.pr, p.action, p.result])).toEqual([
      ['fraud-detector', '15', 'sdk delete', 'would delete'],
      ['iris-classifier', '11', 'terraform destroy', 'would delete'],
      ['iris-classifier', '12', 'sdk delete', 'would delete'],
      ['iris-classifier', '13', 'keep', 'kept'],
      ['iris-classifier', '14', 'sdk delete', 'would delete'],
    ]);
    expect(find(report, 'iris-classifier', '11')!.state).toEqual({ usable: true, location: `s3://${BUCKET}/previews/iris-classifier/pr-11.tfstate` });
    expect(find(report, 'iris-classifier', '12')!.state).toEqual({ usable: false, why: `no Terraform state at s3://${BUCKET}/previews/iris-classifier/pr-12.tfstate` });
    expect(find(report, 'fraud-detector', '15')!.state).toEqual({ usable: false, why: 'apps/fraud-detector/infra is missing from this checkout' });
    expect(find(report, 'iris-classifier', '14')!.reason).toBe('PR closed');
    expect(find(report, 'iris-classifier', '12')!.reason).toBe('expired 26 h ago');
    expect(find(report, 'iris-classifier', '13')!.reason).toBe('expires in 5 h');

    const stateLost = previews.stateLost;
    expect(names(find(report, 'iris-classifier', '12'))).toEqual(
      [
        `endpoint ${stateLost.endpointName}`,
        `endpoint-config ${stateLost.endpointConfigName}`,
        `model ${stateLost.modelName}`,
        `lambda ${stateLost.functionName}`,
        `http-api ${stateLost.name}`,
        ...stateLost.logGroupNames.map((g) => `log-group ${g}`),
        `parameter ${stateLost.parameterName}`,
        ...stateLost.roleNames.map((r) => `iam-role ${r}`),
      ].sort(),
    );
    // The parts with one marker are listed as left alone, not as to delete.
    const partly = find(report, 'fraud-detector', '15')!;
    expect(partly.resources).toHaveLength(7);
    expect(partly.ignored.map((i) => `${i.resource.kind} ${i.resource.name}: ${i.why}`).sort()).toEqual([
      `iam-role fraud-detector-pr-15-gateway: not tagged ManagedBy=ephenv`,
      `iam-role fraud-detector-pr-15-sagemaker: not tagged ManagedBy=ephenv`,
      `lambda fraud-detector-pr-15-gateway: not tagged ManagedBy=ephenv`,
      `parameter /ephenv/fraud-detector-pr-15/token: not tagged Environment=Ephemeral`,
    ]);
    expect(report.skipped.map((e) => e.endpoint.endpointName)).toEqual(['mystery-pr-30']);

    expect(destroyCalls).toEqual([]);
    for (const orphan of Object.values(previews)) expect(await orphan.remaining()).toEqual(everything(orphan));
    expect(reapSummary(report)).toBe('dry run: 4 of 5 ephemeral previews would be reaped (40 resources); nothing was changed');
  });

  it('removes exactly the expired and closed previews, through Terraform first, and touches nothing else', async () => {
    const lines: string[] = [];
    const report = await reap({ workspaceRoot: workspace, settings, clients, now: NOW, closedPrs: ['14'], destroyThroughState: failingTerraform, progress: (l) => lines.push(l) });

    // Terraform was tried only where the state and the root stack both exist; its failure fell back to the SDK.
    expect(destroyCalls).toEqual([{ project: 'iris-classifier', pr: '11' }]);
    const withState = find(report, 'iris-classifier', '11')!;
    expect(withState.action).toBe('terraform destroy, then sdk delete');
    expect(withState.terraformError).toContain('terraform destroy of the preview failed');
    expect(lines).toContain('iris-classifier PR 11: terraform destroy failed; deleting with the AWS SDK');

    expect(report.previews.map((p) => [p.project, p.pr, p.result])).toEqual([
      ['fraud-detector', '15', 'deleted'],
      ['iris-classifier', '11', 'deleted'],
      ['iris-classifier', '12', 'deleted'],
      ['iris-classifier', '13', 'kept'],
      ['iris-classifier', '14', 'deleted'],
    ]);
    expect(reapFailed(report)).toBe(false);

    // Checked with the test's own SDK calls, not the reaper's.
    expect(await previews.withState.remaining()).toEqual([]);
    expect(await previews.stateLost.remaining()).toEqual([]);
    expect(await previews.closed.remaining()).toEqual([]);
    const partly = previews.partlyMarked;
    expect(await partly.remaining()).toEqual([`lambda ${partly.functionName}`, `parameter ${partly.parameterName}`, ...partly.roleNames.map((r) => `role ${r}`)]);
    for (const untouched of [previews.fresh, previews.production, previews.notOurs, previews.anonymous]) {
      expect(await untouched.remaining()).toEqual(everything(untouched));
    }

    const rows = reapTableRows(report);
    expect(rows).toContainEqual(['iris-classifier', '13', 'iris-classifier-pr-13', hours(5).toISOString(), 'keep (expires in 5 h)', 'kept']);
    expect(rows).toContainEqual(['iris-classifier', '12', 'iris-classifier-pr-12', hours(-26).toISOString(), 'sdk delete (expired 26 h ago)', 'deleted 11 resources']);
    expect(reapSummary(report)).toBe('reaped 4 of 5 ephemeral previews, kept 1');
    const details = reapDetails(report, 'us-east-1').join('\n');
    expect(details).toContain(`left alone: Lambda function ${partly.functionName} (not tagged ManagedBy=ephenv)`);
    expect(details).toContain('mystery-pr-30');
  });

  it('a second run finds only the previews that are still due later', async () => {
    const report = await reap({ workspaceRoot: workspace, settings, clients, now: NOW, destroyThroughState: failingTerraform });
    expect(report.previews.map((p) => [p.project, p.pr, p.result])).toEqual([['iris-classifier', '13', 'kept']]);
    expect(await previews.fresh.remaining()).toEqual(everything(previews.fresh));
  });

  it('once its ExpiresAt has passed, the fresh preview goes too', async () => {
    const report = await reap({ workspaceRoot: workspace, settings, clients, now: hours(6), destroyThroughState: failingTerraform });
    expect(report.previews.map((p) => [p.project, p.pr, p.action, p.result])).toEqual([['iris-classifier', '13', 'sdk delete', 'deleted']]);
    expect(await previews.fresh.remaining()).toEqual([]);
    for (const untouched of [previews.production, previews.notOurs, previews.anonymous]) expect(await untouched.remaining()).toEqual(everything(untouched));
  });
});

describe('ephenv reap ages previews by AWS CreationTime and survives bad data', () => {
  const previews: Record<string, InjectedOrphan> = {};
  const noTerraform = async () => {
    throw new Error('no preview here has a Terraform state');
  };
  const policyFile = () => join(workspace, 'ephenv.policy.json');

  beforeAll(async () => {
    const expired = hours(-5);
    previews.noExpiresAt = await injectOrphan(moto.endpoint, { project: 'iris-classifier', pr: '50', expiresAt: expired, tags: { ExpiresAt: null } });
    previews.farExpiresAt = await injectOrphan(moto.endpoint, { project: 'iris-classifier', pr: '51', expiresAt: new Date('2099-01-01T00:00:00Z') });
    previews.unreadable = await injectOrphan(moto.endpoint, { project: 'fraud-detector', pr: '52', expiresAt: expired, tags: { ExpiresAt: 'next week' } });
    // Bad data, each long expired: none of it identifies a preview of this checkout.
    previews.malformed = await injectOrphan(moto.endpoint, { project: 'iris-classifier', pr: '53', expiresAt: expired, tags: { PR_Number: 'x5' } });
    previews.misnamed = await injectOrphan(moto.endpoint, { project: 'iris-classifier', pr: '54', expiresAt: expired, name: 'iris-classifier-live' });
    previews.foreign = await injectOrphan(moto.endpoint, { project: 'billing-model', pr: '55', expiresAt: expired });
    writeFileSync(policyFile(), JSON.stringify({ maxTtlHours: 24 }));
  }, 60_000);

  afterAll(() => rmSync(policyFile(), { force: true }));

  it("keeps a preview without a usable ExpiresAt until the policy's maxTtlHours after its CreationTime, then removes it; bad data is skipped with a warning", async () => {
    const lines: string[] = [];
    const before = await reap({ workspaceRoot: workspace, settings, clients, now: hours(23), destroyThroughState: noTerraform, progress: (l) => lines.push(l) });
    expect(before.maxTtlHours).toBe(24);
    expect(lines).toContain('maximum age 24 h from ephenv.policy.json in the working tree (no base branch: local use)');
    expect(before.previews.map((p) => [p.project, p.pr, p.result, p.reason.replace(/in \d+ min$/, 'in N min')])).toEqual([
      ['fraud-detector', '52', 'kept', 'ExpiresAt "next week" is not a date; goes at the policy\'s maxTtlHours (24 h after creation), in N min'],
      ['iris-classifier', '50', 'kept', "no ExpiresAt tag; goes at the policy's maxTtlHours (24 h after creation), in N min"],
      ['iris-classifier', '51', 'kept', "ExpiresAt 2099-01-01T00:00:00.000Z is past the policy's cap; goes at the policy's maxTtlHours (24 h after creation), in N min"],
    ]);

    lines.length = 0;
    const after = await reap({ workspaceRoot: workspace, settings, clients, now: hours(25), destroyThroughState: noTerraform, progress: (l) => lines.push(l) });
    expect(after.previews.map((p) => [p.project, p.pr, p.result])).toEqual([
      ['fraud-detector', '52', 'deleted'],
      ['iris-classifier', '50', 'deleted'],
      ['iris-classifier', '51', 'deleted'],
    ]);
    expect(after.previews[1].reason).toMatch(/^no ExpiresAt tag; older than the policy's maxTtlHours \(24 h after creation\): created 25 h ago$/);
    expect(reapFailed(after)).toBe(false);
    for (const gone of [previews.noExpiresAt, previews.farExpiresAt, previews.unreadable]) expect(await gone.remaining()).toEqual([]);

    // The bad data: reported with why, never touched.
    const warnings = [
      'warning: skipped the endpoint iris-classifier-pr-53: PR_Number tag "x5" is not a pull request number (1-999999)',
      'warning: skipped the endpoint iris-classifier-live: its name does not follow the preview naming "iris-classifier-pr-54" of its tags Project=iris-classifier PR_Number=54',
      'warning: skipped the endpoint billing-model-pr-55: Project "billing-model" is not a model of this checkout (no <folder>/billing-model/ephenv.json)',
    ];
    for (const warning of warnings) expect(lines).toContain(warning);
    const details = reapDetails(after, 'us-east-1').join('\n');
    expect(details).toContain('WARNING: endpoints tagged Environment=Ephemeral and ManagedBy=ephenv that do not identify a preview of this checkout');
    expect(details).toContain('  iris-classifier-pr-53: PR_Number tag "x5" is not a pull request number (1-999999)');
    for (const untouched of [previews.malformed, previews.misnamed, previews.foreign]) expect(await untouched.remaining()).toEqual(everything(untouched));
  });

  it('a closed PR in the list goes at once, and bad data does not stop it', async () => {
    const closed = await injectOrphan(moto.endpoint, { project: 'churn-model', pr: '56', expiresAt: hours(20) });
    const report = await reap({ workspaceRoot: workspace, settings, clients, now: NOW, closedPrs: ['56', '53'], destroyThroughState: noTerraform });
    expect(report.previews.map((p) => [p.project, p.pr, p.reason, p.result])).toEqual([['churn-model', '56', 'PR closed', 'deleted']]);
    expect(await closed.remaining()).toEqual([]);
    // "53" is the malformed endpoint's PR in its name only: a list of closed PRs does not make bad data reapable.
    expect(await previews.malformed.remaining()).toEqual(everything(previews.malformed));
  });
});

describe('ephenv reap when a deletion fails', () => {
  it('reports what is left and how to remove it, keeps the endpoint, and a later run finishes the job', async () => {
    const orphan = await injectOrphan(moto.endpoint, { project: 'churn-model', pr: '40', expiresAt: hours(-3) });
    // A Lambda API that cannot be reached: every lookup and delete of the function fails.
    const deadPort = await freePort('127.0.0.1');
    const broken: ReaperClients = { ...clients, lambda: new LambdaClient({ ...emulatorClientConfig(`http://127.0.0.1:${deadPort}`), maxAttempts: 1 }) };
    try {
      const report = await reap({ workspaceRoot: workspace, settings, clients: broken, now: NOW });
      const outcome = find(report, 'churn-model', '40')!;
      expect(outcome.result).toBe('failed');
      expect(reapFailed(report)).toBe(true);
      expect(outcome.errors.join('\n')).toContain(`reading the tags of Lambda function ${orphan.functionName} failed`);
      // Everything it could see is gone, except the endpoint, kept so the next run finds the preview again.
      expect(await orphan.remaining()).toEqual([`endpoint ${orphan.endpointName}`, `lambda ${orphan.functionName}`]);

      const details = reapDetails(report, 'us-east-1').join('\n');
      expect(details).toContain(`left alone: SageMaker endpoint ${orphan.endpointName} (kept until everything else of the preview is gone, so that the next ephenv reap retries it)`);
      expect(details).toContain('what is left of it: aws resourcegroupstaggingapi get-resources --region us-east-1 --tag-filters Key=Project,Values=churn-model Key=PR_Number,Values=40');
      expect(reapSummary(report)).toContain('FAILED for churn-model PR 40');
      expect(JSON.stringify(report)).not.toMatch(/secretAccessKey|"test"/);
    } finally {
      broken.lambda.destroy();
    }

    const retry = await reap({ workspaceRoot: workspace, settings, clients, now: NOW });
    expect(find(retry, 'churn-model', '40')!.result).toBe('deleted');
    expect(await orphan.remaining()).toEqual([]);
  });

  it('names the AWS CLI command that removes a resource whose delete failed', async () => {
    const orphan = await injectOrphan(moto.endpoint, { project: 'churn-model', pr: '41', expiresAt: hours(-3) });
    // Reads go to moto, deletes of functions to nowhere: the function is found but cannot be deleted.
    const deadPort = await freePort('127.0.0.1');
    const dead = new LambdaClient({ ...emulatorClientConfig(`http://127.0.0.1:${deadPort}`), maxAttempts: 1 });
    const lambda = Object.create(clients.lambda) as LambdaClient;
    lambda.send = ((command: { constructor: { name: string } }) =>
      command.constructor.name === 'DeleteFunctionCommand' ? dead.send(command as never) : clients.lambda.send(command as never)) as LambdaClient['send'];
    try {
      const report = await reap({ workspaceRoot: workspace, settings, clients: { ...clients, lambda }, now: NOW });
      const outcome = find(report, 'churn-model', '41')!;
      expect(outcome.result).toBe('failed');
      const details = reapDetails(report, 'us-east-1').join('\n');
      expect(details).toContain(`LEFT BEHIND: Lambda function ${orphan.functionName}:`);
      expect(details).toContain(`remove it by hand: aws lambda delete-function --region us-east-1 --function-name ${orphan.functionName}`);
      expect(await orphan.remaining()).toEqual([`endpoint ${orphan.endpointName}`, `lambda ${orphan.functionName}`]);
    } finally {
      dead.destroy();
    }
    await reap({ workspaceRoot: workspace, settings, clients, now: NOW });
    expect(await orphan.remaining()).toEqual([]);
  });

  it('leaves a preview alone while another run holds its Terraform state lock', async () => {
    const orphan = await injectOrphan(moto.endpoint, { project: 'iris-classifier', pr: '42', expiresAt: hours(-3) });
    await putState({ project: 'iris-classifier', pr: '42' });
    const locked = async () => {
      throw new StateLockedError('the state of iris-classifier PR 42 is locked by another run');
    };
    const report = await reap({ workspaceRoot: workspace, settings, clients, now: NOW, destroyThroughState: locked });
    const outcome = find(report, 'iris-classifier', '42')!;
    expect(outcome.result).toBe('failed');
    expect(outcome.errors).toEqual([
      `the Terraform state s3://${BUCKET}/previews/iris-classifier/pr-42.tfstate is locked by another run (a deploy or destroy of this PR): left alone, the next ephenv reap retries it`,
    ]);
    expect(await orphan.remaining()).toEqual(everything(orphan));
  });
});

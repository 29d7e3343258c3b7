import { join } from 'node:path';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { logsDir, modelArtifactDir, previewName, readRecord, removeRecord, writeRecord, type ModelConfig, type PreviewAccess, type PreviewCostInputs, type PreviewRecord } from '@ephenv/core';
import type { DestroyResult, LogsOptions, PrDestroyOutcome, PreviewProvider, PreviewTarget } from '../provider';
import { awsPreviewLogs } from './aws-logs';
import { destroyPr } from './destroy-pr';
import { recordLogGroups } from './preview-logs';
import { removePreviewOutput, writePreviewOutput } from '../preview-output';
import { buildGatewayZip } from './build-gateway-zip';
import { clientConfig } from './clients';
import { destroyStack } from './destroy-stack';
import { DockerCli, type Docker } from './docker';
import { resolveModelImage, type ModelImage } from './model-image';
import { Phases, whenAllDone } from './phases';
import { pingPreview } from './ping-preview';
import { requireBackend, requireCredentials, requireTerraform } from './preflight';
import { previewToken, tokenParameterName } from './preview-token';
import { awsSettings, DEFAULT_REGION } from './settings';
import { modelStackRoot } from './stack-root';
import { stackVariables } from './stack-variables';
import { stateKey } from './state-keys';
import { applyStack, DEFAULT_LOCK_TIMEOUT, endpointChange, initStack, readStackOutputs, stackRun, type StackRef } from './terraform-stack';
import { EndpointFailedError, failedEndpointReason, waitForEndpoint, type EndpointDescriber } from './wait-for-endpoint';
import { TerraformError } from './run-terraform';

export interface AwsProviderOptions {
  /** A model image built elsewhere (ECR URI): no Docker build, no push. */
  imageUri?: string;
  /** How long Terraform waits for another run's state lock, as Terraform writes durations (default 5m). */
  lockTimeout?: string;
  /** How long to wait for the SageMaker endpoint to be InService, in seconds (default 1800). */
  endpointTimeoutSeconds?: number;
  /** How long /ping through the API may take to answer 200, in seconds (default 120). */
  pingTimeoutSeconds?: number;
  docker?: Docker;
  sagemaker?: EndpointDescriber;
  /** Between DescribeEndpoint calls, in milliseconds (default 10 s). */
  endpointPollMs?: number;
}

const GIT_SHA = /^[0-9a-f]{7,40}$/;

/**
 * Previews on AWS: the model image in ECR, the gateway Lambda zip, and the preview-stack applied
 * by Terraform with the S3 backend on `previews/<project>/pr-<n>.tfstate`.
 */
export class AwsProvider implements PreviewProvider {
  readonly name = 'aws' as const;

  constructor(
    private readonly report: (line: string) => void = (line) => console.log(line),
    private readonly options: AwsProviderOptions = {},
  ) {}

  async deploy(target: PreviewTarget): Promise<PreviewRecord> {
    const { workspaceRoot, project, config, policy, pr, gitSha } = target;
    if (!GIT_SHA.test(gitSha)) {
      throw new Error(`aws previews are tagged with their commit, but this is not a git checkout (git SHA "${gitSha}"): run inside the repository, or set GITHUB_SHA`);
    }
    const settings = awsSettings(workspaceRoot, config);
    const stack: StackRef = { workspaceRoot, project, pr, rootDir: modelStackRoot(workspaceRoot, project, config.projectRoot), settings };
    const phases = new Phases(`${project} PR ${pr}`, this.report);
    const started = performance.now();
    const emulator = settings.endpoint !== undefined;

    await phases.run(
      'checks',
      () => Promise.all([requireTerraform(), requireCredentials(settings), requireBackend(settings)]),
      ([version, account]) => `terraform ${version}, account ${account}${emulator ? ` (emulator ${settings.endpoint})` : ''}, state ${settings.stateBucket}/${stateKey(project, pr)}`,
    );
    // Independent of each other: the image (found by its content, or built), the Lambda zip, init and the token.
    const [image, zip, , { token }] = await whenAllDone([
      phases.run(
        'image',
        () =>
          resolveModelImage({
            project,
            projectDir: config.projectDir,
            modelDir: modelArtifactDir(workspaceRoot, config.projectRoot),
            gitSha,
            tag: process.env.EPHENV_IMAGE_TAG,
            settings,
            imageUri: this.options.imageUri,
            docker: this.options.docker ?? new DockerCli(),
            log: join(logsDir(workspaceRoot, project), `image-pr-${pr}.log`),
          }),
        (i) => `${i.uri} (${imageNote(i)})`,
      ),
      phases.run('bundle', () => buildGatewayZip(workspaceRoot, project, config), (z) => `${z.path} (${z.bytes} bytes${z.changed ? '' : ', unchanged'})`),
      phases.run('init', () => initStack(stack, stackRun(stack)), (how) => (how === 'up to date' ? 'already initialised' : '')),
      previewToken(settings, project, pr),
    ]);

    const run = stackRun(stack, token);
    const vars = stackVariables({ project, pr, gitSha, imageUri: image.uri, gatewayZip: zip.path, region: settings.region, config, policy });
    const sagemaker = this.options.sagemaker ?? new SageMakerClient(clientConfig(settings));
    const { outputs, endpoint } = await phases.run(
      'apply',
      async () => {
        let output: string;
        try {
          output = await applyStack(stack, run, vars, this.options.lockTimeout ?? DEFAULT_LOCK_TIMEOUT);
        } catch (e) {
          const endpoint = e instanceof TerraformError ? await failedEndpointReason(sagemaker, previewName(project, pr)) : undefined;
          throw endpoint ? new Error(`${endpoint.message}\n${(e as Error).message}`) : e;
        }
        return { outputs: await readStackOutputs(stack, run), endpoint: endpointChange(output) };
      },
      (a) => `endpoint ${a.endpoint}; log ${run.log}`,
    );

    const endpointName = String(outputs.endpoint_name);
    await phases.run('wait', () =>
      waitForEndpoint({
        endpointName,
        sagemaker,
        timeoutMs: (this.options.endpointTimeoutSeconds ?? 1800) * 1000,
        pollMs: this.options.endpointPollMs,
        onStatus: (status) => this.report(`ephenv: ${project} PR ${pr}: endpoint ${endpointName} ${status}`),
      }).catch((e: unknown) => {
        throw e instanceof EndpointFailedError ? new Error(`${e.message} Destroy the preview with "nx run ${project}:destroy-preview --provider aws --pr ${pr}".`) : e;
      }),
    );
    const apiUrl = String(outputs.api_url);
    await phases.run(
      'ping',
      () => pingPreview({ apiUrl, token, timeoutMs: (this.options.pingTimeoutSeconds ?? 120) * 1000, emulator }),
      (p) => (p.ok ? 'GET /ping 200' : `ping skipped: ${p.reason}`),
    );

    const record: PreviewRecord = {
      project,
      provider: 'aws',
      url: apiUrl.replace(/\/+$/, ''),
      token,
      pr,
      gitSha,
      startedAt: new Date().toISOString(),
      aws: {
        region: settings.region,
        state_bucket: settings.stateBucket,
        state_key: stateKey(project, pr),
        image_uri: image.uri,
        endpoint_type: config.endpoint.type,
        ...(config.endpoint.type === 'realtime'
          ? { instance_type: config.endpoint.instanceType, instance_count: config.endpoint.instanceCount }
          : { memory_size_mb: config.endpoint.memorySizeMb, max_concurrency: config.endpoint.maxConcurrency }),
        ...outputs,
        timings_ms: phases.timings,
      },
      deployment: { totalMs: Math.round(performance.now() - started), phasesMs: phases.timings, image: image.source, endpoint },
    };
    writeRecord(workspaceRoot, record);
    writePreviewOutput(workspaceRoot, record, config, this);
    return record;
  }

  async destroy(target: Omit<PreviewTarget, 'config' | 'policy'>): Promise<DestroyResult> {
    const { workspaceRoot, project, projectRoot, pr } = target;
    const result = await destroyStack(workspaceRoot, { project, pr }, { projectRoot, lockTimeout: this.options.lockTimeout, report: this.report });
    // The record and preview.json describe one preview of the project: only this PR's are removed.
    const record = readRecord(workspaceRoot, project);
    if (record?.provider === 'aws' && record.pr === pr) {
      removeRecord(workspaceRoot, project);
      removePreviewOutput(workspaceRoot, project);
    }
    return result;
  }

  /** A public HTTPS URL; the token in SSM; logs in CloudWatch; the reaper removes it after its TTL. */
  access(record: PreviewRecord): PreviewAccess {
    const { project, pr } = record;
    const region = record.aws?.region ?? DEFAULT_REGION;
    const parameter = record.aws?.token_parameter_name ?? tokenParameterName(project, pr);
    return {
      public: true,
      token: { kind: 'SSM SecureString', name: parameter, command: `aws ssm get-parameter --name ${parameter} --with-decryption --query Parameter.Value --output text --region ${region}` },
      logs: { command: `npx nx run ${project}:logs --provider aws`, cloudWatch: { region, groups: recordLogGroups(record) } },
      destroyCommand: `npx nx run ${project}:destroy-preview --provider aws --pr ${pr}`,
      reaped: true,
    };
  }

  /** What SageMaker bills by, as deployed: the endpoint's type and size, in the record's region. */
  costInputs(record: PreviewRecord, config: ModelConfig): PreviewCostInputs {
    const endpoint = config.endpoint;
    return {
      region: record.aws?.region ?? DEFAULT_REGION,
      endpointType: endpoint.type,
      ...(endpoint.type === 'realtime' ? { instanceType: endpoint.instanceType, instanceCount: endpoint.instanceCount } : { memorySizeMb: endpoint.memorySizeMb }),
    };
  }

  /** What Terraform created stays until destroyed or reaped: a record never goes stale by itself. */
  isGone(): boolean {
    return false;
  }

  logs(workspaceRoot: string, project: string, options: LogsOptions): Promise<string> {
    return awsPreviewLogs(workspaceRoot, project, options);
  }

  destroyPr(workspaceRoot: string, pr: string, options: { lockTimeout?: string } = {}): Promise<PrDestroyOutcome[]> {
    return destroyPr(workspaceRoot, pr, { lockTimeout: options.lockTimeout ?? this.options.lockTimeout, report: this.report });
  }
}

function imageNote(image: ModelImage): string {
  const tagged = image.tagged?.length ? `, tagged ${image.tagged.join(', ')}` : '';
  return `${{ given: '--imageUri', exists: 'already in ECR, nothing built or pushed', built: 'built and pushed' }[image.source]}${tagged}`;
}

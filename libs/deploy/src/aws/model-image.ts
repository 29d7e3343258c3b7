import { appendFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DescribeImagesCommand, DescribeRepositoriesCommand, ECRClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import { clientConfig } from './clients';
import { dockerBuildArgs, dockerLogin, requireDocker, type Docker } from './docker';
import type { AwsSettings } from './settings';

export interface ImageRequest {
  project: string;
  projectDir: string;
  modelDir: string;
  gitSha: string;
  /** The image tag; default the git SHA. For pipelines that publish images under their own tags (EPHENV_IMAGE_TAG). */
  tag?: string;
  settings: AwsSettings;
  /** An image built elsewhere: used as is, nothing is built. */
  imageUri?: string;
  docker: Docker;
  /** Docker's build output goes here. */
  log: string;
  ecr?: ECRClient;
}

export interface ModelImage {
  uri: string;
  /** What happened: given, already in ECR, or built and pushed. */
  source: 'given' | 'exists' | 'built';
}

/**
 * The model server's image for this commit: `--imageUri` when given; else `<repository>:<git sha>`
 * in the model's ECR repository (bootstrap creates one per model, named after it), built with
 * buildx and pushed unless that tag is already there.
 */
export async function resolveModelImage(request: ImageRequest): Promise<ModelImage> {
  if (request.imageUri) return { uri: request.imageUri, source: 'given' };
  const { project } = request;
  const tag = request.tag || request.gitSha;
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(tag)) throw new Error(`"${tag}" is not a valid image tag (EPHENV_IMAGE_TAG): letters, digits, _ . - and at most 128 characters`);
  const ecr = request.ecr ?? new ECRClient(clientConfig(request.settings));
  const repositoryUri = await repositoryUriOf(ecr, project);
  const uri = `${repositoryUri}:${tag}`;
  if (await imageTagExists(ecr, project, tag)) return { uri, source: 'exists' };

  if (!existsSync(request.modelDir)) {
    throw new Error(`${project} has no trained model in ${request.modelDir}: run "npx nx run ${project}:train" before building its image`);
  }
  await requireDocker(request.docker, project);
  const auth = (await ecr.send(new GetAuthorizationTokenCommand({}))).authorizationData?.[0];
  if (!auth?.authorizationToken) throw new Error('ECR GetAuthorizationToken returned no token: check that the credentials may call ecr:GetAuthorizationToken');
  const [username, password] = Buffer.from(auth.authorizationToken, 'base64').toString('utf8').split(':');
  await dockerLogin(request.docker, repositoryUri.split('/')[0], username, password);

  mkdirSync(dirname(request.log), { recursive: true });
  const build = await request.docker.run(dockerBuildArgs({ projectDir: request.projectDir, modelDir: request.modelDir, image: uri }), {
    log: (chunk) => appendFileSync(request.log, chunk),
  });
  if (build.code !== 0) {
    const lines = build.output.trimEnd().split('\n').slice(-30).join('\n');
    throw new Error(`building and pushing ${uri} failed (docker exit ${build.code}); full log: ${request.log}\n--- last lines ---\n${lines}`);
  }
  return { uri, source: 'built' };
}

async function repositoryUriOf(ecr: ECRClient, repository: string): Promise<string> {
  try {
    const found = await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [repository] }));
    const uri = found.repositories?.[0]?.repositoryUri;
    if (uri) return uri;
  } catch (e) {
    if ((e as Error).name !== 'RepositoryNotFoundException') throw e;
  }
  throw new Error(
    `there is no ECR repository "${repository}": add "${repository}" to model_names of libs/infra/bootstrap and apply it, ` +
      `or pass --imageUri with an image built elsewhere`,
  );
}

/** Whether `<repository>:<tag>` is already in ECR (DescribeImages), so the build and push can be skipped. */
export async function imageTagExists(ecr: ECRClient, repository: string, tag: string): Promise<boolean> {
  try {
    const found = await ecr.send(new DescribeImagesCommand({ repositoryName: repository, imageIds: [{ imageTag: tag }] }));
    return (found.imageDetails ?? []).length > 0;
  } catch (e) {
    if ((e as Error).name === 'ImageNotFoundException') return false;
    throw e;
  }
}

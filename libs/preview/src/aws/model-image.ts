import { appendFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { BatchGetImageCommand, DescribeImagesCommand, DescribeRepositoriesCommand, ECRClient, GetAuthorizationTokenCommand, PutImageCommand } from '@aws-sdk/client-ecr';
import { modelContent } from '../model-content';
import { clientConfig } from './clients';
import { dockerBuildArgs, dockerLogin, requireDocker, type Docker } from './docker';
import type { AwsSettings } from './settings';

export interface ImageRequest {
  project: string;
  projectDir: string;
  modelDir: string;
  gitSha: string;
  /**
   * A tag the pipeline publishes its images under (EPHENV_IMAGE_TAG): then `<repository>:<tag>` is
   * the image, as given. Without it the image is named by its content.
   */
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
  /** What SageMaker runs: `<repository>:content-<hash>` unless a tag or URI was given. */
  uri: string;
  /** What happened: given, already in ECR (nothing built or pushed), or built and pushed. */
  source: 'given' | 'exists' | 'built';
  /** The content tag (absent for a given URI or tag). */
  contentTag?: string;
  /** The other tags the image got in this deploy (the git SHA when it was new). */
  tagged?: string[];
}

const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/**
 * The model server's image: `--imageUri` when given; else the image named by a hash of what goes
 * into it (model-content.ts) in the model's ECR repository (bootstrap creates one per model, named
 * after it), also tagged with the git SHA for traceability. When that content is already in ECR
 * nothing is built or pushed: the SHA tag is added to it (when new: tags may be immutable).
 */
export async function resolveModelImage(request: ImageRequest): Promise<ModelImage> {
  if (request.imageUri) return { uri: request.imageUri, source: 'given' };
  const { project } = request;
  if (request.tag !== undefined && request.tag !== '' && !TAG.test(request.tag)) {
    throw new Error(`"${request.tag}" is not a valid image tag (EPHENV_IMAGE_TAG): letters, digits, _ . - and at most 128 characters`);
  }
  const ecr = request.ecr ?? new ECRClient(clientConfig(request.settings));
  const repositoryUri = await repositoryUriOf(ecr, project);
  if (request.tag) {
    const uri = `${repositoryUri}:${request.tag}`;
    if (await imageTagExists(ecr, project, request.tag)) return { uri, source: 'exists' };
  }
  // Needed to name the image by its content, and to build it.
  if (!existsSync(request.modelDir)) {
    throw new Error(`${project} has no trained model in ${request.modelDir}: run "npx nx run ${project}:train" before building its image`);
  }
  if (request.tag) return buildAndPush(request, ecr, repositoryUri, [request.tag]);

  const contentTag = modelContent(request.projectDir, request.modelDir).tag;
  const uri = `${repositoryUri}:${contentTag}`;
  if (await imageTagExists(ecr, project, contentTag)) {
    const tagged = (await addTag(ecr, project, contentTag, request.gitSha)) ? [request.gitSha] : [];
    return { uri, source: 'exists', contentTag, tagged };
  }
  return { ...(await buildAndPush(request, ecr, repositoryUri, [contentTag, request.gitSha])), contentTag, tagged: [request.gitSha] };
}

async function buildAndPush(request: ImageRequest, ecr: ECRClient, repositoryUri: string, tags: string[]): Promise<ModelImage> {
  const uri = `${repositoryUri}:${tags[0]}`;
  await requireDocker(request.docker, request.project, uri);
  const auth = (await ecr.send(new GetAuthorizationTokenCommand({}))).authorizationData?.[0];
  if (!auth?.authorizationToken) throw new Error('ECR GetAuthorizationToken returned no token: check that the credentials may call ecr:GetAuthorizationToken');
  const [username, password] = Buffer.from(auth.authorizationToken, 'base64').toString('utf8').split(':');
  await dockerLogin(request.docker, repositoryUri.split('/')[0], username, password);

  mkdirSync(dirname(request.log), { recursive: true });
  const images = tags.map((tag) => `${repositoryUri}:${tag}`);
  const build = await request.docker.run(dockerBuildArgs({ projectDir: request.projectDir, modelDir: request.modelDir, images }), {
    log: (chunk) => appendFileSync(request.log, chunk),
  });
  if (build.code !== 0) {
    const lines = build.output.trimEnd().split('\n').slice(-30).join('\n');
    throw new Error(`building and pushing ${uri} failed (docker exit ${build.code}); full log: ${request.log}\n--- last lines ---\n${lines}`);
  }
  return { uri, source: 'built' };
}

/**
 * Gives the image under `existing` the tag `added` too, by putting its manifest again under the
 * new tag (ECR's way to retag without pulling). Never re-points a tag that exists: with immutable
 * tags that is refused, and a SHA tag already there names this commit's image anyway.
 */
export async function addTag(ecr: ECRClient, repository: string, existing: string, added: string): Promise<boolean> {
  if (await imageTagExists(ecr, repository, added)) return false;
  const found = await ecr.send(new BatchGetImageCommand({ repositoryName: repository, imageIds: [{ imageTag: existing }] }));
  const image = found.images?.[0];
  if (!image?.imageManifest) throw new Error(`ECR BatchGetImage returned no manifest for ${repository}:${existing}: check that the credentials may call ecr:BatchGetImage`);
  try {
    await ecr.send(
      new PutImageCommand({ repositoryName: repository, imageManifest: image.imageManifest, imageManifestMediaType: image.imageManifestMediaType, imageTag: added }),
    );
  } catch (e) {
    // A concurrent deploy of the same commit tagged it first.
    if ((e as Error).name === 'ImageAlreadyExistsException' || (e as Error).name === 'ImageTagAlreadyExistsException') return false;
    throw e;
  }
  return true;
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

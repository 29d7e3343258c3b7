import { spawn } from 'node:child_process';

export interface DockerResult {
  code: number | null;
  output: string;
}

/** How ephenv talks to Docker: the `docker` CLI, run with an argv array and an optional stdin. */
export interface Docker {
  run(args: string[], options?: { input?: string; log?: (chunk: string) => void }): Promise<DockerResult>;
}

export class DockerCli implements Docker {
  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  run(args: string[], options: { input?: string; log?: (chunk: string) => void } = {}): Promise<DockerResult> {
    return new Promise((resolve, reject) => {
      const child = spawn('docker', args, { env: this.env, stdio: ['pipe', 'pipe', 'pipe'] });
      let output = '';
      const collect = (chunk: Buffer) => {
        const text = chunk.toString('utf8');
        output += text;
        options.log?.(text);
      };
      child.stdout.on('data', collect);
      child.stderr.on('data', collect);
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, output }));
      child.stdin.end(options.input ?? '');
    });
  }
}

/** The ways out when the image is missing and cannot be built here. */
export const dockerHint = (image: string) =>
  `${image} is not in ECR: build and push it there elsewhere (same Dockerfile, trained model and tag), pass --imageUri <ECR image of this commit>, or run where Docker with buildx works`;

/** Fails with the reason, the image looked for, and the way out when this machine cannot build and push images. */
export async function requireDocker(docker: Docker, project: string, image: string): Promise<void> {
  let server: DockerResult;
  try {
    server = await docker.run(['version', '--format', '{{.Server.Version}}']);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`the image of ${project} needs Docker, which is not installed here: ${dockerHint(image)}`);
    throw e;
  }
  if (server.code !== 0) {
    throw new Error(`the image of ${project} needs Docker, which is not usable here (${firstLine(server.output)}): ${dockerHint(image)}`);
  }
  const buildx = await docker.run(['buildx', 'version']);
  if (buildx.code !== 0) throw new Error(`the image of ${project} needs docker buildx, which is not available (${firstLine(buildx.output)}): ${dockerHint(image)}`);
}

const firstLine = (text: string) => text.trim().split('\n').find(Boolean)?.trim() ?? 'no output';

export interface BuildArgsInput {
  /** The model project folder: the Dockerfile and the build context. */
  projectDir: string;
  /** The trained model (dist/<projectRoot>/model), given to the Dockerfile as the named context `model`. */
  modelDir: string;
  /** `<registry>/<repository>:<tag>`, one per tag: the content tag and the git SHA. */
  images: string[];
}

/** `docker buildx build` for SageMaker (linux/amd64), pushed straight to ECR under every tag. */
export function dockerBuildArgs(input: BuildArgsInput): string[] {
  return ['buildx', 'build', '--platform', 'linux/amd64', '--build-context', `model=${input.modelDir}`, ...input.images.flatMap((i) => ['-t', i]), '--push', input.projectDir];
}

/** `docker login` to ECR; the password goes through stdin, never argv where other users could read it. */
export async function dockerLogin(docker: Docker, registry: string, username: string, password: string): Promise<void> {
  const result = await docker.run(['login', '--username', username, '--password-stdin', registry], { input: password });
  if (result.code !== 0) throw new Error(`docker login to ${registry} failed: ${firstLine(result.output)}`);
}

import { Copy, DockerfileParser, type Instruction } from 'dockerfile-ast';
import type { TemplateFile } from './run-yeoman-template';

/** The serving code: what the container runs from src/ (src/serve and the Python it imports). */
const SERVING_CODE = /^src\/(serve|.+\.py)$/;

/** An ENTRYPOINT/CMD as argv: the exec form's JSON strings, else the shell form's words. */
function argv(instruction: Instruction): string[] {
  const json = 'getJSONStrings' in instruction ? (instruction as unknown as { getJSONStrings(): { getJSONValue(): string }[] }).getJSONStrings() : [];
  return json.length > 0 ? json.map((a) => a.getJSONValue()) : instruction.getArguments().map((a) => a.getValue());
}

const runsServe = (words: string[] | undefined) => words?.[0]?.split('/').pop() === 'serve';

function dockerfileProblems(text: string): string[] {
  const dockerfile = DockerfileParser.parse(text);
  const problems: string[] = [];
  // The container runs the last stage of a multi-stage build: only its instructions count.
  const all = dockerfile.getInstructions();
  const lastFrom = all.map((i) => i.getKeyword()).lastIndexOf('FROM');
  const instructions = all.slice(lastFrom + 1);
  const last = (keyword: string) => instructions.filter((i) => i.getKeyword() === keyword).pop();
  // SageMaker starts the container as `docker run <image> serve`: the entrypoint must be `serve`,
  // or, without an ENTRYPOINT, `serve` must be the command it runs.
  const entrypoint = last('ENTRYPOINT');
  const cmd = last('CMD');
  if (entrypoint && !runsServe(argv(entrypoint))) {
    problems.push(`Dockerfile: ENTRYPOINT runs ${JSON.stringify(argv(entrypoint))}, not serve: SageMaker starts the container as \`docker run <image> serve\`; use ENTRYPOINT ["serve"]`);
  } else if (!entrypoint && !(cmd && runsServe(argv(cmd)))) {
    problems.push('Dockerfile: no ENTRYPOINT ["serve"]: SageMaker starts the container as `docker run <image> serve`');
  }
  const exposed = instructions.filter((i) => i.getKeyword() === 'EXPOSE').flatMap((i) => i.getArguments().map((a) => a.getValue().split('/')[0]));
  if (!exposed.includes('8080')) problems.push(`Dockerfile: no EXPOSE 8080${exposed.length > 0 ? ` (exposes ${exposed.join(', ')})` : ''}: SageMaker sends /ping and /invocations to port 8080`);
  // The aws provider builds with `--build-context model=dist/<root>/model`: an image is one model version.
  const bakesModel = instructions.some((i) => i instanceof Copy && i.getFromFlag()?.getValue() === 'model');
  if (!bakesModel) problems.push('Dockerfile: no COPY --from=model . /opt/ml/model/: the preview builds the image with the trained model as the build context `model`');
  return problems;
}

function servingCodeProblems(files: TemplateFile[]): string[] {
  const problems: string[] = [];
  if (!files.some((f) => f.path === 'src/serve')) {
    problems.push('src/serve: missing: the `serve` entrypoint SageMaker runs and the local preview starts (python src/serve serve)');
  }
  const code = files.filter((f) => SERVING_CODE.test(f.path)).map((f) => f.content.toString('utf8')).join('\n');
  const servingCode = 'the serving code (src/serve, src/**/*.py)';
  if (!/["'`]\/ping["'`]/.test(code)) problems.push(`GET /ping: no such route in ${servingCode}: SageMaker and the preview's health check call it`);
  if (!/["'`]\/invocations["'`]/.test(code)) problems.push(`POST /invocations: no such route in ${servingCode}: every prediction goes there`);
  if (!/SAGEMAKER_BIND_TO_PORT|\b8080\b/.test(code)) problems.push(`port 8080: ${servingCode} neither reads SAGEMAKER_BIND_TO_PORT nor uses 8080`);
  if (!code.includes('EPHENV_MODEL_DIR')) problems.push(`EPHENV_MODEL_DIR: ${servingCode} does not read it: the local preview passes the trained model's folder there (SageMaker's is /opt/ml/model)`);
  return problems;
}

/** What the Yeoman output lacks that SageMaker and ephenv's preview need; empty when it can deploy. */
export function containerProblems(files: TemplateFile[]): string[] {
  const dockerfile = files.find((f) => f.path === 'Dockerfile');
  return [
    ...(dockerfile ? dockerfileProblems(dockerfile.content.toString('utf8')) : ['Dockerfile: missing: the container image SageMaker runs']),
    ...servingCodeProblems(files),
  ];
}

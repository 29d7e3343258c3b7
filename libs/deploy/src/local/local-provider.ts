import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ensureVenv,
  isOurProcess,
  logsDir,
  modelArtifactDir,
  readRecord,
  removeRecord,
  startDetached,
  stateDir,
  stopProcess,
  writeRecord,
  type PreviewRecord,
  type ProcessRecord,
} from '@ephenv/core';
import type { DestroyResult, PreviewProvider, PreviewTarget } from '../provider';
import { writePreviewOutput, removePreviewOutput } from '../preview-output';
import { gatewayBundle } from './gateway-bundle';
import { PreviewStartError, startOnFreePort } from './start-on-free-port';
import { waitForPing } from './wait-for-ping';

const HOST = '127.0.0.1';
const pingTimeoutMs = () => Number(process.env.EPHENV_PING_TIMEOUT_SECONDS ?? 60) * 1000;

const gatewayConfigDir = (workspaceRoot: string) => join(stateDir(workspaceRoot), 'gateways');
const gatewayConfigPath = (workspaceRoot: string, project: string) => join(gatewayConfigDir(workspaceRoot), `${project}.json`);

/**
 * The embedded default: the model server and the gateway as local processes on loopback.
 * The model server runs exactly as the container's `serve` entrypoint does.
 */
export class LocalProvider implements PreviewProvider {
  readonly name = 'local' as const;

  constructor(private readonly report: (line: string) => void = (line) => console.log(line)) {}

  async deploy(target: PreviewTarget): Promise<PreviewRecord> {
    const { workspaceRoot, project, projectRoot, config } = target;
    const modelDir = modelArtifactDir(workspaceRoot, projectRoot);
    if (!existsSync(modelDir)) {
      throw new PreviewStartError(`${project} has no trained model in ${modelDir}: run "npx nx run ${project}:train" (deploy-preview depends on it)`);
    }
    if (readRecord(workspaceRoot, project)) {
      const replaced = await this.destroy(target);
      this.report(`ephenv: replacing the existing preview of ${project} (${replaced.message})`);
    }

    const venv = await ensureVenv(workspaceRoot, config.projectDir);
    const logs = logsDir(workspaceRoot, project);
    mkdirSync(logs, { recursive: true });

    const model = await this.startModel(target, venv.python, modelDir, join(logs, 'model.log'));
    let gateway: ProcessRecord | undefined;
    try {
      const token = randomBytes(32).toString('base64url');
      gateway = await this.startGateway(target, model.port, token, join(logs, 'gateway.log'));
      const record: PreviewRecord = {
        project,
        provider: 'local',
        url: `http://${HOST}:${gateway.port}`,
        token,
        pr: target.pr,
        gitSha: target.gitSha,
        startedAt: new Date().toISOString(),
        processes: { model, gateway },
      };
      writeRecord(workspaceRoot, record);
      writePreviewOutput(workspaceRoot, record, config);
      return record;
    } catch (e) {
      await stopProcess(model.pid);
      if (gateway) await stopProcess(gateway.pid);
      rmSync(gatewayConfigPath(workspaceRoot, project), { force: true });
      throw e;
    }
  }

  private async startModel(target: PreviewTarget, python: string, modelDir: string, log: string): Promise<ProcessRecord> {
    const command = [python, join(target.config.projectDir, 'src', 'serve'), 'serve'];
    const env = (port: number) => ({
      ...process.env,
      SAGEMAKER_BIND_TO_PORT: String(port),
      EPHENV_BIND_HOST: HOST,
      EPHENV_MODEL_DIR: modelDir,
      PYTHONUNBUFFERED: '1',
      PYTHONDONTWRITEBYTECODE: '1',
    });
    const started = await startOnFreePort(`the model server of ${target.project}`, log, async (port) => {
      const proc = startDetached(command, { cwd: target.config.projectDir, env: env(port), log });
      return { proc, ready: await waitForPing({ url: `http://${HOST}:${port}/ping`, timeoutMs: pingTimeoutMs(), exited: proc.exited }) };
    });
    this.report(`ephenv: model server of ${target.project} healthy on ${HOST}:${started.port} after ${started.ms} ms`);
    return { pid: started.pid, command, port: started.port, log };
  }

  private async startGateway(target: PreviewTarget, modelPort: number, token: string, log: string): Promise<ProcessRecord> {
    const { workspaceRoot, project, config } = target;
    const configFile = gatewayConfigPath(workspaceRoot, project);
    mkdirSync(gatewayConfigDir(workspaceRoot), { recursive: true, mode: 0o700 });
    // The token reaches the gateway through a 0600 file, never argv or the environment.
    const writeGatewayConfig = (port: number) =>
      writeFileSync(
        configFile,
        JSON.stringify({
          host: HOST,
          port,
          token,
          modelName: project,
          modelUrl: `http://${HOST}:${modelPort}`,
          inputSchema: config.schemas.input,
          outputSchema: config.schemas.output,
          maxBodyBytes: config.maxBodyBytes,
          maxArrayItems: config.endpoint.maxBatchSize,
          timeoutMs: config.endpoint.timeoutSeconds * 1000,
        }),
        { mode: 0o600 },
      );
    const bundle = await gatewayBundle(workspaceRoot);
    const command = [process.execPath, bundle, configFile];
    const started = await startOnFreePort(`the gateway of ${project}`, log, async (port) => {
      writeGatewayConfig(port);
      const proc = startDetached(command, { cwd: workspaceRoot, env: gatewayEnv(), log });
      const ready = await waitForPing({ url: `http://${HOST}:${port}/ping`, headers: { authorization: `Bearer ${token}` }, timeoutMs: 15_000, exited: proc.exited });
      return { proc, ready };
    });
    return { pid: started.pid, command, port: started.port, log };
  }

  async destroy(target: Omit<PreviewTarget, 'config'>): Promise<DestroyResult> {
    const { workspaceRoot, project } = target;
    const record = readRecord(workspaceRoot, project);
    if (!record) return { destroyed: false, message: `no local preview of ${project} to destroy` };
    // Both processes are stopped at once: destroy takes the slower one's shutdown, not the sum.
    const stopped = await Promise.all(
      Object.entries(record.processes ?? {}).map(async ([role, proc]) =>
        // Only a process still running the recorded command is ours to stop; a recycled PID is not.
        isOurProcess(proc.pid, proc.command) ? `${role} (pid ${proc.pid}) ${await stopProcess(proc.pid)}` : `${role} (pid ${proc.pid}) already gone`,
      ),
    );
    removeRecord(workspaceRoot, project);
    rmSync(gatewayConfigPath(workspaceRoot, project), { force: true });
    removePreviewOutput(workspaceRoot, project);
    return { destroyed: true, message: stopped.join(', ') };
  }
}

/** The gateway needs no secrets from our environment: pass only what Node itself uses. */
function gatewayEnv(): NodeJS.ProcessEnv {
  const keep = ['PATH', 'HOME', 'TMPDIR', 'TZ', 'NODE_OPTIONS', 'LANG'];
  return Object.fromEntries(keep.filter((k) => process.env[k] !== undefined).map((k) => [k, process.env[k]]));
}

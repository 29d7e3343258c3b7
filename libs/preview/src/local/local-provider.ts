import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ensureVenv,
  isOurProcess,
  listRecords,
  logsDir,
  modelArtifactDir,
  readRecord,
  removeRecord,
  startDetached,
  stateDir,
  stopProcess,
  writeRecord,
  type PreviewAccess,
  type PreviewRecord,
  type ProcessRecord,
} from '@ephenv/core';
import type { DestroyResult, LogsOptions, PrDestroyOutcome, PreviewProvider, PreviewTarget } from '../provider';
import { localPreviewLogs } from './local-logs';
import { writePreviewOutput, removePreviewOutput } from '../preview-output';
import { modelContent } from '../model-content';
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
    const started = performance.now();
    const modelDir = modelArtifactDir(workspaceRoot, projectRoot);
    if (!existsSync(modelDir)) {
      throw new PreviewStartError(`${project} has no trained model in ${modelDir}: run "npx nx run ${project}:train" (deploy-preview depends on it)`);
    }
    const phasesMs: Record<string, number> = {};
    const timed = async <T>(phase: string, step: () => Promise<T>): Promise<T> => {
      const t = performance.now();
      const result = await step();
      phasesMs[phase] = Math.round(performance.now() - t);
      return result;
    };
    const venv = await timed('venv', () => ensureVenv(workspaceRoot, config.projectDir));
    // The image's content hash covers the server code, the requirements and the model: with the venv, all the model server runs from.
    const inputs = createHash('sha256').update(modelContent(config.projectDir, modelDir).hash).update(`\0${venv.python}`).digest('hex');
    const kept = await this.runningModel(workspaceRoot, project, inputs);
    if (readRecord(workspaceRoot, project)) {
      const replaced = await this.destroy(target, kept ? ['gateway'] : undefined);
      this.report(`ephenv: replacing the existing preview of ${project} (${replaced.message}${kept ? `; model server (pid ${kept.pid}) kept: its code, model and requirements did not change` : ''})`);
    }

    const logs = logsDir(workspaceRoot, project);
    mkdirSync(logs, { recursive: true });

    const model = kept ?? (await timed('model', () => this.startModel(target, venv.python, modelDir, join(logs, 'model.log'), inputs)));
    let gateway: ProcessRecord | undefined;
    try {
      const token = randomBytes(32).toString('base64url');
      gateway = await timed('gateway', () => this.startGateway(target, model.port, token, join(logs, 'gateway.log')));
      const record: PreviewRecord = {
        project,
        provider: 'local',
        url: `http://${HOST}:${gateway.port}`,
        token,
        pr: target.pr,
        gitSha: target.gitSha,
        startedAt: new Date().toISOString(),
        processes: { model, gateway },
        deployment: { totalMs: Math.round(performance.now() - started), phasesMs, modelServer: kept ? 'kept' : 'started' },
      };
      writeRecord(workspaceRoot, record);
      writePreviewOutput(workspaceRoot, record, config, this);
      return record;
    } catch (e) {
      await stopProcess(model.pid);
      if (gateway) await stopProcess(gateway.pid);
      rmSync(gatewayConfigPath(workspaceRoot, project), { force: true });
      throw e;
    }
  }

  /** The model server of the current preview, when it is still ours, healthy, and serves exactly `inputs`. */
  private async runningModel(workspaceRoot: string, project: string, inputs: string): Promise<ProcessRecord | undefined> {
    const model = readRecord(workspaceRoot, project)?.processes?.model;
    if (!model || model.inputs !== inputs || !isOurProcess(model.pid, model.command)) return undefined;
    const health = await waitForPing({ url: `http://${HOST}:${model.port}/ping`, timeoutMs: 2_000 });
    return health.ok ? model : undefined;
  }

  private async startModel(target: PreviewTarget, python: string, modelDir: string, log: string, inputs: string): Promise<ProcessRecord> {
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
    return { pid: started.pid, command, port: started.port, log, inputs };
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

  /** A loopback URL on this machine; the token in the 0600 record; logs in files; it runs until destroyed. */
  access(record: PreviewRecord): PreviewAccess {
    const { project } = record;
    return {
      public: false,
      token: { kind: 'preview record', name: `.ephenv/previews/${project}.json`, note: 'on the machine that deployed it, mode 0600', command: `npx ephenv token ${project}` },
      logs: {
        command: `npx nx run ${project}:logs`,
        ...(record.processes ? { files: Object.fromEntries(Object.entries(record.processes).map(([role, proc]) => [role, proc.log])) } : {}),
      },
      destroyCommand: `npx nx run ${project}:destroy-preview`,
      reaped: false,
    };
  }

  /** Processes on this machine (or the CI runner): no cloud bill. */
  costInputs(): undefined {
    return undefined;
  }

  /** Every recorded process has stopped (a zombie counts as stopped), or was replaced by another program. */
  isGone(record: PreviewRecord): boolean {
    const procs = Object.values(record.processes ?? {});
    return procs.length > 0 && procs.every((p) => !isOurProcess(p.pid, p.command));
  }

  async logs(workspaceRoot: string, project: string, options: LogsOptions): Promise<string> {
    return localPreviewLogs(workspaceRoot, project, options);
  }

  /** The recorded local previews of the PR: a local preview needs only its record to be destroyed. */
  async destroyPr(workspaceRoot: string, pr: string): Promise<PrDestroyOutcome[]> {
    const records = listRecords(workspaceRoot).filter((r) => r.provider === this.name && r.pr === pr);
    if (records.length === 0) this.report(`ephenv: no local previews of PR ${pr}`);
    const outcomes: PrDestroyOutcome[] = [];
    for (const record of records) {
      const result = await this.destroy({ workspaceRoot, project: record.project, projectRoot: '', pr, gitSha: record.gitSha });
      this.report(`ephenv: ${record.project} PR ${pr}: ${result.message}`);
      outcomes.push({ project: record.project, result });
    }
    return outcomes;
  }

  /** Stops the preview's processes (only those of `roles` when given: a re-deploy keeps an unchanged model server). */
  async destroy(target: Omit<PreviewTarget, 'config' | 'policy'>, roles?: ('model' | 'gateway')[]): Promise<DestroyResult> {
    const { workspaceRoot, project } = target;
    const record = readRecord(workspaceRoot, project);
    if (!record) return { destroyed: false, message: `no local preview of ${project} to destroy` };
    // Both processes are stopped at once: destroy takes the slower one's shutdown, not the sum.
    const stopped = await Promise.all(
      Object.entries(record.processes ?? {})
        .filter(([role]) => !roles || roles.includes(role as 'model' | 'gateway'))
        .map(async ([role, proc]) =>
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

import { ensureVenv, isAlive, loadModelConfig, logsDir, modelArtifactDir, startDetached, stopProcess, withPrefix, type Logger } from '@ephenv/core';
import { startOnFreePort, waitForPing } from '@ephenv/preview';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nxInstalled, trainBase, trainDirectly, type BaseTraining } from './train-base';

const HOST = '127.0.0.1';

/** The base ref's model, trained and served on loopback for the length of one evaluation. */
export interface LocalBaseline {
  url: string;
  pid: number;
  /** How the base's `train` target ran: from Nx's cache or trained, and how long it took. */
  training: BaseTraining;
  /** Stops the model server and removes the worktree; safe to call twice. */
  stop(): Promise<void>;
}

function git(cwd: string, args: string[]): string {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`git ${args.join(' ')} failed: ${(err.stderr || err.message).trim()}`);
  }
}

/**
 * Takes the base ref's tree with `git worktree add --detach` into a temporary folder (the working
 * copy is not touched), runs the base's `train` target through Nx there (cached by Nx), and starts the base's model server on a free loopback port, the way the local provider runs a
 * preview's. Whatever fails after the worktree exists, the server is stopped and the worktree removed.
 */
export async function startLocalBaseline(workspaceRoot: string, base: string, projectRoot: string, project: string, log: Logger): Promise<LocalBaseline> {
  const root = mkdtempSync(join(tmpdir(), 'ephenv-baseline-'));
  const tree = join(root, 'tree');
  let pid: number | undefined;
  let stopped = false;
  // The server runs in its own process group, so a Ctrl-C of ours does not reach it: stop it here.
  const onSignal = (signal: NodeJS.Signals) => {
    if (pid !== undefined) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    try {
      git(workspaceRoot, ['worktree', 'remove', '--force', tree]);
    } catch {
      // Pruned on the next run.
    }
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    if (pid !== undefined && isAlive(pid)) await stopProcess(pid);
    try {
      git(workspaceRoot, ['worktree', 'remove', '--force', tree]);
    } catch {
      // Not created, or already gone: prune forgets it either way.
    }
    rmSync(root, { recursive: true, force: true });
    try {
      git(workspaceRoot, ['worktree', 'prune']);
    } catch {
      // Nothing to prune.
    }
  };
  try {
    git(workspaceRoot, ['worktree', 'add', '--detach', '--quiet', tree, base]);
    const config = loadModelConfig(tree, projectRoot);
    const venv = await ensureVenv(workspaceRoot, config.projectDir);
    const modelDir = modelArtifactDir(tree, projectRoot);
    const trainLog = withPrefix(log, `ephenv: base model (${base}): `);
    const training = nxInstalled(workspaceRoot)
      ? await trainBase(workspaceRoot, tree, project, trainLog)
      : await trainDirectly(venv.python, config.projectDir, modelDir, trainLog);
    const logs = logsDir(workspaceRoot, project);
    mkdirSync(logs, { recursive: true });
    const logFile = join(logs, 'baseline-model.log');
    const command = [venv.python, join(config.projectDir, 'src', 'serve'), 'serve'];
    const started = await startOnFreePort(`the base (${base}) model server of ${project}`, logFile, async (port) => {
      const proc = startDetached(command, {
        cwd: config.projectDir,
        log: logFile,
        env: { ...process.env, SAGEMAKER_BIND_TO_PORT: String(port), EPHENV_BIND_HOST: HOST, EPHENV_MODEL_DIR: modelDir, PYTHONUNBUFFERED: '1', PYTHONDONTWRITEBYTECODE: '1' },
      });
      pid = proc.pid;
      return { proc, ready: await waitForPing({ url: `http://${HOST}:${port}/ping`, timeoutMs: 60_000, exited: proc.exited }) };
    });
    pid = started.pid;
    log.info(`ephenv: base model (${base}) serving on ${HOST}:${started.port} (pid ${started.pid})`);
    return { url: `http://${HOST}:${started.port}`, pid: started.pid, training, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

import { accessSync, constants, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, startDetached, stopProcess, tail } from '@ephenv/core';

export interface MotoOptions {
  /** Log of the server's output, kept after `stop()` (default: `<tmpdir>/ephenv-moto-<port>.log`, removed by `stop()`). */
  logFile?: string;
  /** How long to wait for the server to answer (default 30 s). */
  readyTimeoutMs?: number;
  /** Environment to look up `moto_server` on PATH and run it with (default: this process's). */
  env?: NodeJS.ProcessEnv;
}

export interface MotoServer {
  /** Base URL to use as AWS_ENDPOINT_URL, e.g. `http://127.0.0.1:41234`. */
  endpoint: string;
  port: number;
  pid: number;
  logFile: string;
  /** Stops the server's process group: SIGTERM, then SIGKILL after a grace period. */
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';
const COMMAND = 'moto_server';
/** A port handed out by freePort can be taken by someone else before moto binds it. */
const PORT_ATTEMPTS = 3;

function onPath(command: string, env: NodeJS.ProcessEnv): boolean {
  return (env.PATH ?? '').split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** True once moto's management API answers on `endpoint`. */
async function answers(endpoint: string): Promise<boolean> {
  try {
    const response = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(1000) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}

/**
 * Starts moto's server (a local AWS emulator) on a free loopback port and waits until it answers.
 * The caller must call `stop()` (in `afterAll` or `finally`).
 */
export async function startMoto(options: MotoOptions = {}): Promise<MotoServer> {
  const env = options.env ?? process.env;
  if (!onPath(COMMAND, env)) {
    throw new Error(`${COMMAND} is not on PATH: install moto's server with \`pip install 'moto[server]'\` and retry.`);
  }
  const readyTimeoutMs = options.readyTimeoutMs ?? 30_000;

  for (let attempt = 1; ; attempt++) {
    const port = await freePort(HOST);
    const endpoint = `http://${HOST}:${port}`;
    const logFile = options.logFile ?? join(tmpdir(), `ephenv-moto-${port}.log`);
    const { pid, exited } = startDetached([COMMAND, '-H', HOST, '-p', String(port)], { cwd: tmpdir(), env, log: logFile });
    const stop = async () => {
      await stopProcess(pid);
      if (!options.logFile) rmSync(logFile, { force: true });
    };

    let exitCode: number | null | undefined;
    void exited.then((code) => (exitCode = code));
    const deadline = Date.now() + readyTimeoutMs;
    while (exitCode === undefined && Date.now() < deadline) {
      if (await answers(endpoint)) return { endpoint, port, pid, logFile, stop };
      await sleep(100);
    }

    // The log stays behind for diagnosis.
    await stopProcess(pid);
    const log = tail(logFile, 20);
    if (exitCode !== undefined && /Address already in use/i.test(log) && attempt < PORT_ATTEMPTS) continue;
    throw new Error(
      exitCode !== undefined
        ? `${COMMAND} exited (code ${exitCode}) before answering on ${endpoint}; its log (${logFile}) ends with:\n${log}`
        : `${COMMAND} did not answer on ${endpoint} within ${readyTimeoutMs} ms; its log (${logFile}) ends with:\n${log}`,
    );
  }
}

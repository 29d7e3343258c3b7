import { writeFileSync } from 'node:fs';
import { freePort, isAlive, stopProcess, tail } from '@ephenv/core';
import type { WaitOutcome } from './wait-for-ping';

export class PreviewStartError extends Error {
  override name = 'PreviewStartError';
}

const PORT_TAKEN = /address already in use|EADDRINUSE/i;

export interface Started {
  proc: { pid: number; exited: Promise<number | null> };
  ready: WaitOutcome;
}

/**
 * Starts a server on a free loopback port and waits until it is healthy. The port is free when
 * chosen but another process may take it before ours binds: then it is tried again on another.
 * Healthy means our process answered; an answer from someone else's server does not count.
 */
export async function startOnFreePort(what: string, log: string, start: (port: number) => Promise<Started>, host = '127.0.0.1'): Promise<{ pid: number; port: number; ms: number }> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort(host);
    writeFileSync(log, '');
    const { proc, ready } = await start(port);
    if (ready.ok && isAlive(proc.pid)) return { pid: proc.pid, port, ms: ready.ms };
    await stopProcess(proc.pid);
    if (attempt < 3 && PORT_TAKEN.test(tail(log))) continue;
    const reason = ready.ok ? `the process exited although port ${port} answered` : ready.reason;
    throw new PreviewStartError(`${what} did not become healthy: ${reason}.\n--- ${log} (last lines) ---\n${tail(log)}`);
  }
}

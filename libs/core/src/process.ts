import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** A free TCP port on loopback, chosen by the kernel. */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * True while `pid` runs; a negative `pid` asks about the process group `-pid`. A zombie (exited,
 * not yet reaped by its parent) counts as stopped: where init reaps orphans slowly, signal 0 still
 * reaches it for seconds after it exited.
 */
export function isAlive(pid: number): boolean {
  if (pid < 0) return groupAlive(-pid);
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  return procStat(String(pid))?.state !== 'Z';
}

interface ProcStat {
  state: string;
  pgrp: number;
}

/** State and process group from /proc/<pid>/stat; undefined when gone or not on Linux. */
function procStat(pid: string): ProcStat | undefined {
  let raw: string;
  try {
    raw = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses, so split after the last ')'.
  const fields = raw.slice(raw.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0], pgrp: Number(fields[2]) };
}

/** True while some member of process group `pgid` runs (zombies do not count). */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  if (process.platform !== 'linux') return true;
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return true;
  }
  return pids.some((pid) => {
    const stat = procStat(pid);
    return stat !== undefined && stat.pgrp === pgid && stat.state !== 'Z';
  });
}

/** The argv of a running process (Linux /proc), or undefined when it is gone or unreadable. */
export function commandLine(pid: number): string[] | undefined {
  try {
    const raw = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return raw.split('\0').filter(Boolean);
  } catch {
    return undefined;
  }
}

/** Running processes (`pid: argv`) whose command line mentions `text`, e.g. a workspace path (Linux /proc). */
export function processesMentioning(text: string): string[] {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d) && Number(d) !== process.pid);
  } catch {
    return [];
  }
  return pids.flatMap((pid) => {
    const argv = commandLine(Number(pid));
    const line = argv?.join(' ') ?? '';
    return line.includes(text) ? [`${pid}: ${line}`] : [];
  });
}

/**
 * True when `pid` is alive and still runs the command we recorded: a recycled PID belonging to
 * someone else's process is never signalled.
 */
export function isOurProcess(pid: number, command: string[]): boolean {
  if (!isAlive(pid)) return false;
  const actual = commandLine(pid);
  if (!actual) return process.platform !== 'linux';
  return command.every((part, i) => actual[i] === part);
}

/**
 * Stops a process group we started detached: SIGTERM, then SIGKILL after `graceMs`.
 * Returns once nothing of the group is left.
 */
export async function stopProcess(pid: number, graceMs = 5000): Promise<'stopped' | 'killed' | 'gone'> {
  if (!isAlive(pid)) return 'gone';
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-pid, sig);
    } catch {
      try {
        process.kill(pid, sig);
      } catch {
        /* already gone */
      }
    }
  };
  signal('SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid) && !groupAlive(pid)) return 'stopped';
    await sleep(50);
  }
  signal('SIGKILL');
  while (isAlive(pid) || groupAlive(pid)) await sleep(20);
  return 'killed';
}

export interface DetachedOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  log: string;
}

/**
 * Starts `argv` in its own process group, detached from ours, with stdout and stderr appended to
 * `log`. The caller records the PID and stops it later with `stopProcess`.
 */
export function startDetached(argv: string[], options: DetachedOptions): { pid: number; exited: Promise<number | null> } {
  mkdirSync(dirname(options.log), { recursive: true });
  const fd = openSync(options.log, 'a');
  try {
    const child = spawn(argv[0], argv.slice(1), {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ['ignore', fd, fd],
    });
    if (child.pid === undefined) throw new Error(`could not start ${argv[0]}`);
    const exited = new Promise<number | null>((resolve) => {
      child.on('exit', (code) => resolve(code));
      child.on('error', () => resolve(null));
    });
    child.unref();
    return { pid: child.pid, exited };
  } finally {
    closeSync(fd);
  }
}

/** The last `lines` lines of a log file, for error messages. */
export function tail(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log output)';
  }
}

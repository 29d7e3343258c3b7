import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, isAlive, isOurProcess, startDetached, stopProcess, tail } from './process';

const dir = mkdtempSync(join(tmpdir(), 'ephenv-proc-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Waits until the child logged `ready`: node's start-up takes longer than any fixed sleep on a loaded machine. */
async function ready(log: string): Promise<void> {
  while (tail(log) !== 'ready') await sleep(20);
}

describe('process helpers', () => {
  it('freePort gives a loopback port nobody listens on', async () => {
    const port = await freePort();
    const server = createServer();
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
    server.close();
  });

  it('starts a detached process logging to a file, recognises it, and stops its whole group', async () => {
    const log = join(dir, 'child.log');
    // The child starts a grandchild in the same group: stopping must leave neither.
    const script = "console.log('ready'); require('child_process').spawn(process.execPath, ['-e', 'setInterval(()=>{},1000)'], {stdio:'ignore'}); setInterval(() => {}, 1000)";
    const command = [process.execPath, '-e', script];
    const { pid } = startDetached(command, { cwd: dir, env: process.env, log });
    await ready(log);
    expect(isOurProcess(pid, command)).toBe(true);
    expect(isOurProcess(pid, [process.execPath, '-e', 'something else'])).toBe(false);
    expect(tail(log)).toBe('ready');
    expect(await stopProcess(pid)).toBe('stopped');
    expect(isAlive(pid)).toBe(false);
    expect(isAlive(-pid)).toBe(false);
  });

  it('kills a process that ignores SIGTERM after the grace period', async () => {
    const command = [process.execPath, '-e', "process.on('SIGTERM', () => {}); console.log('ready'); setInterval(() => {}, 1000)"];
    const log = join(dir, 'stubborn.log');
    const { pid } = startDetached(command, { cwd: dir, env: process.env, log });
    await ready(log);
    expect(await stopProcess(pid, 300)).toBe('killed');
    expect(isAlive(pid)).toBe(false);
  });

  it('reports a process that is already gone', async () => {
    const { pid, exited } = startDetached([process.execPath, '-e', '0'], { cwd: dir, env: process.env, log: join(dir, 'quick.log') });
    await exited;
    expect(isOurProcess(pid, [process.execPath])).toBe(false);
    expect(await stopProcess(pid)).toBe('gone');
  });

  describe('zombies (exited, not yet reaped) count as stopped', () => {
    // `exec sleep` replaces the shell with a parent that never reaps: its children stay zombies
    // until it exits, like orphans under an init that reaps slowly.
    const parents: number[] = [];
    afterAll(() => parents.forEach((pid) => process.kill(pid, 'SIGKILL')));

    async function childOfNonReapingParent(script: string): Promise<number> {
      const parent = spawn('sh', ['-c', `${script} & echo $!; exec sleep 60`], { stdio: ['ignore', 'pipe', 'ignore'] });
      parents.push(parent.pid!);
      const line = await new Promise<string>((r) => parent.stdout.once('data', (d: Buffer) => r(d.toString())));
      // Until the shell has exec'd into `sleep`, it may still reap its child itself.
      while (readFileSync(`/proc/${parent.pid}/comm`, 'utf8').trim() !== 'sleep') await sleep(5);
      return Number(line.trim());
    }
    const state = (pid: number) => readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1][0];

    it('isAlive is false for a zombie', async () => {
      const pid = await childOfNonReapingParent('sleep 0.3');
      while (state(pid) !== 'Z') await sleep(10);
      expect(() => process.kill(pid, 0)).not.toThrow();
      expect(isAlive(pid)).toBe(false);
      expect(isAlive(-pid)).toBe(false);
    });

    it('stopProcess returns once the group exited, without waiting for the reaper', async () => {
      const pid = await childOfNonReapingParent('setsid sleep 30');
      expect(isAlive(pid)).toBe(true);
      expect(await stopProcess(pid, 10_000)).toBe('stopped');
      expect(state(pid)).toBe('Z');
    });
  });
});

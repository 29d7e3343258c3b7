import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, isAlive, isOurProcess, startDetached, stopProcess, tail } from './process';

const dir = mkdtempSync(join(tmpdir(), 'ephenv-proc-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

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
    await new Promise((r) => setTimeout(r, 300));
    expect(isOurProcess(pid, command)).toBe(true);
    expect(isOurProcess(pid, [process.execPath, '-e', 'something else'])).toBe(false);
    expect(tail(log)).toBe('ready');
    expect(await stopProcess(pid)).toBe('stopped');
    expect(isAlive(pid)).toBe(false);
    expect(() => process.kill(-pid, 0)).toThrow();
  });

  it('kills a process that ignores SIGTERM after the grace period', async () => {
    const command = [process.execPath, '-e', "process.on('SIGTERM', () => {}); setInterval(() => {}, 1000)"];
    const { pid } = startDetached(command, { cwd: dir, env: process.env, log: join(dir, 'stubborn.log') });
    await new Promise((r) => setTimeout(r, 300));
    expect(await stopProcess(pid, 300)).toBe('killed');
    expect(isAlive(pid)).toBe(false);
  });

  it('reports a process that is already gone', async () => {
    const { pid, exited } = startDetached([process.execPath, '-e', '0'], { cwd: dir, env: process.env, log: join(dir, 'quick.log') });
    await exited;
    expect(isOurProcess(pid, [process.execPath])).toBe(false);
    expect(await stopProcess(pid)).toBe('gone');
  });
});

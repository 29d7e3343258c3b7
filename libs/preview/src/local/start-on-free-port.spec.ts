import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isAlive, startDetached, stopProcess } from '@ephenv/core';
import { startOnFreePort } from './start-on-free-port';
import { waitForPing } from './wait-for-ping';

const dir = mkdtempSync(join(tmpdir(), 'ephenv-port-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A tiny HTTP server process answering /ping, as the model server and the gateway do. */
const server = (port: number) => [process.execPath, '-e', `require('http').createServer((q, s) => s.end('{}')).listen(${port}, '127.0.0.1')`];

describe('startOnFreePort', () => {
  it('tries another port when the chosen one was taken before the server could bind it', async () => {
    const log = join(dir, 'retry.log');
    const squatters: Server[] = [];
    const ports: number[] = [];
    const started = await startOnFreePort('the test server', log, async (port) => {
      ports.push(port);
      if (ports.length === 1) {
        // Someone else binds the port between our choice and our start.
        const squatter = createServer();
        await new Promise<void>((r) => squatter.listen(port, '127.0.0.1', r));
        squatters.push(squatter);
      }
      const proc = startDetached(server(port), { cwd: dir, env: process.env, log });
      return { proc, ready: await waitForPing({ url: `http://127.0.0.1:${port}/ping`, timeoutMs: 5000, exited: proc.exited }) };
    });
    try {
      expect(ports).toHaveLength(2);
      expect(started.port).toBe(ports[1]);
      expect(isAlive(started.pid)).toBe(true);
    } finally {
      await stopProcess(started.pid);
      squatters.forEach((s) => s.close());
    }
  });

  it('fails with the reason and the log when the server cannot start for another reason', async () => {
    const log = join(dir, 'broken.log');
    const error = await startOnFreePort('the test server', log, async (port) => {
      const proc = startDetached([process.execPath, '-e', "console.error('model.joblib not found'); process.exit(3)"], { cwd: dir, env: process.env, log });
      return { proc, ready: await waitForPing({ url: `http://127.0.0.1:${port}/ping`, timeoutMs: 5000, exited: proc.exited }) };
    }).catch((e: Error) => e);
    expect((error as Error).message).toMatch(/the test server did not become healthy: the process exited \(code 3\)/);
    expect((error as Error).message).toContain('model.joblib not found');
  });
});

import { freePort, isAlive } from '@ephenv/core';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleGateway } from './bundle';
import { inputSchema, irisRequest, outputSchema, startModelServer, type ModelServer } from './testing/model-server';

const TOKEN = 'bundle-token-e5f6a7b8c9d0';

let dir: string;
let model: ModelServer;
let child: ChildProcess | undefined;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ephenv-gateway-'));
  model = await startModelServer();
});

afterAll(async () => {
  if (child?.pid && isAlive(child.pid)) child.kill('SIGKILL');
  await model?.close();
  rmSync(dir, { recursive: true, force: true });
});

const canListen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });

describe('bundleGateway', () => {
  it('bundles into one file, identically every time', async () => {
    const first = await bundleGateway({ entry: 'local', outfile: join(dir, 'a/local.js') });
    const second = await bundleGateway({ entry: 'local', outfile: join(dir, 'b/local.js') });
    expect(first.bytes).toBeGreaterThan(0);
    expect(readFileSync(first.outfile).equals(readFileSync(second.outfile))).toBe(true);
  });

  it('reports which bundle failed', async () => {
    await expect(bundleGateway({ entry: 'local', outfile: '/dev/null/cannot/write.js' })).rejects.toThrow(/bundling the local gateway into \/dev\/null\/cannot\/write\.js failed/);
  });

  // The bundle runs from a temporary folder with no node_modules above it: it must be self-contained.
  it('runs the local bundle as a process: serves, keeps the token out of argv and env, and exits 0 on SIGTERM', async () => {
    const { outfile } = await bundleGateway({ entry: 'local', outfile: join(dir, 'local-gateway.js') });
    writeFileSync(join(dir, 'input.schema.json'), JSON.stringify(inputSchema));
    writeFileSync(join(dir, 'output.schema.json'), JSON.stringify(outputSchema));
    const port = await freePort();
    const configFile = join(dir, 'gateway.json');
    writeFileSync(
      configFile,
      JSON.stringify({ port, host: '127.0.0.1', token: TOKEN, maxBodyBytes: 65_536, inputSchema: 'input.schema.json', outputSchema: 'output.schema.json', modelUrl: model.url, timeoutMs: 2_000, modelName: 'iris-classifier' }),
      { mode: 0o600 },
    );

    const proc = spawn(process.execPath, [outfile, configFile], { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH } });
    child = proc;
    let stdout = '';
    let stderr = '';
    proc.stderr!.on('data', (d) => (stderr += d));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the gateway did not start within 10 s:\n${stdout}${stderr}`)), 10_000);
      proc.stdout!.on('data', (d) => {
        stdout += d;
        if (stdout.includes('"event":"listening"')) {
          clearTimeout(timer);
          resolve();
        }
      });
      proc.on('exit', () => reject(new Error(`the gateway exited:\n${stdout}${stderr}`)));
    });

    expect(readFileSync(`/proc/${proc.pid}/cmdline`, 'utf8')).not.toContain(TOKEN);
    expect(readFileSync(`/proc/${proc.pid}/environ`, 'utf8')).not.toContain(TOKEN);

    const url = `http://127.0.0.1:${port}`;
    const auth = { authorization: `Bearer ${TOKEN}` };
    const ping = await request(`${url}/ping`, { headers: auth });
    expect(ping.statusCode).toBe(200);
    expect(await ping.body.json()).toEqual({ status: 'ok', model: 'iris-classifier' });
    const inference = await request(`${url}/invocations`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(irisRequest(3)) });
    expect(inference.statusCode).toBe(200);
    expect(((await inference.body.json()) as { predictions: unknown[] }).predictions).toHaveLength(3);
    const refused = await request(`${url}/schema`, { headers: { authorization: 'Bearer wrong' } });
    expect(refused.statusCode).toBe(401);
    await refused.body.dump();

    proc.kill('SIGTERM');
    expect(await exited).toEqual({ code: 0, signal: null });
    expect(await canListen(port)).toBe(true);

    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.filter((l) => l.requestId).map((l) => l.status)).toEqual([200, 200, 401]);
    expect(lines.at(-1)).toMatchObject({ event: 'stopped' });
    expect(stdout).not.toContain(TOKEN);
    expect(stderr).toBe('');
  });

  it('exits 1 with a JSON line naming the problem when its config is wrong, without quoting the token', async () => {
    const { outfile } = await bundleGateway({ entry: 'local', outfile: join(dir, 'local-gateway.js') });
    const configFile = join(dir, 'broken.json');
    writeFileSync(configFile, `{"token": "${TOKEN}", "port": 1,`, { mode: 0o600 });
    const proc = spawn(process.execPath, [outfile, configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    let stdout = '';
    proc.stdout!.on('data', (d) => (stdout += d));
    const code = await new Promise<number | null>((resolve) => proc.on('exit', resolve));
    expect(code).toBe(1);
    expect(JSON.parse(stdout.trim())).toMatchObject({ level: 'error', error: `the gateway config ${configFile} is not valid JSON` });
    expect(stdout).not.toContain(TOKEN);
  });
});

import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bearerCheck } from './authorize';
import { createHandler, type RequestLogEntry } from './handler';
import type { HttpApiEvent } from './http-event';
import { createHttpInvoker, type HttpInvoker } from './invoke-http';
import { startLocalGateway, type LocalGateway, type LocalGatewayOptions } from './local-server';
import { inputSchema, irisRequest, outputSchema, startModelServer, type ModelServer } from './testing/model-server';

// What a hostile client can do to the local adapter: upload without a token, hold connections,
// send slowly, hang up early. Real sockets on loopback, a real model server behind.
const TOKEN = 'limits-token-7e6d5c4b3a29';
const LIMIT = 256 * 1024;
const auth = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };

let model: ModelServer;
let invoker: HttpInvoker;
const started: LocalGateway[] = [];
let logs: RequestLogEntry[];
let events: HttpApiEvent[];
let adapterLog: Record<string, unknown>[];

beforeAll(async () => {
  model = await startModelServer();
  invoker = createHttpInvoker({ url: model.url });
});

afterEach(async () => {
  while (started.length) await started.pop()?.close();
});

afterAll(async () => {
  await invoker?.close();
  await model?.close();
});

async function gateway(options: Partial<LocalGatewayOptions> = {}): Promise<LocalGateway> {
  logs = [];
  events = [];
  adapterLog = [];
  const handle = createHandler({ inputSchema, outputSchema, token: TOKEN, invoker, maxBodyBytes: LIMIT, timeoutMs: 5_000, log: (e) => logs.push(e) });
  const check = bearerCheck(TOKEN);
  const gw = await startLocalGateway({
    handler: (event) => {
      events.push(event);
      return handle(event);
    },
    authorize: (header) => check(header) === undefined,
    maxBodyBytes: LIMIT,
    log: (e) => adapterLog.push(e),
    closeGraceMs: 100,
    ...options,
  });
  started.push(gw);
  return gw;
}

/** A raw client: what it received, and whether the server closed the connection. */
function rawClient(port: number) {
  const socket = connect(port, '127.0.0.1');
  let received = '';
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  socket.on('data', (d) => (received += d));
  socket.on('error', () => undefined);
  const connected = new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  const firstData = new Promise<void>((resolve) => socket.once('data', () => resolve()));
  return { socket, connected, closed, firstData, received: () => received };
}

/** Writes and waits until the kernel took it (or the server refused it). */
const send = (socket: Socket, data: string | Buffer) => new Promise<void>((resolve) => socket.write(data, () => resolve()));

const ping = (gw: LocalGateway) => request(`${gw.url}/ping`, { headers: auth }).then(async (r) => (await r.body.dump(), r.statusCode));

describe('authentication before the body', () => {
  it('answers an unauthenticated 5 MB upload 401 before the client has sent it, without buffering the body', async () => {
    const gw = await gateway({ maxBodyBytes: 8 * 1024 * 1024 });
    const client = rawClient(gw.port);
    await client.connected;
    const total = 5 * 1024 * 1024;
    await send(client.socket, `POST /invocations HTTP/1.1\r\nhost: x\r\nauthorization: Bearer not-the-token\r\ncontent-type: application/json\r\ncontent-length: ${total}\r\n\r\n`);
    await send(client.socket, Buffer.alloc(64 * 1024, 0x20));
    // 64 KB of 5 MB sent, and the client waits: the answer can only come from the headers.
    await client.firstData;
    expect(client.received()).toMatch(/^HTTP\/1\.1 401 /);
    expect(client.received()).toMatch(/connection: close/i);
    // The handler saw no body at all, and logged none.
    expect(events[0].body).toBeUndefined();
    expect(logs[0]).toMatchObject({ status: 401, error: 'unauthorized', bytesIn: 0 });
    // The rest is drained (not kept), then the connection is closed.
    for (let sent = 64 * 1024; sent < total; sent += 256 * 1024) await send(client.socket, Buffer.alloc(Math.min(256 * 1024, total - sent), 0x20));
    await client.closed;
    expect(client.received().match(/HTTP\/1\.1/g)).toHaveLength(1);
    expect(await ping(gw)).toBe(200);
  });

  it('gives a client that uploads 5 MB with a wrong token its 401 (undici, whole body sent)', async () => {
    const gw = await gateway({ maxBodyBytes: 8 * 1024 * 1024 });
    const res = await request(`${gw.url}/invocations`, { method: 'POST', headers: { ...auth, authorization: 'Bearer wrong' }, body: Buffer.alloc(5 * 1024 * 1024, 0x20) });
    expect(res.statusCode).toBe(401);
    expect(await res.body.json()).toMatchObject({ error: expect.stringContaining('bearer token is wrong'), requestId: expect.any(String) });
    expect(events[0].body).toBeUndefined();
  });
});

describe('oversized bodies', () => {
  it.each([
    ['keep-alive', false],
    ['Connection: close', true],
  ])('answers 413 to a 3 MB body sent with %s (the rest is drained, boundedly)', async (_name, reset) => {
    const gw = await gateway();
    const res = await request(`${gw.url}/invocations`, { method: 'POST', headers: auth, body: Buffer.alloc(3 * 1024 * 1024, 0x20), reset });
    expect(res.statusCode).toBe(413);
    expect(await res.body.json()).toMatchObject({ error: expect.stringContaining(`limit of ${LIMIT} bytes`) });
  });

  it('answers 413 over a raw Connection: close socket while the client is still sending', async () => {
    const gw = await gateway();
    const client = rawClient(gw.port);
    await client.connected;
    const total = 2 * 1024 * 1024;
    await send(client.socket, `POST /invocations HTTP/1.1\r\nhost: x\r\nconnection: close\r\nauthorization: Bearer ${TOKEN}\r\ncontent-type: application/json\r\ncontent-length: ${total}\r\n\r\n`);
    for (let sent = 0; sent < total; sent += 128 * 1024) await send(client.socket, Buffer.alloc(128 * 1024, 0x20));
    await client.closed;
    expect(client.received()).toMatch(/^HTTP\/1\.1 413 [^]*limit of/);
  });
});

describe('connection limits', () => {
  it('closes connections past maxConnections at once, logs them, and serves again once one is freed', async () => {
    const gw = await gateway({ maxConnections: 2 });
    const holders = [rawClient(gw.port), rawClient(gw.port)];
    await Promise.all(holders.map((h) => h.connected));
    // Node counts a connection once it accepted it; wait until both are counted.
    await expect.poll(() => new Promise((r) => gw.server.getConnections((_, n) => r(n)))).toBe(2);
    const extra = rawClient(gw.port);
    await extra.connected.catch(() => undefined);
    await send(extra.socket, `GET /ping HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${TOKEN}\r\n\r\n`);
    await extra.closed;
    expect(extra.received()).toBe('');
    expect(adapterLog).toContainEqual(expect.objectContaining({ level: 'warn', event: 'connection_refused' }));
    holders[0].socket.destroy();
    await holders[0].closed;
    await expect.poll(() => new Promise((r) => gw.server.getConnections((_, n) => r(n)))).toBe(1);
    expect(await ping(gw)).toBe(200);
    holders[1].socket.destroy();
  });
});

describe('slow clients', () => {
  it('answers 408 to a body that stops arriving, frees the slot, and logs it', async () => {
    const gw = await gateway({ maxConnections: 1, bodyTimeoutMs: 300 });
    const client = rawClient(gw.port);
    await client.connected;
    await send(client.socket, `POST /invocations HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${TOKEN}\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{"instances":`);
    await client.closed;
    expect(client.received()).toMatch(/^HTTP\/1\.1 408 [^]*did not arrive within 300 ms/);
    expect(adapterLog).toContainEqual(expect.objectContaining({ event: 'body_timeout', timeoutMs: 300 }));
    // The one slot is free again.
    expect(await ping(gw)).toBe(200);
  });

  it('closes a connection whose headers never finish (slowloris), so it cannot hold a slot', async () => {
    const gw = await gateway({ maxConnections: 1, headersTimeoutMs: 300, bodyTimeoutMs: 300 });
    const client = rawClient(gw.port);
    await client.connected;
    await send(client.socket, `GET /ping HTTP/1.1\r\nhost: x\r\n`);
    const drip = setInterval(() => client.socket.write('x-drip: 1\r\n'), 100);
    await client.closed;
    clearInterval(drip);
    expect(client.received()).toMatch(/^HTTP\/1\.1 408 /);
    expect(await ping(gw)).toBe(200);
  });
});

describe('error bodies', () => {
  it('answers an adapter failure with a generic message and a request id; the details go to the log', async () => {
    // A path of this machine's own workspace: exactly what must not reach an unauthenticated caller.
    const configDir = join(process.cwd(), '.ephenv', 'gateways');
    const configFile = join(configDir, 'secret-model.json');
    const gw = await gateway({
      handler: async () => {
        throw new Error(`cannot read ${configFile}`);
      },
    });
    const res = await request(`${gw.url}/invocations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(irisRequest()) });
    const body = (await res.body.json()) as { error: string; requestId: string };
    expect(res.statusCode).toBe(500);
    expect(body.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers['x-request-id']).toBe(body.requestId);
    expect(JSON.stringify(body)).not.toContain(configDir);
    expect(adapterLog).toContainEqual(expect.objectContaining({ level: 'error', requestId: body.requestId, exception: expect.stringContaining(configFile) }));
  });
});

import { connect } from 'node:net';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHandler, type RequestLogEntry } from './handler';
import type { HttpApiEvent } from './http-event';
import { createHttpInvoker, type HttpInvoker } from './invoke-http';
import { startLocalGateway, type LocalGateway } from './local-server';
import { inputSchema, irisRequest, outputSchema, startModelServer, type ModelServer } from './testing/model-server';

const TOKEN = 'local-token-5b8e0f2a9c4d';
const LIMIT = 256 * 1024;
const TIMEOUT_MS = 500;
const auth = { authorization: `Bearer ${TOKEN}` };
const json = { ...auth, 'content-type': 'application/json' };

let model: ModelServer;
let invoker: HttpInvoker;
let gateway: LocalGateway;
let logs: RequestLogEntry[];
let events: HttpApiEvent[];
let connections = 0;

beforeAll(async () => {
  model = await startModelServer();
  invoker = createHttpInvoker({ url: model.url });
  const handle = createHandler({ inputSchema, outputSchema, token: TOKEN, invoker, maxBodyBytes: LIMIT, timeoutMs: TIMEOUT_MS, log: (e) => logs.push(e) });
  gateway = await startLocalGateway({
    handler: (event) => {
      events.push(event);
      return handle(event);
    },
    maxBodyBytes: LIMIT,
  });
  gateway.server.on('connection', () => (connections += 1));
});

afterAll(async () => {
  await gateway?.close();
  await invoker?.close();
  await model?.close();
});

beforeEach(() => {
  model.behaviour = 'predict';
  logs = [];
  events = [];
});

async function post(body: unknown, headers: Record<string, string> = json) {
  const res = await request(`${gateway.url}/invocations`, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: res.statusCode, headers: res.headers, body: (await res.body.json()) as Record<string, unknown> };
}

describe('the local adapter with the HTTP invoker and a real model server', () => {
  it('listens on loopback only', () => {
    expect(gateway.host).toBe('127.0.0.1');
    expect(gateway.url).toBe(`http://127.0.0.1:${gateway.port}`);
  });

  it('answers a valid request with the model prediction', async () => {
    const res = await post(irisRequest(2));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.body).toMatchObject({ predictions: [{ label: 'setosa', class_id: 0 }, { label: 'versicolor', class_id: 1 }] });
  });

  it('turns a request into the payload-2.0 event API Gateway would send', async () => {
    await request(`${gateway.url}/ping?verbose=1&x=y`, { headers: { ...auth, 'user-agent': 'spec/1.0', 'X-Custom': 'Yes' } }).then((r) => r.body.dump());
    expect(events[0]).toMatchObject({
      version: '2.0',
      routeKey: '$default',
      rawPath: '/ping',
      rawQueryString: 'verbose=1&x=y',
      headers: { 'x-custom': 'Yes', 'user-agent': 'spec/1.0' },
      requestContext: { http: { method: 'GET', path: '/ping', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'spec/1.0' }, stage: '$default' },
      isBase64Encoded: false,
    });
    expect(events[0].body).toBeUndefined();
    expect(events[0].requestContext.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('passes a text body as a string and a binary body as base64', async () => {
    await post('{"instances": "é"}');
    expect(events[0]).toMatchObject({ body: '{"instances": "é"}', isBase64Encoded: false });
    const garbage = Buffer.from([0x7b, 0xc3, 0x28, 0xff, 0x7d]);
    const res = await request(`${gateway.url}/invocations`, { method: 'POST', headers: json, body: garbage });
    expect(res.statusCode).toBe(400);
    expect(await res.body.json()).toMatchObject({ error: expect.stringContaining('not UTF-8') });
    expect(events[1]).toMatchObject({ body: garbage.toString('base64'), isBase64Encoded: true });
  });

  it('answers 502 with the violation when the model answer breaks output.schema.json', async () => {
    model.behaviour = 'invalid-output';
    const res = await post(irisRequest());
    expect(res.status).toBe(502);
    expect(res.body.error).toContain("does not match output.schema.json");
    expect(res.body.details).toContainEqual({ path: '/predictions/0', message: "must have required property 'probabilities'" });
  });

  it('answers 504 after the timeout when the model hangs', async () => {
    model.behaviour = 'hang';
    const started = Date.now();
    const res = await post(irisRequest());
    const elapsed = Date.now() - started;
    expect(res.status).toBe(504);
    expect(res.body.error).toContain(`did not answer within ${TIMEOUT_MS} ms`);
    expect(elapsed).toBeGreaterThanOrEqual(TIMEOUT_MS - 10);
    expect(elapsed).toBeLessThan(TIMEOUT_MS + 1_500);
    expect(logs[0]).toMatchObject({ status: 504, error: 'model_timeout' });
  });

  it('answers 502 saying the model server cannot be reached once it is gone', async () => {
    const gone = await startModelServer();
    const goneInvoker = createHttpInvoker({ url: gone.url });
    const handle = createHandler({ inputSchema, outputSchema, token: TOKEN, invoker: goneInvoker, log: () => undefined });
    const orphan = await startLocalGateway({ handler: handle });
    try {
      const first = await request(`${orphan.url}/invocations`, { method: 'POST', headers: json, body: JSON.stringify(irisRequest()) });
      expect(first.statusCode).toBe(200);
      await first.body.dump();
      await gone.close();
      const res = await request(`${orphan.url}/invocations`, { method: 'POST', headers: json, body: JSON.stringify(irisRequest()) });
      expect(res.statusCode).toBe(502);
      expect(((await res.body.json()) as { error: string }).error).toMatch(/cannot reach the model server \(POST http:\/\/127\.0\.0\.1:\d+\/invocations: (ECONNREFUSED|ECONNRESET|UND_ERR_SOCKET)\); is it running\?/);
    } finally {
      await orphan.close();
      await goneInvoker.close();
    }
  });

  it('answers 413 to a streamed body over the limit without reading all of it', async () => {
    let sent = 0;
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    // 1 GB if nobody stopped it: the adapter must answer and stop reading long before.
    async function* endless() {
      yield Buffer.from('{"instances": [');
      for (let i = 0; i < 16_384; i++) {
        sent += chunk.length;
        yield chunk;
      }
    }
    const res = await request(`${gateway.url}/invocations`, { method: 'POST', headers: json, body: Readable.from(endless()) });
    expect(res.statusCode).toBe(413);
    expect(await res.body.json()).toMatchObject({ error: expect.stringContaining(`limit of ${LIMIT} bytes`) });
    // The rest is discarded up to a cap (so clients still sending read their 413), then cut off.
    expect(sent).toBeLessThan(32 * 1024 * 1024);
    // The event carried just past the limit, not the whole stream.
    expect(Buffer.from(events[0].body!, events[0].isBase64Encoded ? 'base64' : 'utf8').length).toBe(LIMIT + 1);
  });

  it('answers 413 to a declared Content-Length over the limit, and 401 first when the token is wrong', async () => {
    const send = (authorization: string) =>
      new Promise<string>((resolve, reject) => {
        const socket = connect(gateway.port, '127.0.0.1', () => {
          socket.write(
            `POST /invocations HTTP/1.1\r\nhost: x\r\nauthorization: ${authorization}\r\ncontent-type: application/json\r\ncontent-length: 10000000000\r\n\r\n{"instances":`,
          );
        });
        let answer = '';
        socket.on('data', (d) => (answer += d));
        socket.on('close', () => resolve(answer));
        socket.on('error', reject);
      });
    expect(await send(`Bearer ${TOKEN}`)).toMatch(/^HTTP\/1\.1 413 [^]*content-type: application\/json[^]*limit of/i);
    expect(await send('Bearer wrong')).toMatch(/^HTTP\/1\.1 401 /);
  });

  it('keeps connections alive between requests', async () => {
    const client = new Client(gateway.url);
    try {
      const before = connections;
      for (let i = 0; i < 3; i++) {
        const res = await client.request({ path: '/invocations', method: 'POST', headers: json, body: JSON.stringify(irisRequest()) });
        expect(res.statusCode).toBe(200);
        await res.body.dump();
      }
      expect(connections - before).toBe(1);
    } finally {
      await client.close();
    }
  });

  it('answers a malformed HTTP request with a JSON 400', async () => {
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(gateway.port, '127.0.0.1', () => socket.write('NOT HTTP AT ALL\r\n\r\n'));
      let text = '';
      socket.on('data', (d) => (text += d));
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request/);
    expect(answer).toContain('content-type: application/json');
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toMatchObject({ error: expect.stringContaining('malformed HTTP request') });
  });

  it('lets a request in flight finish when it closes', async () => {
    const other = await startLocalGateway({ handler: async () => new Promise((r) => setTimeout(() => r({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{"late":true}' }), 200)) });
    const pending = request(`${other.url}/schema`);
    await sleep(50);
    await other.close();
    const res = await pending;
    expect(res.statusCode).toBe(200);
    expect(await res.body.json()).toEqual({ late: true });
  });
});

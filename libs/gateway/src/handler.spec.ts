import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHandler, type RequestLogEntry } from './handler';
import type { HttpApiEvent, HttpApiResult } from './http-event';
import { createHttpInvoker, type HttpInvoker } from './invoke-http';
import { inputSchema, irisRequest, outputSchema, startModelServer, type ModelServer } from './testing/model-server';

const TOKEN = 'tok_3f9a1c0b7e2d4a6f8b1c3d5e7f9a0b2c';
const LIMIT = 64 * 1024;

interface EventOptions {
  body?: string | Buffer;
  headers?: Record<string, string>;
  auth?: string | null;
  stage?: string;
}

function event(method: string, rawPath: string, options: EventOptions = {}): HttpApiEvent {
  const headers: Record<string, string> = { ...(method === 'POST' ? { 'content-type': 'application/json' } : {}), ...options.headers };
  if (options.auth !== null) headers.authorization = options.auth ?? `Bearer ${TOKEN}`;
  const binary = Buffer.isBuffer(options.body);
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString: '',
    headers,
    requestContext: { http: { method, path: rawPath }, requestId: `req-${Math.random()}`, stage: options.stage ?? '$default' },
    ...(options.body === undefined ? {} : { body: binary ? (options.body as Buffer).toString('base64') : (options.body as string), isBase64Encoded: binary }),
  };
}

const invocation = (body: unknown, options: EventOptions = {}) => event('POST', '/invocations', { body: typeof body === 'string' ? body : JSON.stringify(body), ...options });
const parse = (result: HttpApiResult) => JSON.parse(result.body) as Record<string, unknown>;

let model: ModelServer;
let invoker: HttpInvoker;
let logs: RequestLogEntry[];
let results: HttpApiResult[];

function gateway(overrides: { timeoutMs?: number; invoker?: HttpInvoker } = {}) {
  const handle = createHandler({
    inputSchema,
    outputSchema,
    token: TOKEN,
    invoker: overrides.invoker ?? invoker,
    maxBodyBytes: LIMIT,
    timeoutMs: overrides.timeoutMs ?? 2_000,
    modelName: 'iris-classifier',
    log: (entry) => logs.push(entry),
  });
  return async (e: HttpApiEvent) => {
    const result = await handle(e);
    results.push(result);
    return result;
  };
}

beforeAll(async () => {
  model = await startModelServer();
  invoker = createHttpInvoker({ url: model.url });
  results = [];
});

afterAll(async () => {
  await invoker.close();
  await model.close();
  // Every answer of every test: JSON, announced as JSON, with no trace of the token.
  for (const result of results) {
    expect(result.headers['content-type']).toBe('application/json');
    expect(() => JSON.parse(result.body)).not.toThrow();
    expect(result.body).not.toContain(TOKEN);
  }
});

beforeEach(() => {
  model.behaviour = 'predict';
  model.invocations = 0;
  logs = [];
});

describe('authentication', () => {
  it.each([
    ['no Authorization header', null, 'no Authorization header'],
    ['a wrong token', 'Bearer tok_wrong', 'the bearer token is wrong'],
    ['a token one character short', `Bearer ${TOKEN.slice(0, -1)}`, 'the bearer token is wrong'],
    ['another scheme', `Basic ${Buffer.from(`user:${TOKEN}`).toString('base64')}`, 'is not "Bearer <token>"'],
    ['no token after Bearer', 'Bearer', 'is not "Bearer <token>"'],
    ['two tokens', `Bearer ${TOKEN}, Bearer ${TOKEN}`, 'is not "Bearer <token>"'],
  ])('answers 401 to %s, on every route, before reading the body', async (_, auth, why) => {
    const handle = gateway();
    for (const e of [invocation('{not json', { auth }), event('GET', '/ping', { auth }), event('GET', '/schema', { auth }), event('GET', '/nowhere', { auth })]) {
      const result = await handle(e);
      expect(result.statusCode).toBe(401);
      expect(result.headers['www-authenticate']).toMatch(/^Bearer realm="ephenv"/);
      expect(parse(result).error).toContain(why);
    }
    expect(model.invocations).toBe(0);
  });

  it('accepts the scheme in any case', async () => {
    const result = await gateway()(event('GET', '/schema', { auth: `bearer ${TOKEN}` }));
    expect(result.statusCode).toBe(200);
  });

  it('refuses to start without a usable token', () => {
    expect(() => createHandler({ inputSchema, outputSchema, token: '', invoker })).toThrow(/token/);
    expect(() => createHandler({ inputSchema, outputSchema, token: 'has space', invoker })).toThrow(/token/);
  });
});

describe('POST /invocations refuses bad input before it reaches the model', () => {
  it.each([
    ['text/plain', 'text/plain'],
    ['form data', 'application/x-www-form-urlencoded'],
    ['JSON in Latin-1', 'application/json; charset=iso-8859-1'],
  ])('answers 415 to %s', async (_, type) => {
    const result = await gateway()(invocation(irisRequest(), { headers: { 'content-type': type } }));
    expect(result.statusCode).toBe(415);
    expect(parse(result).error).toContain('Content-Type: application/json');
  });

  it('answers 415 when there is no Content-Type', async () => {
    const e = invocation(irisRequest());
    delete e.headers!['content-type'];
    const result = await gateway()(e);
    expect(result.statusCode).toBe(415);
    expect(parse(result).error).toContain('no Content-Type');
  });

  it('accepts application/json with a UTF-8 charset, in any case', async () => {
    const result = await gateway()(invocation(irisRequest(), { headers: { 'content-type': 'Application/JSON; Charset="UTF-8"' } }));
    expect(result.statusCode).toBe(200);
  });

  it('answers 413 when the body is over the limit', async () => {
    const big = JSON.stringify({ instances: [], padding: 'x'.repeat(LIMIT) });
    const result = await gateway()(invocation(big));
    expect(result.statusCode).toBe(413);
    expect(parse(result).error).toContain(`limit of ${LIMIT} bytes`);
  });

  it('answers 413 when the declared Content-Length is over the limit', async () => {
    const result = await gateway()(invocation(irisRequest(), { headers: { 'content-length': String(LIMIT + 1) } }));
    expect(result.statusCode).toBe(413);
  });

  it('counts the decoded bytes of a base64 body, not its encoded length', async () => {
    // 50 KB of JSON is 67 KB in base64: over the limit encoded, under it decoded.
    const body = Buffer.from(JSON.stringify(irisRequest(1)).padEnd(50 * 1024, ' '));
    expect(body.toString('base64').length).toBeGreaterThan(LIMIT);
    const result = await gateway()(invocation('', { body }));
    expect(result.statusCode).toBe(200);
  });

  it.each([
    ['unparsable JSON', '{"instances": [', 'not valid JSON'],
    ['an empty body', '', 'the body is empty'],
    ['bytes that are not UTF-8', Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), 'not UTF-8'],
  ])('answers 400 to %s', async (_, body, message) => {
    const result = await gateway()(invocation('', { body }));
    expect(result.statusCode).toBe(400);
    expect(parse(result).error).toContain(message);
  });

  it('answers 400 listing each schema violation by JSON pointer', async () => {
    const request = irisRequest(2) as unknown as { instances: Record<string, unknown>[] };
    delete request.instances[0].petal_width;
    request.instances[1].sepal_length = 250;
    request.instances[1].colour = 'blue';
    const result = await gateway()(invocation(request));
    expect(result.statusCode).toBe(400);
    const body = parse(result);
    expect(body.error).toContain('does not match input.schema.json (3 violations)');
    expect(body.details).toEqual(
      expect.arrayContaining([
        { path: '/instances/0', message: "must have required property 'petal_width'" },
        { path: '/instances/1/sepal_length', message: 'must be <= 100' },
        { path: '/instances/1', message: 'unknown property "colour"' },
      ]),
    );
    expect(model.invocations).toBe(0);
  });

  it('caps the listed violations at 20 and says how many there are', async () => {
    const request = { instances: Array.from({ length: 300 }, () => ({ sepal_length: -1, sepal_width: -1, petal_length: -1, petal_width: -1 })) };
    const result = await gateway()(invocation(request));
    expect(result.statusCode).toBe(400);
    const body = parse(result);
    expect(body.details).toHaveLength(20);
    expect(body.error).toContain('1200 violations, the first 20 listed');
  });

  it('does not crash on deeply nested JSON', async () => {
    const deep = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;
    const result = await gateway()(invocation(deep));
    expect(result.statusCode).toBe(400);
  });
});

describe('routes', () => {
  it('answers 404 to an unknown route, naming the routes there are', async () => {
    const result = await gateway()(event('GET', '/predict'));
    expect(result.statusCode).toBe(404);
    expect(parse(result).error).toContain('GET /ping, POST /invocations and GET /schema');
  });

  it.each([
    ['GET', '/invocations', 'POST'],
    ['DELETE', '/invocations', 'POST'],
    ['POST', '/ping', 'GET'],
    ['PUT', '/schema', 'GET'],
  ])('answers 405 to %s %s with Allow: %s', async (method, path, allow) => {
    const result = await gateway()(event(method, path, { body: '{}' }));
    expect(result.statusCode).toBe(405);
    expect(result.headers.allow).toBe(allow);
  });

  it('serves the schemas on GET /schema', async () => {
    const result = await gateway()(event('GET', '/schema'));
    expect(result.statusCode).toBe(200);
    expect(parse(result)).toEqual({ input: inputSchema, output: outputSchema });
  });

  it('routes a named stage and a trailing slash', async () => {
    const result = await gateway()(event('GET', '/preview/ping/', { stage: 'preview' }));
    expect(result.statusCode).toBe(200);
  });
});

describe('the model', () => {
  it('answers 200 with the model answer when it matches output.schema.json', async () => {
    const result = await gateway()(invocation(irisRequest(3)));
    expect(result.statusCode).toBe(200);
    const body = parse(result) as { predictions: { label: string }[] };
    expect(body.predictions.map((p) => p.label)).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(result.headers['x-request-id']).toBeTruthy();
  });

  it('answers GET /ping with the model health', async () => {
    const handle = gateway();
    const ok = await handle(event('GET', '/ping'));
    expect(ok.statusCode).toBe(200);
    expect(parse(ok)).toEqual({ status: 'ok', model: 'iris-classifier' });
    model.behaviour = 'unhealthy';
    const sick = await handle(event('GET', '/ping'));
    expect(sick.statusCode).toBe(503);
    expect(parse(sick).error).toContain('model not loaded');
  });

  it('answers 502 listing how the answer breaks output.schema.json', async () => {
    model.behaviour = 'invalid-output';
    const result = await gateway()(invocation(irisRequest()));
    expect(result.statusCode).toBe(502);
    const body = parse(result);
    expect(body.error).toContain("the model's answer does not match output.schema.json");
    expect(body.details).toEqual(
      expect.arrayContaining([
        { path: '/predictions/0/label', message: 'must be one of "setosa", "versicolor", "virginica"' },
        { path: '/predictions/0/class_id', message: 'must be <= 2' },
      ]),
    );
  });

  it('answers 502 when the answer is not JSON', async () => {
    model.behaviour = 'not-json';
    const result = await gateway()(invocation(irisRequest()));
    expect(result.statusCode).toBe(502);
    expect(parse(result).error).toContain("the model's answer is not JSON");
  });

  it('answers 502 with the model message when the model fails', async () => {
    model.behaviour = 'fail';
    const result = await gateway()(invocation(irisRequest()));
    expect(result.statusCode).toBe(502);
    expect(parse(result).error).toContain('the model server answered 500: model crashed: division by zero');
    expect(logs[0]).toMatchObject({ status: 502, error: 'model_error', modelStatus: 500 });
  });

  it('answers 502 saying the schema is looser than the model when the model refuses valid input', async () => {
    model.behaviour = 'reject';
    const result = await gateway()(invocation(irisRequest()));
    expect(result.statusCode).toBe(502);
    expect(parse(result).error).toContain('rejected a request that input.schema.json accepts');
  });

  it('answers 429 with Retry-After when the model is overloaded', async () => {
    model.behaviour = 'throttle';
    const result = await gateway()(invocation(irisRequest()));
    expect(result.statusCode).toBe(429);
    expect(result.headers['retry-after']).toBe('1');
  });

  it('answers 504 when the model does not answer within the timeout', async () => {
    model.behaviour = 'hang';
    const started = Date.now();
    const result = await gateway({ timeoutMs: 300 })(invocation(irisRequest()));
    const elapsed = Date.now() - started;
    expect(result.statusCode).toBe(504);
    expect(parse(result).error).toContain('did not answer within 300 ms');
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(2_000);
  });

  it('answers 502 (503 on /ping) when the model server is unreachable', async () => {
    const gone = await startModelServer();
    const goneInvoker = createHttpInvoker({ url: gone.url });
    await gone.close();
    try {
      const handle = gateway({ invoker: goneInvoker });
      const result = await handle(invocation(irisRequest()));
      expect(result.statusCode).toBe(502);
      expect(parse(result).error).toMatch(/cannot reach the model server .*ECONNREFUSED.*is it running\?/);
      expect((await handle(event('GET', '/ping'))).statusCode).toBe(503);
    } finally {
      await goneInvoker.close();
    }
  });
});

describe('robustness and logs', () => {
  it('never throws, even on an event that is not one', async () => {
    const result = await gateway()(null as unknown as HttpApiEvent);
    expect(result.statusCode).toBe(500);
    expect(parse(result).error).toContain('the gateway failed unexpectedly');
    expect(logs[0].exception).toBeTruthy();
  });

  it('still answers when the log sink throws', async () => {
    const handle = createHandler({
      inputSchema,
      outputSchema,
      token: TOKEN,
      invoker,
      log: () => {
        throw new Error('disk full');
      },
    });
    expect((await handle(event('GET', '/schema'))).statusCode).toBe(200);
  });

  it('rejects an invalid schema when the handler is created, naming it', () => {
    expect(() => createHandler({ inputSchema: { type: 'nonsense' }, outputSchema, token: TOKEN, invoker })).toThrow(/input.schema.json is not a valid JSON Schema/);
  });

  it('logs one structured line per request, without token or body', async () => {
    const handle = gateway();
    const secretValue = 4.2424242;
    const request = irisRequest();
    request.instances[0].sepal_width = secretValue;
    await handle(invocation(request));
    await handle(invocation(request, { auth: 'Bearer nope' }));
    await handle(event('GET', '/nowhere'));
    expect(logs).toHaveLength(3);
    expect(logs[0]).toMatchObject({ level: 'info', model: 'iris-classifier', method: 'POST', route: '/invocations', status: 200 });
    expect(logs[0].modelLatencyMs).toBeGreaterThanOrEqual(0);
    expect(logs[0].bytesIn).toBe(Buffer.byteLength(JSON.stringify(request)));
    expect(logs[0].bytesOut).toBeGreaterThan(0);
    expect(logs[1]).toMatchObject({ level: 'warn', status: 401, error: 'unauthorized' });
    expect(logs[1].modelLatencyMs).toBeUndefined();
    expect(logs[2]).toMatchObject({ route: 'unmatched', status: 404, error: 'not_found' });
    const text = JSON.stringify(logs);
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain('nope');
    expect(text).not.toContain(String(secretValue));
    expect(text.toLowerCase()).not.toContain('authorization');
  });

  it('writes one JSON line to stdout by default', async () => {
    const lines: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string) => lines.push(String(chunk)) > 0) as typeof process.stdout.write;
    try {
      await createHandler({ inputSchema, outputSchema, token: TOKEN, invoker })(event('GET', '/schema'));
    } finally {
      process.stdout.write = write;
    }
    expect(lines).toHaveLength(1);
    expect(lines[0].endsWith('\n')).toBe(true);
    expect(JSON.parse(lines[0])).toMatchObject({ route: '/schema', status: 200 });
  });
});

import Ajv from 'ajv';
import fc from 'fast-check';
import { Readable } from 'node:stream';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createHandler } from './handler';
import { createHttpInvoker, type HttpInvoker } from './invoke-http';
import { startLocalGateway, type LocalGateway } from './local-server';
import { inputSchema, irisRequest, outputSchema, startModelServer, type ModelServer } from './testing/model-server';

const TOKEN = 'prop-token-0c1d2e3f4a5b6c7d';
const LIMIT = 64 * 1024;
const RUNS = 1_000;

let model: ModelServer;
let invoker: HttpInvoker;
let gateway: LocalGateway;
let agent: Agent;

beforeAll(async () => {
  model = await startModelServer();
  invoker = createHttpInvoker({ url: model.url });
  const handler = createHandler({ inputSchema, outputSchema, token: TOKEN, invoker, maxBodyBytes: LIMIT, timeoutMs: 5_000, log: () => undefined });
  gateway = await startLocalGateway({ handler, maxBodyBytes: LIMIT });
  agent = new Agent({ connections: 8 });
});

afterAll(async () => {
  await agent?.close();
  await gateway?.close();
  await invoker?.close();
  await model?.close();
});

// An independent oracle of "valid input", compiled apart from the handler's.
const isValidInput = new Ajv({ allErrors: true }).compile(inputSchema);
const isValidOutput = new Ajv({ allErrors: true }).compile(outputSchema);

const printable = (max: number) => fc.stringMatching(new RegExp(`^[\\x20-\\x7e]{0,${max}}$`));
const measure = fc.oneof(fc.double({ min: 0, max: 100, noNaN: true }), fc.integer({ min: 0, max: 100 }));
const flower = fc.record({ sepal_length: measure, sepal_width: measure, petal_length: measure, petal_width: measure });
const validRequest = fc.record({ instances: fc.array(flower, { minLength: 1, maxLength: 5 }) });

/** A valid request broken (or not) in one of the ways clients break them. */
const mutatedRequest = fc.tuple(validRequest, fc.nat(), fc.jsonValue(), fc.string({ maxLength: 12 })).map(([request, pick, value, key]) => {
  const doc = structuredClone(request) as { instances: Record<string, unknown>[] } & Record<string, unknown>;
  const instance = doc.instances[pick % doc.instances.length];
  const field = Object.keys(instance)[pick % 4];
  switch (pick % 9) {
    case 0:
      delete instance[field];
      break;
    case 1:
      instance[field] = value;
      break;
    case 2:
      instance[key || 'extra'] = value;
      break;
    case 3:
      instance[field] = pick % 2 ? -0.001 - (pick % 7) : 100.001 + (pick % 7);
      break;
    case 4:
      doc.instances = [];
      break;
    case 5:
      (doc as Record<string, unknown>)[key || 'extra'] = value;
      break;
    case 6:
      return JSON.stringify([doc]);
    case 7:
      instance[field] = String(instance[field]);
      break;
  }
  return JSON.stringify(doc);
});

const body = fc.oneof(
  { weight: 4, arbitrary: validRequest.map((r) => JSON.stringify(r)) },
  mutatedRequest,
  mutatedRequest.chain((text) => fc.nat({ max: text.length }).map((n) => text.slice(0, n))),
  fc.jsonValue().map((v) => JSON.stringify(v) ?? 'null'),
  fc.uint8Array({ maxLength: 2_048 }).map((bytes) => Buffer.from(bytes)),
  fc.integer({ min: LIMIT - 64, max: LIMIT * 3 }).map((n) => `"${'x'.repeat(n)}"`),
  fc.constant(''),
);

// Weighted so that a good share of requests is valid and reaches the model.
const authorization = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(`Bearer ${TOKEN}`, `bearer ${TOKEN}`, `BEARER   ${TOKEN}`) },
  { weight: 2, arbitrary: fc.constantFrom(undefined, 'Bearer', `Basic ${TOKEN}`, `Bearer ${TOKEN}x`, `Bearer ${TOKEN.toUpperCase()}`, `Bearer ${TOKEN} ${TOKEN}`) },
  { weight: 1, arbitrary: printable(80) },
  { weight: 1, arbitrary: printable(80).map((t) => `Bearer ${t}`) },
);

const contentType = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON') },
  { weight: 2, arbitrary: fc.constantFrom(undefined, 'text/plain', 'application/xml', 'application/json; charset=latin1', 'multipart/form-data; boundary=x', '') },
  { weight: 1, arbitrary: printable(60) },
);

const target = fc.oneof(
  { weight: 6, arbitrary: fc.constant({ method: 'POST', path: '/invocations' }) },
  { weight: 1, arbitrary: fc.constantFrom({ method: 'GET', path: '/ping' }, { method: 'GET', path: '/schema' }, { method: 'GET', path: '/invocations' }, { method: 'PUT', path: '/schema' }) },
  { weight: 1, arbitrary: fc.record({ method: fc.constantFrom('GET', 'POST', 'DELETE', 'PATCH'), path: printable(40).map((p) => `/${encodeURIComponent(p)}`) }) },
);

function* chunks(bytes: Buffer) {
  for (let i = 0; i < bytes.length; i += 16_384) yield bytes.subarray(i, i + 16_384);
}

const ROUTES: Record<string, string | undefined> = { '/ping': 'GET', '/schema': 'GET', '/invocations': 'POST' };
const validAuth = (header: string | undefined) => header !== undefined && /^bearer +/i.test(header) && header.replace(/^bearer +/i, '') === TOKEN;
const jsonType = (header: string | undefined) => header !== undefined && /^application\/json(; charset=utf-8)?$/i.test(header);

it(`answers ${RUNS} random, mutated and hostile requests with a JSON 2xx/4xx, and serves on`, async () => {
  let reachedModel = 0;
  const before = model.invocations;
  await fc.assert(
    fc.asyncProperty(target, authorization, contentType, body, fc.boolean(), async ({ method, path }, auth, type, payload, stream) => {
      const headers: Record<string, string> = {};
      if (auth !== undefined) headers.authorization = auth;
      if (type !== undefined) headers['content-type'] = type;
      const bytes = Buffer.isBuffer(payload) ? payload : Buffer.from(payload, 'utf8');
      const sendBody = method !== 'GET' && bytes.length > 0;
      const res = await request(`${gateway.url}${path}`, {
        method,
        headers,
        dispatcher: agent,
        // Streamed bodies have no Content-Length: the adapter must count while reading.
        body: sendBody ? (stream ? Readable.from(chunks(bytes)) : bytes) : undefined,
      });
      const text = await res.body.text();
      expect(res.statusCode).toBeLessThan(500);
      expect(res.headers['content-type']).toBe('application/json');
      const answer = JSON.parse(text) as Record<string, unknown>;

      if (!validAuth(auth)) return void expect(res.statusCode).toBe(401);
      const route = path.length > 1 ? path.replace(/\/+$/, '') : path;
      const allowed = ROUTES[route];
      if (!allowed) return void expect(res.statusCode).toBe(404);
      if (allowed !== method) return void expect(res.statusCode).toBe(405);
      if (method === 'GET') return void expect(res.statusCode).toBe(200);

      let parsed: unknown = undefined;
      try {
        parsed = JSON.parse(bytes.toString('utf8'));
      } catch {
        // not JSON: must be refused
      }
      const valid = jsonType(type) && bytes.length <= LIMIT && Buffer.from(bytes.toString('utf8'), 'utf8').equals(bytes) && parsed !== undefined && isValidInput(parsed);
      if (valid) {
        reachedModel += 1;
        expect(res.statusCode).toBe(200);
        expect(isValidOutput(answer)).toBe(true);
      } else {
        expect([400, 413, 415]).toContain(res.statusCode);
        expect(typeof answer.error).toBe('string');
      }
    }),
    { numRuns: RUNS },
  );
  // Only valid requests reached the model.
  expect(model.invocations - before).toBe(reachedModel);
  expect(reachedModel).toBeGreaterThan(50);

  const res = await request(`${gateway.url}/invocations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(irisRequest(3)),
  });
  expect(res.statusCode).toBe(200);
  expect(isValidOutput(await res.body.json())).toBe(true);
}, 180_000);

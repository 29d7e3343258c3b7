import Ajv from 'ajv';
import fc from 'fast-check';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createHandler } from './handler';
import { createHttpInvoker, type HttpInvoker } from './invoke-http';
import { startLocalGateway, type LocalGateway } from './local-server';
import { expectDocumentedAnswer, hostileRequests, requestOracle, sendRequest } from './testing/hostile-requests';
import { validIrisRequest } from './testing/iris-requests';
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

const requests = hostileRequests({ token: TOKEN, maxBodyBytes: LIMIT, validRequest: validIrisRequest });
// The oracle compiles its own validator, apart from the handler's.
const expected = requestOracle({ token: TOKEN, maxBodyBytes: LIMIT, inputSchema });
const isValidOutput = new Ajv({ allErrors: true }).compile(outputSchema);

it(`answers ${RUNS} random, mutated and hostile requests with a JSON 2xx/4xx, and serves on`, async () => {
  let reachedModel = 0;
  const before = model.invocations;
  await fc.assert(
    fc.asyncProperty(requests, async (req) => {
      const expectation = expected(req);
      expectDocumentedAnswer(await sendRequest(gateway.url, req, agent), expectation, { token: TOKEN, inputSchema, isValidOutput });
      if (expectation.status === 200 && expectation.route === '/invocations') reachedModel += 1;
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

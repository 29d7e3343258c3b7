import Ajv from 'ajv';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isDeepStrictEqual } from 'node:util';

export type GatewayMode =
  /** What the real gateway does: 401 without the token, 400 on schema violations, answers from the examples. */
  | 'correct'
  /** Correct, but the model answers a label the output schema does not allow. */
  | 'bad-output'
  /** 200 to everything: no auth, no input validation. */
  | 'accept-all'
  /** Correct, but every number of the answer is shifted by `drift`. */
  | 'drift';

export interface TestGateway {
  url: string;
  token: string;
  requests: number;
  close(): Promise<void>;
}

interface ExampleLike {
  request: unknown;
  response?: unknown;
}

/** The answer with every probability moved by `by` (class ids stay integers). */
function shift(value: unknown, by: number): unknown {
  if (typeof value === 'number') return value + by;
  if (Array.isArray(value)) return value.map((v) => shift(v, by));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === 'class_id' ? v : shift(v, by)]));
  }
  return value;
}

/** A loopback HTTP server standing in for the preview's gateway. */
export async function startGateway(options: { mode: GatewayMode; inputSchema: object; examples: ExampleLike[]; drift?: number }): Promise<TestGateway> {
  const token = 'test-token-0123456789abcdef';
  const validate = new Ajv({ allErrors: true, strict: false }).compile(options.inputSchema);
  const fallback = options.examples[0].response;
  const state = { requests: 0 };

  const server: Server = createServer((req, res) => {
    state.requests++;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.method === 'GET' && req.url === '/ping') return send(200, { status: 'ok' });
      if (req.method !== 'POST' || req.url !== '/invocations') return send(404, { error: 'not found' });
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return send(400, { error: 'invalid JSON' });
      }
      const answer = options.examples.find((e) => isDeepStrictEqual(e.request, body))?.response ?? fallback;
      if (options.mode === 'accept-all') return send(200, answer);
      if (req.headers.authorization !== `Bearer ${token}`) return send(401, { error: 'unauthorized' });
      if (!validate(body)) return send(400, { error: 'request does not match the input schema', details: validate.errors });
      if (options.mode === 'bad-output') return send(200, { predictions: [{ label: 'daisy', class_id: 0, probabilities: { setosa: 1, versicolor: 0, virginica: 0 } }] });
      if (options.mode === 'drift') return send(200, shift(answer, options.drift ?? 0));
      return send(200, answer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    get requests() {
      return state.requests;
    },
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}

import type { Example } from '@ephenv/core';
import { randomBytes } from 'node:crypto';
import type { CompiledSchema } from './static-checks';
import type { CheckResult } from './types';
import { describeErrors } from '@ephenv/core/schema';
import { differences } from './lib/compare-within';
import { deriveInvalidRequests } from './lib/derive-invalid-requests';
import { call, type HttpAnswer } from './lib/http';

export interface LiveTarget {
  /** The preview's base URL (the gateway), e.g. http://127.0.0.1:4100. */
  url: string;
  token: string;
}

export interface LiveOptions {
  target: LiveTarget;
  examples: Example[];
  input: CompiledSchema;
  output: CompiledSchema;
  /** Absolute tolerance when comparing numbers of an answer with the expected response. */
  tolerance: number;
  /** Per call; a slow model is a finding of the benchmark, not a reason to hang here. */
  timeoutMs?: number;
  /** For the hints in messages (`npx nx run <project>:deploy-preview`). */
  project: string;
}

const snippet = (text: string) => (text.length > 300 ? `${text.slice(0, 297)}...` : text).replace(/\s+/g, ' ');
const took = (a: HttpAnswer) => `HTTP ${a.status} in ${a.latencyMs} ms`;

/**
 * Checks a running preview through its gateway: every example answers 200 with a body valid
 * against the output schema and equal to the expected response (numbers within the tolerance);
 * requests the input schema rejects get 400; no token or a wrong token gets 401. Each check's
 * duration is the latency of its call.
 */
export async function runLiveChecks(options: LiveOptions): Promise<CheckResult[]> {
  const { target, examples, input, output, tolerance, project } = options;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const base = target.url.replace(/\/+$/, '');
  const invocations = `${base}/invocations`;
  const checks: CheckResult[] = [];

  const run = async (name: string, send: () => Promise<HttpAnswer>, judge: (a: HttpAnswer) => Omit<CheckResult, 'part' | 'name' | 'durationMs'>) => {
    try {
      const answer = await send();
      checks.push({ part: 'live', name, durationMs: answer.latencyMs, ...judge(answer) });
    } catch (e) {
      checks.push({ part: 'live', name, status: 'fail', durationMs: 0, message: `no answer from ${base}: ${describeNetworkError(e)}` });
    }
  };

  await run('preview answers', () => call({ method: 'GET', url: `${base}/ping`, timeoutMs }), (a) => ({ status: 'pass', message: `GET /ping: ${took(a)}` }));
  if (checks[0].status === 'fail') {
    checks[0].message += `; is the preview up? Start it with: npx nx run ${project}:deploy-preview`;
    return checks;
  }

  const sample = examples.find((e) => input.validate(e.request))?.request;
  if (sample === undefined) {
    checks.push({ part: 'live', name: 'examples', status: 'skip', durationMs: 0, message: 'no example request matches the input schema: fix the static checks first' });
    return checks;
  }

  const expect401 = (a: HttpAnswer) =>
    a.status === 401
      ? { status: 'pass' as const, message: took(a) }
      : { status: 'fail' as const, message: `expected 401, got ${took(a)}: the gateway must refuse requests without the preview's token`, details: [snippet(a.text)] };
  await run('401 without a token', () => call({ method: 'POST', url: invocations, body: sample, timeoutMs }), expect401);
  await run('401 with a wrong token', () => call({ method: 'POST', url: invocations, token: wrongToken(target.token), body: sample, timeoutMs }), expect401);

  for (const example of examples) {
    await run(`example ${example.name}`, () => call({ method: 'POST', url: invocations, token: target.token, body: example.request, timeoutMs }), (a) => judgeExample(example, a, output, tolerance));
  }

  for (const invalid of deriveInvalidRequests(input.schema, sample, input.validate)) {
    await run(`400 for ${invalid.name}`, () => call({ method: 'POST', url: invocations, token: target.token, body: invalid.body, timeoutMs }), (a) =>
      a.status === 400
        ? { status: 'pass', message: took(a) }
        : {
            status: 'fail',
            message: a.status >= 200 && a.status < 300
              ? `expected 400, got ${took(a)}: the gateway let through a request the input schema rejects; it must answer 400 before the model sees it`
              : `expected 400, got ${took(a)}`,
            details: [`request: ${snippet(JSON.stringify(invalid.body))}`, `answer: ${snippet(a.text)}`],
          },
    );
  }
  return checks;
}

function judgeExample(example: Example, a: HttpAnswer, output: CompiledSchema, tolerance: number): Omit<CheckResult, 'part' | 'name' | 'durationMs'> {
  if (a.status !== 200) return { status: 'fail', message: `expected 200, got ${took(a)}: ${snippet(a.text)}` };
  if (a.json === undefined) return { status: 'fail', message: `the answer is not JSON (${took(a)}): ${snippet(a.text)}` };
  if (!output.validate(a.json)) {
    const errors = describeErrors(output.validate.errors);
    return { status: 'fail', message: `the answer violates the output schema: ${errors[0]}`, details: [...errors, `answer: ${snippet(a.text)}`] };
  }
  if (!('response' in example)) return { status: 'warn', message: `${took(a)}, valid; no expected response in the example to compare with` };
  const diffs = differences(example.response, a.json, tolerance);
  if (diffs.length > 0) return { status: 'fail', message: `the answer differs from the expected response: ${diffs[0]}`, details: diffs };
  return { status: 'pass', message: `${took(a)}, valid and as expected` };
}

/** A token of the same shape that is certainly not the preview's. */
function wrongToken(token: string): string {
  const candidate = randomBytes(Math.max(16, Math.ceil(token.length / 2))).toString('hex').slice(0, Math.max(32, token.length));
  return candidate === token ? `${candidate}x` : candidate;
}

function describeNetworkError(e: unknown): string {
  const err = e as { code?: string; name?: string; message?: string; cause?: { code?: string } };
  if (err.name === 'TimeoutError' || err.code === 'UND_ERR_HEADERS_TIMEOUT') return 'timed out';
  return err.code ?? err.cause?.code ?? err.message ?? String(e);
}

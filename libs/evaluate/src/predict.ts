import type { EvaluateConfig } from '@ephenv/core';
import { performance } from 'node:perf_hooks';
import { Agent, request } from 'undici';
import type { EvalRow } from './dataset';
import type { Label } from './metrics/labels';

/** One model's answer for one example. */
export interface Prediction {
  label?: Label;
  probabilities?: Record<string, number>;
  value?: number;
}

export interface Endpoint {
  /** Who answers: "PR preview", "base (main)". */
  role: string;
  /** Base URL; POST <url>/invocations. */
  url: string;
  /** Bearer token; none for the baseline's own model server on loopback. */
  token?: string;
}

export interface Timing {
  /** Wall time of the whole prediction run. */
  totalMs: number;
  /** Time spent in ephenv's own code: building request bodies, parsing and reading answers. */
  ephenvMs: number;
  requests: number;
}

export class EvaluateError extends Error {
  override name = 'EvaluateError';
}

const snippet = (text: string) => (text.length > 300 ? `${text.slice(0, 297)}...` : text).replace(/\s+/g, ' ');

function networkReason(e: unknown): string {
  const err = e as { code?: string; name?: string; message?: string; cause?: { code?: string } };
  if (err.name === 'TimeoutError' || err.code === 'UND_ERR_HEADERS_TIMEOUT') return 'timed out';
  return err.code ?? err.cause?.code ?? err.message ?? String(e);
}

/** Reads one prediction from an answer, as ephenv.json `evaluate.response` says where things are. */
function readPrediction(p: unknown, c: EvaluateConfig): Prediction {
  const r = c.response;
  if (c.task === 'regression') {
    const value = typeof p === 'number' ? p : p !== null && typeof p === 'object' ? (p as Record<string, unknown>)[r.valueKey] : undefined;
    if (typeof value !== 'number') throw new Error(`a prediction is a number or an object with a number "${r.valueKey}" (evaluate.response.valueKey); got ${snippet(JSON.stringify(p))}`);
    return { value };
  }
  if (typeof p === 'string' || typeof p === 'number') return { label: p };
  const o = (p ?? {}) as Record<string, unknown>;
  const label = o[r.labelKey];
  if (typeof label !== 'string' && typeof label !== 'number') {
    throw new Error(`a prediction is a class or an object with a class in "${r.labelKey}" (evaluate.response.labelKey); got ${snippet(JSON.stringify(p))}`);
  }
  const probs = o[r.probabilitiesKey];
  return allNumbers(probs) ? { label, probabilities: probs } : { label };
}

/** An object whose every value is a number (checked in place: no array per prediction). */
function allNumbers(o: unknown): o is Record<string, number> {
  if (o === null || typeof o !== 'object') return false;
  for (const k in o) if (typeof (o as Record<string, unknown>)[k] !== 'number') return false;
  return true;
}

// Request bodies by data set and batching: the PR's preview and the baseline are sent the same
// batches, so each body is serialized once for both (held as long as the rows are).
const bodies = new WeakMap<EvalRow[], Map<string, string>>();

function batchBody(rows: EvalRow[], b: number, batch: EvalRow[], config: EvaluateConfig): string {
  let known = bodies.get(rows);
  if (!known) bodies.set(rows, (known = new Map()));
  const key = `${config.data.instancesKey}/${config.batchSize}/${b}`;
  let body = known.get(key);
  if (body === undefined) {
    body = JSON.stringify({ [config.data.instancesKey]: batch.map((r) => r.instance) });
    known.set(key, body);
  }
  return body;
}

/**
 * Sends every example to one model in batches of `batchSize` instances, at most `concurrency`
 * requests in flight, and returns the predictions in the data file's order. Any failure (no
 * answer, a non-200 status, an answer of the wrong shape) stops the run with an error naming the
 * model, the batch and the lines of the data file.
 */
export async function predict(endpoint: Endpoint, rows: EvalRow[], config: EvaluateConfig, options: { timeoutMs?: number; onBatch?: (done: number, total: number) => void } = {}): Promise<{ predictions: Prediction[]; timing: Timing }> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const url = `${endpoint.url.replace(/\/+$/, '')}/invocations`;
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (endpoint.token) headers.authorization = `Bearer ${endpoint.token}`;
  const batches: EvalRow[][] = [];
  for (let i = 0; i < rows.length; i += config.batchSize) batches.push(rows.slice(i, i + config.batchSize));

  const predictions: Prediction[] = new Array(rows.length);
  const agent = new Agent({ connections: config.concurrency, keepAliveTimeout: 10_000 });
  const started = performance.now();
  let ephenvMs = 0;
  let next = 0;
  let done = 0;
  let failed: Error | undefined;

  const sendBatch = async (b: number) => {
    const batch = batches[b];
    const where = `batch ${b + 1} of ${batches.length} (data lines ${batch[0].line}-${batch[batch.length - 1].line})`;
    let t = performance.now();
    const body = batchBody(rows, b, batch, config);
    ephenvMs += performance.now() - t;
    let status: number;
    let text: string;
    try {
      const res = await request(url, { method: 'POST', headers, body, dispatcher: agent, headersTimeout: timeoutMs, bodyTimeout: timeoutMs, signal: AbortSignal.timeout(timeoutMs) });
      status = res.statusCode;
      text = await res.body.text();
    } catch (e) {
      throw new EvaluateError(`the ${endpoint.role} at ${endpoint.url} stopped answering during the evaluation (${where}: ${networkReason(e)}); is it still running?`);
    }
    t = performance.now();
    if (status !== 200) throw new EvaluateError(`the ${endpoint.role} answered HTTP ${status} to ${where}: ${snippet(text)}`);
    try {
      const answer = JSON.parse(text) as Record<string, unknown>;
      const list = answer?.[config.response.predictionsKey];
      if (!Array.isArray(list)) throw new Error(`the answer has no "${config.response.predictionsKey}" array (evaluate.response.predictionsKey): ${snippet(text)}`);
      if (list.length !== batch.length) throw new Error(`${batch.length} instances sent, ${list.length} predictions answered`);
      const offset = b * config.batchSize;
      for (let i = 0; i < list.length; i++) predictions[offset + i] = readPrediction(list[i], config);
    } catch (e) {
      throw new EvaluateError(`the ${endpoint.role}'s answer to ${where} cannot be read: ${(e as Error).message}`);
    }
    ephenvMs += performance.now() - t;
  };

  const worker = async () => {
    while (!failed && next < batches.length) {
      const b = next++;
      try {
        await sendBatch(b);
        options.onBatch?.(++done, batches.length);
      } catch (e) {
        failed ??= e as Error;
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(config.concurrency, batches.length) }, worker));
  } finally {
    await agent.close();
  }
  if (failed) throw failed;
  return { predictions, timing: { totalMs: performance.now() - started, ephenvMs, requests: batches.length } };
}

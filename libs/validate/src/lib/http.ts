import { performance } from 'node:perf_hooks';
import { request } from 'undici';

export interface HttpAnswer {
  status: number;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json?: unknown;
  text: string;
  latencyMs: number;
}

export interface Call {
  method: 'GET' | 'POST';
  url: string;
  token?: string;
  body?: unknown;
  timeoutMs: number;
}

/** One HTTP call to the preview; throws only when no answer came (refused, timed out). */
export async function call({ method, url, token, body, timeoutMs }: Call): Promise<HttpAnswer> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const started = performance.now();
  const res = await request(url, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.body.text();
  const latencyMs = Math.round((performance.now() - started) * 100) / 100;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.statusCode, text, latencyMs, ...(json !== undefined && { json }) };
}

/** Whether anything answers HTTP at `url` (any status counts: the gateway may want a token everywhere). */
export async function answers(url: string, timeoutMs = 2000): Promise<boolean> {
  try {
    await call({ method: 'GET', url: `${url.replace(/\/+$/, '')}/ping`, timeoutMs });
    return true;
  } catch {
    return false;
  }
}

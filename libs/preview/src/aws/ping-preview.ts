import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';

export type PingOutcome = { ok: true; ms: number } | { ok: false; skipped: true; reason: string };

export interface PingRequest {
  /** The API's invoke URL (output api_url), ending in a slash. */
  apiUrl: string;
  token: string;
  timeoutMs: number;
  /** True when AWS_ENDPOINT_URL points at an emulator, which does not serve execute-api hostnames. */
  emulator: boolean;
}

const NETWORK_ERRORS = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'ECONNRESET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_SOCKET']);

/**
 * GET /ping through the preview's public URL with its token, retried until 200 or the timeout
 * (a fresh API and a cold serverless endpoint take a moment). Against an emulator the URL names a
 * real AWS host that is not reachable: that is reported as skipped, not as a failure.
 */
export async function pingPreview(ping: PingRequest): Promise<PingOutcome> {
  const url = new URL('ping', ping.apiUrl.endsWith('/') ? ping.apiUrl : `${ping.apiUrl}/`).toString();
  const started = Date.now();
  let last = 'no answer yet';
  for (;;) {
    try {
      const res = await request(url, { headers: { authorization: `Bearer ${ping.token}` }, headersTimeout: 10_000, bodyTimeout: 10_000 });
      const body = await res.body.text();
      if (res.statusCode === 200) return { ok: true, ms: Date.now() - started };
      last = `${res.statusCode} ${body.slice(0, 300)}`;
    } catch (e) {
      const code = (e as { code?: string; cause?: { code?: string } }).code ?? (e as { cause?: { code?: string } }).cause?.code;
      if (ping.emulator && code && NETWORK_ERRORS.has(code)) {
        return { ok: false, skipped: true, reason: `${url} is not reachable from here (${code}); the AWS emulator does not serve execute-api URLs` };
      }
      last = (e as Error).message;
    }
    if (Date.now() - started >= ping.timeoutMs) {
      throw new Error(`the preview did not answer GET ${url} with 200 within ${Math.round(ping.timeoutMs / 1000)} s (last: ${last})`);
    }
    await sleep(2000);
  }
}

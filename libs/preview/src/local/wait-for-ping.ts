import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';

export interface WaitOptions {
  url: string;
  headers?: Record<string, string>;
  timeoutMs: number;
  /** Resolves (to the exit code) if the process behind the URL exits while we wait. */
  exited?: Promise<number | null>;
}

export type WaitOutcome = { ok: true; ms: number } | { ok: false; reason: string };

/** Polls `url` until it answers 200, the process exits, or the timeout passes. */
export async function waitForPing(options: WaitOptions): Promise<WaitOutcome> {
  const started = Date.now();
  let exitCode: number | null | undefined;
  let exited = false;
  options.exited?.then((code) => {
    exited = true;
    exitCode = code;
  });
  let last = 'no answer yet';
  while (Date.now() - started < options.timeoutMs) {
    if (exited) return { ok: false, reason: `the process exited (code ${exitCode ?? 'unknown'}) before ${options.url} answered 200` };
    try {
      const res = await request(options.url, { headers: options.headers, headersTimeout: 2000, bodyTimeout: 2000 });
      const body = await res.body.text();
      if (res.statusCode === 200) return { ok: true, ms: Date.now() - started };
      last = `last answer ${res.statusCode} ${body.slice(0, 200)}`;
    } catch (e) {
      last = `last attempt: ${(e as Error).message}`;
    }
    await sleep(100);
  }
  return { ok: false, reason: `${options.url} did not answer 200 within ${Math.round(options.timeoutMs / 1000)}s (${last})` };
}

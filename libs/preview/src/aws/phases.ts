import type { Logger } from '@ephenv/core';

/** Runs the steps of a deploy, one after another or side by side, reporting each with its duration. */
export class Phases {
  readonly timings: Record<string, number> = {};

  constructor(
    private readonly label: string,
    private readonly log: Logger,
  ) {}

  async run<T>(name: string, step: () => Promise<T>, detail?: (result: T) => string): Promise<T> {
    const started = performance.now();
    const result = await step();
    const ms = Math.round(performance.now() - started);
    this.timings[name] = ms;
    const note = detail?.(result);
    this.log.info(`ephenv: ${this.label}: ${name.padEnd(7)} ${seconds(ms).padStart(7)}${note ? `  ${note}` : ''}`);
    return result;
  }
}

export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/**
 * Waits for every step, even when one fails, so that no Terraform run or build goes on behind a
 * failed deploy; then fails with the first error.
 */
export async function whenAllDone<T extends readonly unknown[] | []>(steps: T): Promise<{ -readonly [P in keyof T]: Awaited<T[P]> }> {
  const results = (await Promise.allSettled(steps)) as PromiseSettledResult<unknown>[];
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<unknown>).value) as { -readonly [P in keyof T]: Awaited<T[P]> };
}

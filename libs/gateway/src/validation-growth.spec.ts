import { describe, expect, it } from 'vitest';
import { createHandler } from './handler';
import type { HttpApiEvent } from './http-event';
import { createHttpInvoker } from './invoke-http';
import { inputSchema, outputSchema } from './testing/model-server';

// How the gateway's own time grows with the body, for the bodies a hostile client would pick.
// Each shape is measured at sizes ten times apart, in one run, as the median CPU time of several
// calls (CPU time, not wall time: other processes on a loaded machine do not count). Linear growth
// gives a ratio of at most 10 per step; quadratic growth (ajv's allErrors error lists, as before)
// gives about 100. One step may cost up to 4× more than linear (a document that no longer fits
// V8's young generation is promoted once, a step in garbage-collection cost, not a trend); over
// the whole range the growth must stay within 3× of linear.
const TOKEN = 'growth-token-1f2e3d4c5b6a';
const RUNS = 5;
const STEP = 10;
const STEP_TOLERANCE = 4;
const RANGE_TOLERANCE = 3;

// The model is never reached: every body here is refused. The invoker is a real one, pointed nowhere.
const invoker = createHttpInvoker({ url: 'http://127.0.0.1:9' });
const unbounded = structuredClone(inputSchema) as { properties: { instances: Record<string, unknown> } };
delete unbounded.properties.instances.maxItems;

const gateways = {
  // The generated schema: instances capped at 1000 (the batch limit).
  generated: createHandler({ inputSchema, outputSchema, token: TOKEN, invoker, maxBodyBytes: 64 * 1024 * 1024, log: () => undefined }),
  // No maxItems and no batch cap to speak of: every item goes through the parser, the pre-check and the validator.
  unbounded: createHandler({ inputSchema: unbounded, outputSchema, token: TOKEN, invoker, maxBodyBytes: 64 * 1024 * 1024, maxArrayItems: 10_000_000, log: () => undefined }),
};

const valid = '{"sepal_length":5.1,"sepal_width":3.5,"petal_length":1.4,"petal_width":0.2}';
const invalid = '{"sepal_length":"x","sepal_width":-1,"petal_length":null,"extra":true}';
const repeat = (item: string, n: number) => Array(n).fill(item).join(',');

const shapes: { name: string; gateway: keyof typeof gateways; sizes: number[]; body: (n: number) => string; status: number }[] = [
  { name: 'an array of numbers (the 4 MB attack)', gateway: 'generated', sizes: [1_000, 10_000, 100_000, 1_000_000], body: (n) => `{"instances":[${repeat('1', n)}]}`, status: 400 },
  { name: 'an array of numbers, no schema cap', gateway: 'unbounded', sizes: [1_000, 10_000, 100_000, 1_000_000], body: (n) => `{"instances":[${repeat('1', n)}]}`, status: 400 },
  { name: 'every item invalid', gateway: 'unbounded', sizes: [1_000, 10_000, 100_000], body: (n) => `{"instances":[${repeat(invalid, n)}]}`, status: 400 },
  { name: 'valid items, the last one invalid', gateway: 'unbounded', sizes: [1_000, 10_000, 100_000], body: (n) => `{"instances":[${repeat(valid, n - 1)},${invalid}]}`, status: 400 },
  // V8's own JSON.parse grows faster than linearly with an object's key count: such objects are refused before parsing.
  { name: 'a wide object', gateway: 'generated', sizes: [1_000, 10_000, 100_000, 1_000_000], body: (n) => `{"instances":[{${Array.from({ length: n }, (_, i) => `"k${i}":1`).join(',')}}]}`, status: 400 },
  { name: 'deep nesting', gateway: 'unbounded', sizes: [1_000, 10_000, 100_000], body: (n) => `{"instances":[${'['.repeat(n)}${']'.repeat(n)}]}`, status: 400 },
];

function event(body: string): HttpApiEvent {
  return { rawPath: '/invocations', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, requestContext: { http: { method: 'POST' } }, body };
}

/** Median CPU time (µs) of one call, after a warm-up call. */
async function cpuMicros(gateway: (typeof gateways)[keyof typeof gateways], body: string, status: number): Promise<number> {
  const times: number[] = [];
  for (let run = 0; run <= RUNS; run++) {
    const before = process.cpuUsage();
    const result = await gateway(event(body));
    const used = process.cpuUsage(before);
    expect(result.statusCode).toBe(status);
    if (run > 0) times.push(used.user + used.system);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
}

describe('the gateway refuses hostile bodies in time at most linear in their size', () => {
  it.each(shapes)('$name', async ({ gateway, sizes, body, status }) => {
    const figures: { items: number; bytes: number; cpuMs: number }[] = [];
    for (const n of sizes) {
      const text = body(n);
      figures.push({ items: n, bytes: text.length, cpuMs: (await cpuMicros(gateways[gateway], text, status)) / 1000 });
    }
    console.log(JSON.stringify(figures));
    // A floor of 1 ms on the smaller size: below that a ratio measures the clock, not the gateway.
    for (let i = 1; i < figures.length; i++) {
      const ratio = figures[i].cpuMs / Math.max(figures[i - 1].cpuMs, 1);
      expect(ratio, `${figures[i - 1].items} → ${figures[i].items} items: ${JSON.stringify(figures)}`).toBeLessThanOrEqual(STEP * STEP_TOLERANCE);
    }
    const whole = figures[figures.length - 1].cpuMs / Math.max(figures[0].cpuMs, 1);
    expect(whole, JSON.stringify(figures)).toBeLessThanOrEqual(STEP ** (figures.length - 1) * RANGE_TOLERANCE);
  }, 300_000);
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { timelineFromK6Json } from '../src/k6-timeline';
import { percentileOfSorted } from '../src/sinks';
import { histogramQuantile, LATENCY_BOUNDS_MS, TimelineRecorder } from '../src/timeline';

/** Deterministic pseudo-random latencies (ms): a log-normal-ish spread from ~1 ms to ~1 s. */
function* latencies(n: number, seed = 42): Generator<number> {
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    yield Math.exp((x / 2 ** 31) * 7);
  }
}

describe('the per-second timeline', () => {
  it('buckets requests by the second they ended, with errors and quantiles per second', () => {
    const r = new TimelineRecorder();
    r.record(100, 10, false);
    r.record(900, 30, true);
    r.record(2500, 20, false);
    const t = r.toJSON();
    expect(t.t).toEqual([0, 1, 2]);
    expect(t.requests).toEqual([2, 0, 1]);
    expect(t.errors).toEqual([1, 0, 0]);
    expect(t.p50[1]).toBe(0);
    expect(t.histogram.counts.reduce((a, b) => a + b, 0)).toBe(3);
    expect(t.histogram.boundsMs).toEqual(LATENCY_BOUNDS_MS);
  });

  it('estimates p50/p95/p99 within one bin (25%) of the exact percentiles', () => {
    const values = [...latencies(20_000)];
    const r = new TimelineRecorder();
    for (const v of values) r.record(0, v, false);
    const sorted = Float64Array.from(values).sort();
    const t = r.toJSON();
    for (const [f, estimate] of [[0.5, t.p50[0]], [0.95, t.p95[0]], [0.99, t.p99[0]]] as const) {
      const exact = percentileOfSorted(sorted, sorted.length, f);
      expect(Math.abs(estimate - exact) / exact, `p${f * 100}`).toBeLessThan(0.25);
    }
    expect(histogramQuantile(new Uint32Array(LATENCY_BOUNDS_MS.length + 1), 0, 0.5)).toBe(0);
  });

  // The memory grows with the seconds of the run (one fixed-size bucket each), never with requests.
  it('keeps one fixed-size bucket per second: 600 for 10 minutes, whatever the request rate', () => {
    const measure = (seconds: number, perSecond: number) => {
      const r = new TimelineRecorder();
      const gen = latencies(seconds * perSecond);
      for (let i = 0; i < seconds * perSecond; i++) r.record((i / perSecond) * 1000, gen.next().value as number, false);
      return { buckets: r.bucketCount(), bytes: r.bytes(), json: JSON.stringify(r.toJSON()).length };
    };
    const slow = measure(600, 10);
    const fast = measure(600, 200);
    const short = measure(60, 200);
    console.log(`timeline: 600 s at 10 req/s: ${slow.buckets} buckets, ${slow.bytes} B; at 200 req/s: ${fast.buckets} buckets, ${fast.bytes} B; 60 s: ${short.bytes} B; JSON ${fast.json} chars`);
    expect(slow.buckets).toBe(600);
    expect(fast).toMatchObject({ buckets: 600, bytes: slow.bytes });
    expect(short.buckets).toBe(60);
    expect(fast.bytes).toBe(short.bytes + 540 * (LATENCY_BOUNDS_MS.length + 1) * 4);
  });

  it("reads the same buckets from k6's JSON output, streamed", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ephenv-k6-json-'));
    try {
      const file = join(dir, 'samples.json');
      const point = (metric: string, at: string, value: number, expected = 'true') =>
        JSON.stringify({ type: 'Point', metric, data: { time: at, value, tags: { expected_response: expected, status: expected === 'true' ? '200' : '500' } } });
      writeFileSync(
        file,
        [
          JSON.stringify({ type: 'Metric', data: { name: 'http_req_duration', type: 'trend' }, metric: 'http_req_duration' }),
          point('http_req_duration', '2026-12-04T15:00:00.100Z', 12),
          point('http_req_waiting', '2026-12-04T15:00:00.100Z', 11),
          point('http_req_duration', '2026-12-04T15:00:00.700Z', 40, 'false'),
          point('http_req_duration', '2026-12-04T15:00:02.300Z', 15),
          '',
        ].join('\n'),
      );
      const t = (await timelineFromK6Json(file)).toJSON();
      expect(t.requests).toEqual([2, 0, 1]);
      expect(t.errors).toEqual([1, 0, 0]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

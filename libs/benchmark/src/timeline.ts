import type { Timeline } from '@ephenv/core';
export type { Timeline };
/**
 * The benchmark over time, for the HTML report: per second of the run, how many requests ended,
 * how many failed, and their latency quantiles; plus the whole run's latency histogram. Memory is
 * fixed per second of run (a small histogram), never per request: a 10-minute run is 600 buckets
 * whatever its request rate. Both engines feed it: the embedded engine as requests complete, k6
 * from its JSON output (k6-timeline.ts).
 */

/** Upper bounds (ms) of the histogram bins: 0.1 ms to 60 s, each 25% wider than the last; one more bin above. */
export const LATENCY_BOUNDS_MS: readonly number[] = (() => {
  const bounds: number[] = [];
  for (let b = 0.1; b < 60_000; b *= 1.25) bounds.push(Number(b.toPrecision(3)));
  return bounds;
})();
const BINS = LATENCY_BOUNDS_MS.length + 1;

/** The bin of a latency: binary search over the bounds. */
function binOf(ms: number): number {
  let lo = 0;
  let hi = LATENCY_BOUNDS_MS.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ms <= LATENCY_BOUNDS_MS[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Quantile of a histogram, interpolated linearly within the bin it falls in (bins are ≤25% wide). */
export function histogramQuantile(counts: ArrayLike<number>, total: number, fraction: number): number {
  if (total === 0) return 0;
  const rank = fraction * total;
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    if (counts[i] === 0) continue;
    if (seen + counts[i] >= rank) {
      const lower = i === 0 ? 0 : LATENCY_BOUNDS_MS[i - 1];
      const upper = i < LATENCY_BOUNDS_MS.length ? LATENCY_BOUNDS_MS[i] : lower * 1.25;
      return lower + (upper - lower) * Math.max(0, Math.min(1, (rank - seen) / counts[i]));
    }
    seen += counts[i];
  }
  return LATENCY_BOUNDS_MS[LATENCY_BOUNDS_MS.length - 1];
}

/** One second: fixed size whatever the request rate. */
interface Bucket {
  requests: number;
  errors: number;
  bins: Uint32Array;
}

const round = (ms: number) => Math.round(ms * 1000) / 1000;

export class TimelineRecorder {
  private readonly buckets: Bucket[] = [];
  private readonly total = new Uint32Array(BINS);

  /** A completed request: when it ended (ms since the run's start), how long it took, whether it failed. */
  record(endedAtMs: number, durationMs: number, failed: boolean): void {
    const second = Math.max(0, Math.floor(endedAtMs / 1000));
    while (this.buckets.length <= second) this.buckets.push({ requests: 0, errors: 0, bins: new Uint32Array(BINS) });
    const bucket = this.buckets[second];
    const bin = binOf(durationMs);
    bucket.requests++;
    if (failed) bucket.errors++;
    bucket.bins[bin]++;
    this.total[bin]++;
  }

  /** Seconds recorded so far (for the memory test: bounded by the run's length, not its requests). */
  bucketCount(): number {
    return this.buckets.length;
  }

  /** Bytes held by the buckets' histograms. */
  bytes(): number {
    return this.buckets.reduce((sum, b) => sum + b.bins.byteLength, this.total.byteLength);
  }

  toJSON(): Timeline {
    const q = (b: Bucket, f: number) => round(histogramQuantile(b.bins, b.requests, f));
    return {
      bucketMs: 1000,
      t: this.buckets.map((_, i) => i),
      requests: this.buckets.map((b) => b.requests),
      errors: this.buckets.map((b) => b.errors),
      p50: this.buckets.map((b) => q(b, 0.5)),
      p95: this.buckets.map((b) => q(b, 0.95)),
      p99: this.buckets.map((b) => q(b, 0.99)),
      histogram: { boundsMs: [...LATENCY_BOUNDS_MS], counts: [...this.total] },
    };
  }
}

import type { MetricType, ValueContains } from '@ephenv/core';
export type { MetricType, ValueContains };
/**
 * The four k6 metric sinks (k6 metrics/sink.go): what each metric type keeps of its samples, and
 * the aggregates thresholds and the summary read from them. Empty sinks answer 0 like k6's.
 */

/**
 * Percentile of ascending `sorted[0..count)`, `fraction` in [0, 1], exactly as k6's
 * TrendSink.P (metrics/sink.go): for more than one sample,
 *   i = fraction * (count - 1);  p = v[floor(i)] + (v[ceil(i)] - v[floor(i)]) * (i - floor(i))
 * i.e. linear interpolation between the closest ranks; 0 without samples, the sample itself for one.
 */
export function percentileOfSorted(sorted: ArrayLike<number>, count: number, fraction: number): number {
  if (count === 0) return 0;
  if (count === 1) return sorted[0];
  const i = fraction * (count - 1);
  const lower = Math.floor(i);
  const j = sorted[lower];
  const k = sorted[Math.ceil(i)];
  return j + (k - j) * (i - lower);
}

const INITIAL_CAPACITY = 1024;

/**
 * A trend keeps every sample (as k6 v0.45 does: percentiles are exact, not estimated from an HDR
 * histogram as from k6 v0.46 on; see the README) in a growable
 * Float64Array: 8 bytes a sample, no per-sample object, so a million samples cost 8 MB.
 */
export class TrendSink {
  readonly type = 'trend' as const;
  private values = new Float64Array(INITIAL_CAPACITY);
  private sorted = true;
  count = 0;
  min = 0;
  max = 0;
  sum = 0;

  add(value: number): void {
    if (this.count === this.values.length) {
      // 1.5x growth keeps the transient copy small compared with doubling.
      const grown = new Float64Array(Math.ceil(this.values.length * 1.5));
      grown.set(this.values);
      this.values = grown;
    }
    if (this.count === 0) {
      this.min = value;
      this.max = value;
    } else {
      if (value < this.min) this.min = value;
      if (value > this.max) this.max = value;
    }
    this.values[this.count++] = value;
    this.sum += value;
    this.sorted = false;
  }

  isEmpty(): boolean {
    return this.count === 0;
  }

  avg(): number {
    return this.count === 0 ? 0 : this.sum / this.count;
  }

  /** `fraction` in [0, 1]; sorts in place once per batch of new samples, as k6 does. */
  p(fraction: number): number {
    if (!this.sorted && this.count > 1) {
      this.values.subarray(0, this.count).sort();
      this.sorted = true;
    }
    return percentileOfSorted(this.values, this.count, fraction);
  }

  /** Bytes held by the sample buffer (for the memory benchmark). */
  capacityBytes(): number {
    return this.values.byteLength;
  }
}

export class CounterSink {
  readonly type = 'counter' as const;
  value = 0;
  private seen = false;

  add(value: number): void {
    this.value += value;
    this.seen = true;
  }

  isEmpty(): boolean {
    return !this.seen;
  }

  /** Per second over the test run; 0 for a zero-length run (k6 CounterSink.Rate). */
  rate(durationMs: number): number {
    return durationMs > 0 ? this.value / (durationMs / 1000) : 0;
  }
}

export class GaugeSink {
  readonly type = 'gauge' as const;
  value = 0;
  min = 0;
  max = 0;
  private seen = false;

  add(value: number): void {
    this.value = value;
    if (!this.seen || value > this.max) this.max = value;
    if (!this.seen || value < this.min) this.min = value;
    this.seen = true;
  }

  isEmpty(): boolean {
    return !this.seen;
  }
}

export class RateSink {
  readonly type = 'rate' as const;
  trues = 0;
  total = 0;

  add(value: number | boolean): void {
    this.total++;
    if (value) this.trues++;
  }

  isEmpty(): boolean {
    return this.total === 0;
  }

  rate(): number {
    return this.total === 0 ? 0 : this.trues / this.total;
  }
}

export type Sink = TrendSink | CounterSink | GaugeSink | RateSink;

export function newSink(type: MetricType): Sink {
  switch (type) {
    case 'trend':
      return new TrendSink();
    case 'counter':
      return new CounterSink();
    case 'gauge':
      return new GaugeSink();
    case 'rate':
      return new RateSink();
  }
}

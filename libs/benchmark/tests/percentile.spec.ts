import { describe, expect, it } from 'vitest';
import { CounterSink, GaugeSink, percentileOfSorted, RateSink, TrendSink } from '../src/sinks';

/** k6's formula written out by hand for the expectations below: i = p*(n-1), interpolate v[floor(i)]..v[ceil(i)]. */
describe('percentiles as k6 computes them (linear interpolation between closest ranks)', () => {
  const oneToTen = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

  it('p(95) of 1..10: i = 0.95*9 = 8.55, between v[8]=9 and v[9]=10 -> 9.55', () => {
    expect(percentileOfSorted(oneToTen, 10, 0.95)).toBeCloseTo(9 + (10 - 9) * 0.55, 12);
  });

  it('p(50) of 1..10: i = 4.5, between v[4]=5 and v[5]=6 -> 5.5', () => {
    expect(percentileOfSorted(oneToTen, 10, 0.5)).toBeCloseTo(5.5, 12);
  });

  it('p(99.9) of 1..10: i = 0.999*9 = 8.991 -> 9.991', () => {
    expect(percentileOfSorted(oneToTen, 10, 0.999)).toBeCloseTo(9 + 0.991, 12);
  });

  it('p(0) and p(100) are the min and the max; a rank that falls on a sample returns it', () => {
    expect(percentileOfSorted(oneToTen, 10, 0)).toBe(1);
    expect(percentileOfSorted(oneToTen, 10, 1)).toBe(10);
    // i = (1/9)*9 = 1 exactly -> v[1]
    expect(percentileOfSorted([10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 10, 1 / 9)).toBeCloseTo(20, 9);
  });

  it('one sample: every percentile is that sample; no sample: 0', () => {
    expect(percentileOfSorted([42], 1, 0.95)).toBe(42);
    expect(percentileOfSorted([42], 1, 0)).toBe(42);
    expect(percentileOfSorted([], 0, 0.95)).toBe(0);
  });

  it('two samples [10, 20]: p(95) = 10 + 10*0.95 = 19.5, p(50) = 15', () => {
    expect(percentileOfSorted([10, 20], 2, 0.95)).toBeCloseTo(19.5, 12);
    expect(percentileOfSorted([10, 20], 2, 0.5)).toBe(15);
  });

  it('a trend sink sorts unsorted samples and keeps min, max, avg', () => {
    const sink = new TrendSink();
    for (const v of [7, 3, 10, 1, 9, 2, 8, 5, 4, 6]) sink.add(v);
    expect(sink.p(0.95)).toBeCloseTo(9.55, 12);
    expect(sink.p(0.5)).toBeCloseTo(5.5, 12);
    expect([sink.min, sink.max, sink.avg(), sink.count]).toEqual([1, 10, 5.5, 10]);
    // samples added after a percentile was read are sorted in on the next read
    sink.add(0);
    expect(sink.p(0)).toBe(0);
    expect(sink.p(1)).toBe(10);
  });

  it('a trend sink grows past its initial buffer without losing samples', () => {
    const sink = new TrendSink();
    const n = 100_000;
    for (let i = n; i >= 1; i--) sink.add(i);
    expect(sink.count).toBe(n);
    // i = 0.99*(n-1) = 98999.01 -> 99000 + 0.01
    expect(sink.p(0.99)).toBeCloseTo(99_000.01, 6);
    expect(sink.capacityBytes()).toBeLessThan(n * 8 * 1.6);
  });

  it('an empty trend reports zeros, like k6', () => {
    const sink = new TrendSink();
    expect([sink.min, sink.max, sink.avg(), sink.p(0.95)]).toEqual([0, 0, 0, 0]);
  });

  it('counter, gauge and rate sinks aggregate as k6 does', () => {
    const counter = new CounterSink();
    counter.add(3);
    counter.add(7);
    expect(counter.value).toBe(10);
    expect(counter.rate(2000)).toBe(5);
    expect(counter.rate(0)).toBe(0);

    const gauge = new GaugeSink();
    for (const v of [-5, -2, -9]) gauge.add(v);
    expect([gauge.value, gauge.min, gauge.max]).toEqual([-9, -9, -2]);

    const rate = new RateSink();
    for (const v of [1, 0, 1, 1]) rate.add(v);
    expect(rate.rate()).toBe(0.75);
    expect(new RateSink().rate()).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { DurationError, formatDuration, parseDuration } from '../src/duration';

describe('parseDuration (k6 durations)', () => {
  it.each([
    ['30s', 30_000],
    ['1m30s', 90_000],
    ['500ms', 500],
    ['1.5s', 1500],
    ['2h', 7_200_000],
    ['250us', 0.25],
    ['250µs', 0.25],
    ['100ns', 0.0001],
    ['1h1m1s', 3_661_000],
    ['0', 0],
    ['100', 100], // k6: a bare number is milliseconds
    ['2d', 172_800_000],
    ['1d12h', 129_600_000],
  ])('%s is %d ms', (text, ms) => {
    expect(parseDuration(text, 'x')).toBeCloseTo(ms, 9);
  });

  it('takes a JSON number as milliseconds, like k6', () => {
    expect(parseDuration(1500, 'x')).toBe(1500);
  });

  it.each(['', 'abc', '1x', 's', '1m30', '5 s', '1d-2h'])('rejects %j naming the field', (text) => {
    expect(() => parseDuration(text, 'load.scenario.duration')).toThrow(DurationError);
    expect(() => parseDuration(text, 'load.scenario.duration')).toThrow(/load\.scenario\.duration/);
  });

  it('prints durations the way Go does', () => {
    expect(formatDuration(90_000)).toBe('1m30s');
    expect(formatDuration(500)).toBe('500ms');
    expect(formatDuration(30_000)).toBe('30s');
    expect(formatDuration(3_600_000)).toBe('1h0m0s');
  });
});

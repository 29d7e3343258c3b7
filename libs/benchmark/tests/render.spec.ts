import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { humanizeBytes, humanizeDuration, humanizeRate, humanizeValue } from '../src/format';
import { Progress, type ProgressState } from '../src/progress';

function stream(isTTY: boolean) {
  const s = new PassThrough() as PassThrough & { isTTY?: boolean };
  s.isTTY = isTTY;
  const chunks: string[] = [];
  s.on('data', (c: Buffer) => chunks.push(c.toString()));
  return { s, text: () => chunks.join('') };
}

const state = (elapsedMs: number, requests: number, failures = 0): ProgressState => ({ elapsedMs, totalMs: 30_000, requests, failures, dropped: 0, vus: 2, vusMax: 5 });

describe('values as k6 prints them', () => {
  it.each([
    [0, '0s'],
    [0.0005, '500ns'],
    [0.15234, '152.34µs'],
    [1.23456, '1.23ms'],
    [999.999, '999.99ms'],
    [2500, '2.5s'],
    [90_000, '1m30s'],
    [3_723_000, '1h2m3s'],
  ])('duration %d ms -> %s', (ms, text) => {
    expect(humanizeDuration(ms)).toBe(text);
  });

  it('bytes, rates and per-second counters', () => {
    expect(humanizeBytes(7)).toBe('7 B');
    expect(humanizeBytes(4210)).toBe('4.2 kB');
    expect(humanizeBytes(183_600)).toBe('184 kB');
    expect(humanizeRate(0.99996)).toBe('99.99%'); // truncated, never rounded up to 100%
    expect(humanizeValue(19.98571, { type: 'counter', contains: 'default' }, 'rate')).toBe('19.98/s');
    expect(humanizeValue(600, { type: 'counter', contains: 'default' }, 'count')).toBe('600');
    expect(humanizeValue(6115.6, { type: 'counter', contains: 'data' }, 'rate')).toBe('6.1 kB/s');
    expect(humanizeValue(600, { type: 'trend', contains: 'time' }, 'count')).toBe('600');
  });
});

describe('live progress', () => {
  it('off a terminal: a line every few seconds with the window req/s, p95 and errors', () => {
    const out = stream(false);
    const p = new Progress({ stream: out.s, lineEveryMs: 5000 });
    for (let i = 1; i <= 100; i++) p.record(i); // p95 of 1..100 = 95.05 ms
    p.update(state(1000, 20));
    expect(out.text()).toBe('');
    p.update(state(5000, 100, 1));
    expect(out.text()).toBe('running (5s/30s): 20.0 req/s  p95 95.05ms  errors 1.00% (1/100)  dropped 0  VUs 2/5\n');
    // the next line covers only what happened since: a stall shows at once
    p.record(1000);
    p.update(state(10_000, 101, 1));
    expect(out.text().split('\n')[1]).toBe('running (10s/30s): 0.2 req/s  p95 1s  errors 0.99% (1/101)  dropped 0  VUs 2/5');
  });

  it('on a terminal: a bar redrawn in place, ended with a newline', () => {
    const out = stream(true);
    const p = new Progress({ stream: out.s });
    p.record(2);
    p.update(state(15_000, 300));
    expect(out.text()).toMatch(/^\r\x1b\[2K\[={12}> {11}\] 15s\/30s {2}20\.0 req\/s {2}p95 2ms/);
    p.finish(state(30_000, 600));
    expect(out.text().endsWith('\n')).toBe(true);
    expect(out.text()).toContain('[========================] 30s/30s');
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BaselineError, compareWithBaseline, readBaseline } from '../src/baseline';
import { renderMarkdown } from '../src/render-markdown';
import type { BenchmarkSummary } from '../src/summary';

const tmp = mkdtempSync(join(tmpdir(), 'ephenv-baseline-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function summary(latency: { med: number; p95: number; p99?: number }, reqRate = 20, failedRate = 0, rate = 20): BenchmarkSummary {
  const values: Record<string, number> = { avg: latency.med, min: latency.med / 2, med: latency.med, max: latency.p95 * 2, 'p(90)': latency.p95 * 0.9, 'p(95)': latency.p95, count: 600 };
  if (latency.p99 !== undefined) values['p(99)'] = latency.p99;
  return {
    root_group: { name: '', path: '', id: 'd41d8cd98f00b204e9800998ecf8427e', groups: [], checks: [] },
    options: { summaryTrendStats: Object.keys(values), summaryTimeUnit: '', noColor: false },
    state: { isStdOutTTY: false, isStdErrTTY: false, testRunDurationMs: 30_000 },
    metrics: {
      http_req_duration: { type: 'trend', contains: 'time', values, thresholds: { 'p(95)<200': { ok: true } } },
      http_reqs: { type: 'counter', contains: 'default', values: { count: reqRate * 30, rate: reqRate } },
      http_req_failed: { type: 'rate', contains: 'default', values: { rate: failedRate, passes: Math.round(failedRate * 600), fails: 600 - Math.round(failedRate * 600) } },
    },
    ephenv: {
      engine: 'embedded',
      project: 'iris',
      url: 'http://127.0.0.1:8080',
      scenario: { executor: 'constant-arrival-rate', rate, duration: '30s', preAllocatedVUs: 5 },
      scenarioDescription: `${rate} iterations/s for 30s (maxVUs: 5)`,
      startedAt: '2025-05-01T10:00:00.000Z',
      finishedAt: '2025-05-01T10:00:30.000Z',
      testRunDurationMs: 30_000,
      thresholds: { ok: true, failed: [] },
    },
  };
}

const row = (c: ReturnType<typeof compareWithBaseline>, label: string) => c.rows.find((r) => r.label === label)!;

describe('baseline comparison', () => {
  const main = summary({ med: 40, p95: 100, p99: 150 });

  it('flags a 30% p95 regression and not a 3% one', () => {
    const slower = compareWithBaseline(summary({ med: 40, p95: 130, p99: 150 }), main, 'main.json');
    expect(row(slower, 'p95 latency')).toMatchObject({ baseline: 100, current: 130, regression: true });
    expect(row(slower, 'p95 latency').change).toBeCloseTo(0.3, 12);
    expect(slower.regressed).toBe(true);

    const noisy = compareWithBaseline(summary({ med: 40, p95: 103, p99: 150 }), main, 'main.json');
    expect(row(noisy, 'p95 latency').regression).toBe(false);
    expect(noisy.regressed).toBe(false);
  });

  it('the tolerance is configurable', () => {
    const c = compareWithBaseline(summary({ med: 40, p95: 130, p99: 150 }), main, 'main.json', { tolerance: 0.5 });
    expect(c.regressed).toBe(false);
    expect(() => compareWithBaseline(main, main, 'main.json', { tolerance: -1 })).toThrow(BaselineError);
  });

  it('sub-floor latency changes on a fast loopback endpoint are noise, not regressions', () => {
    const fastMain = summary({ med: 0.6, p95: 1.0, p99: 1.4 });
    const c = compareWithBaseline(summary({ med: 0.9, p95: 1.6, p99: 2.9 }), fastMain, 'main.json');
    expect(row(c, 'p95 latency').change).toBeCloseTo(0.6, 12); // +60%, but only 0.6 ms
    expect(c.regressed).toBe(false);
    const real = compareWithBaseline(summary({ med: 0.9, p95: 4.5, p99: 6 }), fastMain, 'main.json');
    expect(row(real, 'p95 latency').regression).toBe(true);
  });

  it('flags a throughput drop and an error-rate rise past the floor', () => {
    const c = compareWithBaseline(summary({ med: 40, p95: 100, p99: 150 }, 15, 0.02), main, 'main.json');
    expect(row(c, 'throughput').regression).toBe(true);
    expect(row(c, 'error rate').regression).toBe(true);
    const oneError = compareWithBaseline(summary({ med: 40, p95: 100, p99: 150 }, 20, 1 / 600), main, 'main.json');
    expect(row(oneError, 'error rate').regression).toBe(false);
  });

  it('marks an improvement only past the same tolerance and floor', () => {
    const faster = compareWithBaseline(summary({ med: 20, p95: 60, p99: 149 }), main, 'main.json');
    expect([row(faster, 'p50 latency').improvement, row(faster, 'p95 latency').improvement, row(faster, 'p99 latency').improvement]).toEqual([true, true, false]);
    expect(renderMarkdown(summary({ med: 20, p95: 60, p99: 149 }), faster)).toContain('| p95 latency | 100ms | 60ms | -40.0% | ✨ better |');
  });

  it('a stat missing on one side (a k6 baseline without p(99)) is shown as n/a, never a regression', () => {
    const k6Default = summary({ med: 40, p95: 100 });
    const c = compareWithBaseline(summary({ med: 40, p95: 100, p99: 500 }), k6Default, 'main.json');
    expect(row(c, 'p99 latency')).toMatchObject({ baseline: undefined, current: 500, regression: false });
    expect(renderMarkdown(summary({ med: 40, p95: 100, p99: 500 }), c)).toContain('| p99 latency | n/a | 500ms | n/a |  |');
  });

  it('notes when the baseline ran another scenario or engine', () => {
    const other = summary({ med: 40, p95: 100, p99: 150 }, 50, 0, 50);
    other.ephenv.engine = 'k6';
    const c = compareWithBaseline(summary({ med: 40, p95: 100, p99: 150 }), other, 'main.json');
    expect(c.notes).toEqual([
      'the baseline ran a different scenario (50 iterations/s for 30s (maxVUs: 5)): deltas compare unlike loads',
      'the baseline was measured by the k6 engine, this run by embedded',
    ]);
  });

  it('the markdown shows each delta and flags the regression', () => {
    const current = summary({ med: 41, p95: 130, p99: 140 });
    const c = compareWithBaseline(current, main, 'main.json');
    const md = renderMarkdown(current, c);
    expect(md).toContain('🔺 slower than baseline');
    expect(md).toContain('<details open><summary>Compared with the baseline from 2025-05-01T10:00:00.000Z (regression past 10%, ignoring latency changes under 2 ms)</summary>');
    expect(md).toContain('| p50 latency | 40ms | 41ms | +2.5% |  |');
    expect(md).toContain('| p95 latency | 100ms | 130ms | +30.0% | 🔺 regression |');
    expect(md).toContain('| p99 latency | 150ms | 140ms | -6.7% |  |'); // within tolerance: noise, not an improvement
    expect(md).toContain('| throughput | 20.0/s | 20.0/s | +0.0% |  |');
    expect(md).toContain('| error rate | 0.00% | 0.00% | ±0 |  |');
  });

  it('reads a baseline file and explains a missing or foreign one', () => {
    const file = join(tmp, 'main.json');
    writeFileSync(file, JSON.stringify(main));
    expect(readBaseline(file).metrics.http_req_duration.values['p(95)']).toBe(100);
    expect(() => readBaseline(join(tmp, 'none.json'))).toThrow(/cannot read the baseline .*none\.json: file not found\. Pass --baseline/);
    writeFileSync(file, JSON.stringify({ results: [] }));
    expect(() => readBaseline(file)).toThrow(/has no "metrics"/);
  });
});

import { describe, expect, it } from 'vitest';
import { EMBEDDED_METRICS, EMBEDDED_TAGS, K6_ONLY_METRICS } from '../src/metrics';
import { CounterSink, GaugeSink, RateSink, TrendSink, type Sink } from '../src/sinks';
import { parseMetricName, parseThresholdExpression, ThresholdError } from '../src/thresholds/parse-expression';
import { evaluateThresholds, parseThresholds, runThresholds, type ThresholdCatalogue } from '../src/thresholds/thresholds';

const embedded: ThresholdCatalogue = { metrics: EMBEDDED_METRICS, strict: true, tags: (m) => EMBEDDED_TAGS[m], engine: 'embedded' };
const k6: ThresholdCatalogue = { metrics: { ...EMBEDDED_METRICS, ...K6_ONLY_METRICS }, strict: false, engine: 'k6' };

function trend(values: number[]): TrendSink {
  const s = new TrendSink();
  for (const v of values) s.add(v);
  return s;
}

describe('threshold expressions (k6 syntax)', () => {
  it.each([
    ['p(95)<200', { method: 'p', percentile: 95, operator: '<', value: 200 }],
    ['p(99.9) < 300', { method: 'p', percentile: 99.9, operator: '<', value: 300 }],
    ['  avg   <=  1.5  ', { method: 'avg', operator: '<=', value: 1.5 }],
    ['rate<0.01', { method: 'rate', operator: '<', value: 0.01 }],
    ['count>=100', { method: 'count', operator: '>=', value: 100 }],
    ['value==3', { method: 'value', operator: '==', value: 3 }],
    ['value===3', { method: 'value', operator: '===', value: 3 }],
    ['med!=0', { method: 'med', operator: '!=', value: 0 }],
    ['max>1e3', { method: 'max', operator: '>', value: 1000 }],
    ['min>-5', { method: 'min', operator: '>', value: -5 }],
    ['p(0)>=0', { method: 'p', percentile: 0, operator: '>=', value: 0 }],
    ['p(100)<.5', { method: 'p', percentile: 100, operator: '<', value: 0.5 }],
  ])('%j', (source, expected) => {
    expect(parseThresholdExpression(source)).toMatchObject({ source, ...expected });
  });

  it.each([
    ['p(95)', /malformed threshold expression "p\(95\)"/],
    ['p(95)<', /malformed threshold expression/],
    ['p(95)=200', /malformed threshold expression/],
    ['p95<200', /unknown aggregation "p95"/],
    ['avgg<1', /unknown aggregation "avgg"/],
    ['p(101)<1', /out of range/],
    ['p(-1)<1', /out of range/],
    ['p(abc)<1', /malformed percentile "p\(abc\)"/],
    ['p( 95 )<1', /malformed percentile/],
    ['avg<abc', /"abc" is not a number/],
    ['avg<<1', /"<1" is not a number/],
    ['', /malformed threshold expression/],
  ])('rejects %j with a clear error', (source, message) => {
    expect(() => parseThresholdExpression(source)).toThrow(ThresholdError);
    expect(() => parseThresholdExpression(source)).toThrow(message);
  });

  it('parses metric names with submetric tags, trimming spaces and quotes like k6', () => {
    expect(parseMetricName('http_req_duration')).toEqual({ metric: 'http_req_duration', tags: [] });
    expect(parseMetricName('http_req_duration{status:200}')).toEqual({ metric: 'http_req_duration', tags: [['status', '200']] });
    expect(parseMetricName(`http_req_duration{ status: "200" , method:'POST'}`)).toEqual({
      metric: 'http_req_duration',
      tags: [
        ['status', '200'],
        ['method', 'POST'],
      ],
    });
    expect(() => parseMetricName('http_req_duration{status:200')).toThrow(/unmatched curly brace/);
    expect(() => parseMetricName('http_req_duration}{')).toThrow(/closing curly brace comes before/);
    expect(() => parseMetricName('http_req_duration{status:200}x')).toThrow(/must end with its closing curly brace/);
    expect(() => parseMetricName('http_req_duration{status}')).toThrow(/malformed, expected key:value/);
    expect(() => parseMetricName('http_req_duration{}')).toThrow(/cannot be empty/);
  });
});

describe('parseThresholds: checked before the run', () => {
  it('accepts strings and {threshold, abortOnFail, delayAbortEval} objects', () => {
    const [duration, failed] = parseThresholds(
      {
        http_req_duration: ['p(95)<200', { threshold: 'p(99.9)<500', abortOnFail: true, delayAbortEval: '10s' }],
        http_req_failed: ['rate<0.01'],
      },
      embedded,
    );
    expect(duration.thresholds.map((t) => [t.source, t.abortOnFail, t.delayAbortEvalMs])).toEqual([
      ['p(95)<200', false, undefined],
      ['p(99.9)<500', true, 10_000],
    ]);
    expect(failed.metric).toBe('http_req_failed');
  });

  it('names the metric and expression of a malformed threshold', () => {
    expect(() => parseThresholds({ http_req_duration: ['p(95)<200', 'p(95)<<200'] }, embedded)).toThrow(
      /invalid threshold on metric "http_req_duration": threshold expression "p\(95\)<<200"/,
    );
  });

  it('rejects an aggregation the metric type does not support, listing the supported ones', () => {
    expect(() => parseThresholds({ http_req_failed: ['p(95)<200'] }, embedded)).toThrow(
      /"p\(95\)<200" uses a percentile, which a rate metric does not support; http_req_failed supports rate/,
    );
    expect(() => parseThresholds({ http_req_duration: ['rate<0.01'] }, embedded)).toThrow(/supports avg, min, max, med, p\(N\)/);
    expect(() => parseThresholds({ http_reqs: ['count>10', 'rate>5', 'avg<1'] }, embedded)).toThrow(/http_reqs supports count, rate/);
    expect(() => parseThresholds({ vus: ['value>1', 'max>1'] }, embedded)).toThrow(/vus supports value/);
  });

  it('rejects unknown metrics on the embedded engine, and leaves them to k6 (custom metrics) on the k6 engine', () => {
    expect(() => parseThresholds({ my_custom_trend: ['p(95)<1'] }, embedded)).toThrow(/embedded engine records no metric "my_custom_trend".*--engine k6/);
    expect(parseThresholds({ my_custom_trend: ['p(95)<1'] }, k6)[0].metric).toBe('my_custom_trend');
    // k6's own built-ins are still type-checked on the k6 engine
    expect(() => parseThresholds({ http_req_blocked: ['rate<1'] }, k6)).toThrow(/trend metric does not support/);
  });

  it('accepts submetrics on recorded tags and explains unsupported ones', () => {
    expect(parseThresholds({ 'http_req_duration{status:200}': ['p(95)<200'] }, embedded)[0]).toMatchObject({
      name: 'http_req_duration{status:200}',
      metric: 'http_req_duration',
      tags: [['status', '200']],
    });
    expect(() => parseThresholds({ 'http_req_duration{region:eu}': ['p(95)<200'] }, embedded)).toThrow(
      /unsupported submetric .*does not tag http_req_duration samples with "region" \(it records status, method, name, url, expected_response, scenario\).*--engine k6/,
    );
    expect(parseThresholds({ 'http_req_duration{region:eu}': ['p(95)<200'] }, k6)[0].tags).toEqual([['region', 'eu']]);
    expect(() => parseThresholds({ 'http_req_duration{status:200': ['p(95)<200'] }, embedded)).toThrow(/threshold on metric "http_req_duration\{status:200": .*unmatched/);
  });

  it('rejects a malformed delayAbortEval and a threshold that is neither string nor object', () => {
    expect(() => parseThresholds({ http_req_failed: [{ threshold: 'rate<0.01', abortOnFail: true, delayAbortEval: 'soon' }] }, embedded)).toThrow(
      /delayAbortEval of "rate<0.01".*"soon" is not a k6 duration/,
    );
    expect(() => parseThresholds({ http_req_failed: [42 as unknown as string] }, embedded)).toThrow(/each threshold is a string/);
  });
});

describe('threshold evaluation (k6 semantics)', () => {
  const parse = (metric: string, ...specs: Parameters<typeof parseThresholds>[0][string]) => parseThresholds({ [metric]: specs }, embedded)[0];

  it('compares each aggregation with its operator', () => {
    const sink = trend([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const mt = parse('http_req_duration', 'p(95)<9.6', 'p(95)<9.5', 'avg==5.5', 'med===5.5', 'max!=10', 'min>=1', 'p(99.9)>9.99');
    expect(runThresholds(mt, sink, 1000)).toBe(false);
    expect(mt.thresholds.map((t) => [t.source, !t.lastFailed])).toEqual([
      ['p(95)<9.6', true],
      ['p(95)<9.5', false], // 9.55
      ['avg==5.5', true],
      ['med===5.5', true],
      ['max!=10', false],
      ['min>=1', true],
      ['p(99.9)>9.99', true], // 9.991
    ]);
  });

  it('counter count and rate (per second of the run), gauge value, rate rate', () => {
    const counter = new CounterSink();
    counter.add(50);
    const c = parse('http_reqs', 'count==50', 'rate==25', 'rate>25');
    runThresholds(c, counter, 2000);
    expect(c.thresholds.map((t) => !t.lastFailed)).toEqual([true, true, false]);

    const gauge = new GaugeSink();
    gauge.add(3);
    gauge.add(2);
    const g = parse('vus', 'value==2');
    expect(runThresholds(g, gauge, 1000)).toBe(true);

    const rate = new RateSink();
    for (const v of [1, 0, 0, 0]) rate.add(v);
    const r = parse('http_req_failed', 'rate<=0.25', 'rate<0.25');
    runThresholds(r, rate, 1000);
    expect(r.thresholds.map((t) => !t.lastFailed)).toEqual([true, false]);
  });

  it('metrics with no samples: skipped during the run, judged at the end on zeros (rate: passes)', () => {
    const all = [
      parse('http_req_duration', 'p(95)<200', 'avg>0'),
      parse('http_req_failed', 'rate>0.9'),
      parse('dropped_iterations', 'count>0'),
      parse('data_sent', 'rate<5'),
    ];
    const sinks: Record<string, Sink> = {
      http_req_duration: new TrendSink(),
      http_req_failed: new RateSink(),
      dropped_iterations: new CounterSink(),
      data_sent: new CounterSink(),
    };
    const sinkOf = (n: string) => sinks[n];

    expect(evaluateThresholds(all, sinkOf, 5000, true).breached).toEqual([]);
    expect(all.flatMap((m) => m.thresholds).every((t) => !t.lastFailed)).toBe(true);

    const end = evaluateThresholds(all, sinkOf, 5000, false);
    expect(end.breached).toEqual(['dropped_iterations', 'http_req_duration']);
    expect(all[0].thresholds.map((t) => !t.lastFailed)).toEqual([true, false]); // p(95)=0 < 200; avg=0 is not > 0
    expect(all[1].thresholds[0].lastFailed).toBe(false); // no rate without samples (k6 #2520)
    expect(all[3].thresholds[0].lastFailed).toBe(false); // 0 bytes/s
  });

  it('a counter rate over a zero-length run is not evaluated (no Inf)', () => {
    const counter = new CounterSink();
    counter.add(10);
    const mt = parse('http_reqs', 'rate<1');
    expect(runThresholds(mt, counter, 0)).toBe(true);
  });

  it('abortOnFail aborts at once; with delayAbortEval only once the test ran longer than the delay', () => {
    const failing = new RateSink();
    failing.add(1);
    const immediate = parse('http_req_failed', { threshold: 'rate<0.01', abortOnFail: true });
    expect(evaluateThresholds([immediate], () => failing, 2000, true).shouldAbort).toBe(true);

    const delayed = parse('http_req_failed', { threshold: 'rate<0.01', abortOnFail: true, delayAbortEval: '10s' });
    expect(evaluateThresholds([delayed], () => failing, 2000, true)).toEqual({ breached: ['http_req_failed'], shouldAbort: false });
    expect(evaluateThresholds([delayed], () => failing, 10_000, true).shouldAbort).toBe(false); // not strictly longer yet
    expect(evaluateThresholds([delayed], () => failing, 10_001, true).shouldAbort).toBe(true);

    const noAbort = parse('http_req_failed', 'rate<0.01');
    expect(evaluateThresholds([noAbort], () => failing, 60_000, true)).toEqual({ breached: ['http_req_failed'], shouldAbort: false });
  });

  it('a passing abortOnFail threshold never aborts', () => {
    const ok = new RateSink();
    ok.add(0);
    const mt = parse('http_req_failed', { threshold: 'rate<0.01', abortOnFail: true });
    expect(evaluateThresholds([mt], () => ok, 60_000, true)).toEqual({ breached: [], shouldAbort: false });
  });
});

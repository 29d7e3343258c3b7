import { describe, expect, it } from 'vitest';
import { describeScenario, resolveScenario, ScenarioError, type ScenarioPlan } from '../src/scenario';
import { arrivalSchedule } from '../src/schedule';

function allArrivals(plan: ScenarioPlan): number[] {
  if (plan.executor === 'constant-vus') throw new Error('no schedule');
  const next = arrivalSchedule(plan);
  const times: number[] = [];
  for (let t = next(); t !== Infinity; t = next()) times.push(t);
  return times;
}

describe('resolveScenario', () => {
  it('applies k6 defaults: timeUnit 1s, gracefulStop 30s, maxVUs = preAllocatedVUs', () => {
    const { plan } = resolveScenario({ executor: 'constant-arrival-rate', rate: 20, duration: '30s', preAllocatedVUs: 5 });
    expect(plan).toEqual({ executor: 'constant-arrival-rate', rate: 20, timeUnitMs: 1000, durationMs: 30_000, preAllocatedVUs: 5, maxVUs: 5, gracefulStopMs: 30_000 });
    expect(describeScenario(plan)).toBe('20 iterations/s for 30s (maxVUs: 5)');
  });

  it('applies --rate and --duration overrides to the k6 form too', () => {
    const r = resolveScenario({ executor: 'constant-arrival-rate', rate: 20, duration: '30s', preAllocatedVUs: 5, maxVUs: 50 }, { rate: 100, duration: '1m30s' });
    expect(r.k6).toMatchObject({ rate: 100, duration: '1m30s' });
    expect(r.plan).toMatchObject({ rate: 100, durationMs: 90_000 });
    expect(describeScenario(r.plan)).toBe('100 iterations/s for 1m30s (maxVUs: 5-50)');
  });

  it.each([
    [{ executor: 'constant-arrival-rate', rate: 10, duration: '10s' }, /preAllocatedVUs isn't specified/],
    [{ executor: 'constant-arrival-rate', rate: 10, duration: '10s', preAllocatedVUs: 5, maxVUs: 2 }, /maxVUs \(2\) can't be less than preAllocatedVUs \(5\)/],
    [{ executor: 'constant-arrival-rate', duration: '10s', preAllocatedVUs: 1 }, /rate: the iteration rate isn't specified/],
    [{ executor: 'constant-arrival-rate', rate: 10, duration: '500ms', preAllocatedVUs: 1 }, /duration must be at least 1s, but is 500ms/],
    [{ executor: 'constant-arrival-rate', rate: 10, preAllocatedVUs: 1 }, /the duration is unspecified/],
    [{ executor: 'constant-arrival-rate', rate: 10, duration: 'ten seconds', preAllocatedVUs: 1 }, /load\.scenario\.duration: "ten seconds" is not a k6 duration/],
    [{ executor: 'constant-arrival-rate', rate: 10, duration: '10s', timeUnit: '0s', preAllocatedVUs: 1 }, /timeUnit must be more than 0/],
    [{ executor: 'constant-arrival-rate', rate: 10, duration: '10s', preAllocatedVUs: 1, gracefulStop: '-1s' }, /gracefulStop can't be negative/],
    [{ executor: 'ramping-arrival-rate', preAllocatedVUs: 1, stages: [] }, /at least one stage/],
    [{ executor: 'constant-vus', vus: 0, duration: '10s' }, /VUs must be more than 0/],
    [{ executor: 'constant-arrival-rate', rate: 10, duration: '10s', preAllocatedVUs: 1, exec: 'other' }, /load\.scenario\.exec is not an option .*--engine k6/],
  ])('rejects %j', (raw, message) => {
    expect(() => resolveScenario(raw as never)).toThrow(ScenarioError);
    expect(() => resolveScenario(raw as never)).toThrow(message);
  });

  it('leaves options it does not run to k6 on the k6 engine', () => {
    const r = resolveScenario({ executor: 'constant-arrival-rate', rate: 10, duration: '10s', preAllocatedVUs: 1, exec: 'other' }, {}, false);
    expect(r.k6.exec).toBe('other');
  });

  it('refuses overrides that do not fit the executor, saying what to edit', () => {
    expect(() => resolveScenario({ executor: 'constant-vus', vus: 2, duration: '10s' }, { rate: 10 })).toThrow(/--rate applies to the constant-arrival-rate executor/);
    expect(() => resolveScenario({ executor: 'ramping-arrival-rate', preAllocatedVUs: 1, stages: [{ duration: '10s', target: 5 }] }, { duration: '5s' })).toThrow(
      /sum of its stages: edit load\.scenario\.stages/,
    );
    expect(() => resolveScenario({ executor: 'constant-arrival-rate', rate: 1, duration: '10s', preAllocatedVUs: 1 }, { rate: 0 })).toThrow(/--rate must be a positive integer/);
  });
});

describe('arrival schedule (open model)', () => {
  it('constant-arrival-rate: iteration n at n*timeUnit/rate, first at 0, none at or after the duration', () => {
    const { plan } = resolveScenario({ executor: 'constant-arrival-rate', rate: 10, duration: '2s', preAllocatedVUs: 1 });
    const times = allArrivals(plan);
    expect(times).toHaveLength(20);
    expect(times[0]).toBe(0);
    expect(times[1]).toBeCloseTo(100, 9);
    expect(times[19]).toBeCloseTo(1900, 9);
  });

  it('constant-arrival-rate with timeUnit: 30 per minute is one every 2s', () => {
    const { plan } = resolveScenario({ executor: 'constant-arrival-rate', rate: 30, timeUnit: '1m', duration: '10s', preAllocatedVUs: 1 });
    expect(allArrivals(plan)).toEqual([0, 2000, 4000, 6000, 8000]);
  });

  it("ramping-arrival-rate follows k6's example: 2/s for 5s, then 2->3/s over 5s", () => {
    const { plan } = resolveScenario({
      executor: 'ramping-arrival-rate',
      startRate: 2,
      preAllocatedVUs: 1,
      stages: [
        { duration: '5s', target: 2 },
        { duration: '5s', target: 3 },
      ],
    });
    const times = allArrivals(plan);
    // stage 1: area 2*5 = 10 iterations, the i-th when 2x = i -> 0.5s, 1s, ... 5s
    expect(times.slice(0, 10)).toEqual([500, 1000, 1500, 2000, 2500, 3000, 3500, 4000, 4500, 5000]);
    // stage 2: area(x) = 2x + x^2/10 (x in s) must reach 1 -> x = (-20 + sqrt(440)) / 2
    expect(times[10]).toBeCloseTo(5000 + ((-20 + Math.sqrt(440)) / 2) * 1000, 6);
    // area of stage 2 = 5 * 2.5 = 12.5 -> 12 more whole iterations, 22 in all
    expect(times).toHaveLength(22);
    expect(times.every((t, i) => i === 0 || t > times[i - 1])).toBe(true);
  });

  it('ramping-arrival-rate from 0 to 10/s over 10s: iteration i at sqrt(2i) s', () => {
    const { plan } = resolveScenario({ executor: 'ramping-arrival-rate', preAllocatedVUs: 1, stages: [{ duration: '10s', target: 10 }] });
    const times = allArrivals(plan);
    expect(times).toHaveLength(50);
    expect(times[0]).toBeCloseTo(Math.sqrt(2) * 1000, 6);
    expect(times[49]).toBeCloseTo(10_000, 6);
  });

  it('ramping-arrival-rate: a stage at rate 0 schedules nothing, then the next stage starts after it', () => {
    const { plan } = resolveScenario({
      executor: 'ramping-arrival-rate',
      preAllocatedVUs: 1,
      stages: [
        { duration: '2s', target: 0 },
        { duration: '1s', target: 4 },
        { duration: '1s', target: 4 },
      ],
    });
    const times = allArrivals(plan);
    expect(times.every((t) => t > 2000)).toBe(true);
    // ramp 0->4/s over 1s has area 2, then 4 at 4/s
    expect(times).toHaveLength(6);
    expect(times.slice(2)).toEqual([3250, 3500, 3750, 4000]);
  });
});

import type { ScenarioPlan } from './scenario';

/**
 * When each iteration of an arrival-rate scenario starts, in ms from the start of the test,
 * whatever the server does (open model). Returns a function giving the next start time, or
 * Infinity once the scenario has scheduled its last iteration.
 */
export function arrivalSchedule(plan: Exclude<ScenarioPlan, { executor: 'constant-vus' }>): () => number {
  return plan.executor === 'constant-arrival-rate' ? constantArrivals(plan.rate, plan.timeUnitMs, plan.durationMs) : rampingArrivals(plan);
}

/** k6 constant-arrival-rate: iteration n starts at n * timeUnit / rate, the first at 0. */
function constantArrivals(rate: number, timeUnitMs: number, durationMs: number): () => number {
  const period = timeUnitMs / rate;
  let n = 0;
  return () => {
    const t = n * period;
    if (t >= durationMs) return Infinity;
    n++;
    return t;
  };
}

/**
 * k6 ramping-arrival-rate (RampingArrivalRateConfig.cal): the rate moves linearly within each
 * stage, and iteration i (from 1) starts when the area under the rate curve reaches i. Within a
 * ramp from `from` to `to` (iterations per ms) lasting `dur`, the area after x ms is
 * from*x + (to-from)*x²/(2*dur); solving for x gives the formula below.
 */
function rampingArrivals(plan: Extract<ScenarioPlan, { executor: 'ramping-arrival-rate' }>): () => number {
  let stageIndex = -1;
  let stageStart = 0;
  let doneSoFar = 0;
  let endCount = 0;
  let from = plan.startRate / plan.timeUnitMs;
  let to = from;
  let dur = 0;
  let i = 1;

  return () => {
    while (i > endCount) {
      // Past this stage's area: move on to the next stage (or stop after the last).
      if (stageIndex >= 0) {
        doneSoFar = endCount;
        from = to;
        stageStart += dur;
      }
      if (++stageIndex >= plan.stages.length) return Infinity;
      to = plan.stages[stageIndex].target / plan.timeUnitMs;
      dur = plan.stages[stageIndex].durationMs;
      endCount += from !== to ? dur * ((to - from) / 2 + from) : dur * to;
    }
    const area = i++ - doneSoFar;
    const offset =
      from !== to ? (from * dur - Math.sqrt(Math.max(0, dur * (from * from * dur + 2 * area * (to - from))))) / (from - to) : area / to;
    return stageStart + offset;
  };
}

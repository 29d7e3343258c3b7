import type { ScenarioConfig } from '@ephenv/core';
import { formatDuration, parseDuration } from './duration';

export class ScenarioError extends Error {
  override name = 'ScenarioError';
}

interface ArrivalRatePlan {
  timeUnitMs: number;
  preAllocatedVUs: number;
  maxVUs: number;
  gracefulStopMs: number;
  durationMs: number;
}

/** A scenario with every duration in milliseconds and k6's defaults applied. */
export type ScenarioPlan =
  | ({ executor: 'constant-arrival-rate'; rate: number } & ArrivalRatePlan)
  | ({ executor: 'ramping-arrival-rate'; startRate: number; stages: { durationMs: number; target: number }[] } & ArrivalRatePlan)
  | { executor: 'constant-vus'; vus: number; durationMs: number; gracefulStopMs: number };

export interface ScenarioOverrides {
  /** Iterations per timeUnit (constant-arrival-rate). */
  rate?: number;
  /** k6 duration (constant-arrival-rate, constant-vus). */
  duration?: string;
}

export interface ResolvedScenario {
  /** The scenario in k6's own form, overrides applied: what k6 runs and what the report shows. */
  k6: ScenarioConfig;
  plan: ScenarioPlan;
}

const DEFAULT_GRACEFUL_STOP_MS = 30_000; // k6 DefaultGracefulStopValue
const MIN_DURATION_MS = 1000; // k6 minDuration for the constant executors

const KEYS: Record<ScenarioPlan['executor'], readonly string[]> = {
  'constant-arrival-rate': ['executor', 'rate', 'timeUnit', 'duration', 'preAllocatedVUs', 'maxVUs', 'gracefulStop'],
  'ramping-arrival-rate': ['executor', 'startRate', 'timeUnit', 'stages', 'preAllocatedVUs', 'maxVUs', 'gracefulStop'],
  'constant-vus': ['executor', 'vus', 'duration', 'gracefulStop'],
};

const at = (key: string) => `load.scenario.${key}`;

/** A k6 duration of the scenario, in ms; a bad one is a ScenarioError naming the field. */
function ms(value: string, field: string): number {
  try {
    return parseDuration(value, field);
  } catch (e) {
    throw new ScenarioError((e as Error).message);
  }
}

/**
 * Applies the command-line overrides and checks the scenario the way k6 validates its executor
 * configs (lib/executor/*.go Validate), so both engines reject the same scenarios before running.
 * `strictKeys`: the embedded engine refuses k6 options it does not implement (exec, startTime, ...).
 */
export function resolveScenario(raw: ScenarioConfig, overrides: ScenarioOverrides = {}, strictKeys = true): ResolvedScenario {
  const k6: ScenarioConfig = { ...raw };
  if (!(raw.executor in KEYS)) {
    throw new ScenarioError(`${at('executor')} "${raw.executor}" is not supported; use one of ${Object.keys(KEYS).join(', ')}`);
  }
  if (overrides.rate !== undefined) {
    if (raw.executor !== 'constant-arrival-rate') {
      throw new ScenarioError(`--rate applies to the constant-arrival-rate executor; this scenario is ${raw.executor}: edit ${at('stages')} or ${at('vus')} in ephenv.json instead`);
    }
    if (!Number.isInteger(overrides.rate) || overrides.rate <= 0) throw new ScenarioError(`--rate must be a positive integer, got ${overrides.rate}`);
    k6.rate = overrides.rate;
  }
  if (overrides.duration !== undefined) {
    if (raw.executor === 'ramping-arrival-rate') {
      throw new ScenarioError(`--duration does not apply to ramping-arrival-rate, whose length is the sum of its stages: edit ${at('stages')} in ephenv.json instead`);
    }
    ms(overrides.duration, '--duration');
    k6.duration = overrides.duration;
  }
  if (strictKeys) {
    const unknown = Object.keys(k6).filter((k) => !KEYS[raw.executor].includes(k));
    if (unknown.length > 0) {
      throw new ScenarioError(
        `${at(unknown[0])} is not an option of ${raw.executor} in the embedded engine (it knows ${KEYS[raw.executor].join(', ')}); remove it or run with --engine k6`,
      );
    }
  }
  return { k6, plan: plan(k6) };
}

function nonNegative(ms: number, key: string): number {
  if (ms < 0) throw new ScenarioError(`${at(key)} can't be negative`);
  return ms;
}

function plan(s: ScenarioConfig): ScenarioPlan {
  const gracefulStopMs = s.gracefulStop === undefined ? DEFAULT_GRACEFUL_STOP_MS : nonNegative(ms(s.gracefulStop, at('gracefulStop')), 'gracefulStop');

  if (s.executor === 'constant-vus') {
    const vus = s.vus ?? 1;
    if (!(vus > 0)) throw new ScenarioError(`${at('vus')}: the number of VUs must be more than 0`);
    return { executor: s.executor, vus, durationMs: constantDuration(s), gracefulStopMs };
  }

  const timeUnitMs = s.timeUnit === undefined ? 1000 : ms(s.timeUnit, at('timeUnit'));
  if (!(timeUnitMs > 0)) throw new ScenarioError(`${at('timeUnit')} must be more than 0`);
  if (s.preAllocatedVUs === undefined) {
    throw new ScenarioError(`${at('preAllocatedVUs')}: the number of preAllocatedVUs isn't specified (k6 requires it for ${s.executor})`);
  }
  if (s.preAllocatedVUs < 0) throw new ScenarioError(`${at('preAllocatedVUs')} can't be negative`);
  const maxVUs = s.maxVUs ?? s.preAllocatedVUs;
  if (maxVUs < s.preAllocatedVUs) throw new ScenarioError(`${at('maxVUs')} (${maxVUs}) can't be less than preAllocatedVUs (${s.preAllocatedVUs})`);
  if (maxVUs === 0) throw new ScenarioError(`${at('maxVUs')} is 0: the scenario could never start an iteration`);
  const vus = { timeUnitMs, preAllocatedVUs: s.preAllocatedVUs, maxVUs, gracefulStopMs };

  if (s.executor === 'constant-arrival-rate') {
    if (s.rate === undefined) throw new ScenarioError(`${at('rate')}: the iteration rate isn't specified`);
    if (!(s.rate > 0)) throw new ScenarioError(`${at('rate')}: the iteration rate must be more than 0`);
    return { executor: s.executor, rate: s.rate, durationMs: constantDuration(s), ...vus };
  }

  const startRate = s.startRate ?? 0;
  if (startRate < 0) throw new ScenarioError(`${at('startRate')} can't be negative`);
  if (!s.stages || s.stages.length === 0) throw new ScenarioError(`${at('stages')}: at least one stage has to be specified`);
  const stages = s.stages.map((stage, i) => {
    if (stage.duration === undefined) throw new ScenarioError(`${at(`stages[${i}]`)} doesn't have a duration`);
    if (stage.target === undefined) throw new ScenarioError(`${at(`stages[${i}]`)} doesn't have a target`);
    if (stage.target < 0) throw new ScenarioError(`${at(`stages[${i}].target`)} can't be negative`);
    return { durationMs: nonNegative(ms(stage.duration, at(`stages[${i}].duration`)), `stages[${i}].duration`), target: stage.target };
  });
  return { executor: s.executor, startRate, stages, durationMs: stages.reduce((sum, st) => sum + st.durationMs, 0), ...vus };
}

function constantDuration(s: ScenarioConfig): number {
  if (s.duration === undefined) throw new ScenarioError(`${at('duration')}: the duration is unspecified`);
  const durationMs = ms(s.duration, at('duration'));
  if (durationMs < MIN_DURATION_MS) throw new ScenarioError(`${at('duration')} must be at least 1s, but is ${formatDuration(durationMs)}`);
  return durationMs;
}

/** One line describing the scenario, like k6's executor descriptions. */
export function describeScenario(p: ScenarioPlan): string {
  switch (p.executor) {
    case 'constant-arrival-rate': {
      const perSec = (p.rate * 1000) / p.timeUnitMs;
      return `${+perSec.toFixed(2)} iterations/s for ${formatDuration(p.durationMs)} (maxVUs: ${p.preAllocatedVUs}${p.maxVUs > p.preAllocatedVUs ? `-${p.maxVUs}` : ''})`;
    }
    case 'ramping-arrival-rate': {
      const peak = Math.max(p.startRate, ...p.stages.map((s) => s.target));
      return `up to ${+((peak * 1000) / p.timeUnitMs).toFixed(2)} iterations/s for ${formatDuration(p.durationMs)} over ${p.stages.length} stages (maxVUs: ${p.preAllocatedVUs}${p.maxVUs > p.preAllocatedVUs ? `-${p.maxVUs}` : ''})`;
    }
    case 'constant-vus':
      return `${p.vus} looping VUs for ${formatDuration(p.durationMs)}`;
  }
}

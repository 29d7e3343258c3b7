import type { ScenarioConfig, ThresholdSpec } from '@ephenv/core';
import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { BenchmarkSummary, SummaryMetric } from './summary';

/**
 * The contract with the generated `load/k6.js`. Everything reaches the script through the
 * environment (never argv, so the token is not visible in `ps`):
 * - BASE_URL         the preview URL; the script POSTs to `${BASE_URL}/invocations`
 * - TOKEN            the preview's bearer token
 * - EPHENV_OPTIONS   JSON {scenario, thresholds, summaryTrendStats}: the scenario with the
 *                    command-line overrides applied, every threshold, and the trend columns; the
 *                    script's options are `{ scenarios: { <name>: scenario }, thresholds, summaryTrendStats }`
 * - EXAMPLE_FILES    comma-separated absolute paths of the example files ({"request": ..., "response": ...})
 * - EPHENV_SUMMARY   where `handleSummary(data)` must write `JSON.stringify(data)`
 */
export interface K6Options {
  scenario: ScenarioConfig;
  thresholds: Record<string, ThresholdSpec[]>;
  summaryTrendStats: string[];
}

export interface K6RunInput {
  /** Path of the k6 binary. */
  k6: string;
  /** Absolute path of the project's load/k6.js. */
  script: string;
  baseUrl: string;
  token: string;
  options: K6Options;
  exampleFiles: string[];
  summaryPath: string;
  /** Where k6 streams every sample (`--out json=`), read into the per-second timeline. */
  samplesPath?: string;
  cwd: string;
  /** The environment k6 inherits (PATH, HOME, K6_* settings); defaults to ours. */
  env?: NodeJS.ProcessEnv;
}

export interface K6Invocation {
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export class K6Error extends Error {
  override name = 'K6Error';
}

export const K6_INSTALL_HINT =
  'Install k6 (https://grafana.com/docs/k6/latest/set-up/install-k6/, e.g. "brew install k6", "winget install k6" or the Grafana apt repository) ' +
  'or run with --engine embedded.';

/** The k6 binary on PATH, if there is one. */
export function findK6(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const names = process.platform === 'win32' ? ['k6.exe', 'k6.cmd', 'k6'] : ['k6'];
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    for (const name of names) {
      const candidate = join(dir, name);
      try {
        if (!statSync(candidate).isFile()) continue;
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        /* not here */
      }
    }
  }
  return undefined;
}

export function buildK6Invocation(input: K6RunInput): K6Invocation {
  const withComma = input.exampleFiles.find((f) => f.includes(','));
  if (withComma) throw new K6Error(`example file ${withComma}: a comma in its path cannot be passed to k6 in EXAMPLE_FILES; rename it`);
  return {
    command: input.k6,
    args: ['run', '--no-usage-report', ...(input.samplesPath ? ['--out', `json=${input.samplesPath}`] : []), input.script],
    cwd: input.cwd,
    env: {
      ...(input.env ?? process.env),
      BASE_URL: input.baseUrl,
      TOKEN: input.token,
      EPHENV_OPTIONS: JSON.stringify(input.options),
      EXAMPLE_FILES: input.exampleFiles.join(','),
      EPHENV_SUMMARY: input.summaryPath,
    },
  };
}

export interface K6SpawnOptions {
  /** Where k6's own output goes; by default it shares our terminal. */
  output?: NodeJS.WritableStream;
  signal?: AbortSignal;
}

/**
 * Runs k6 and resolves with its exit code. k6 gets its own process group so that a Ctrl-C reaches
 * it once, through `signal`: on a second SIGINT k6 exits without writing its summary. If we exit
 * first, the group is killed.
 */
export function spawnK6(invocation: K6Invocation, options: K6SpawnOptions = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(invocation.command, invocation.args, {
      cwd: invocation.cwd,
      env: invocation.env,
      detached: true,
      stdio: ['ignore', options.output ? 'pipe' : 'inherit', options.output ? 'pipe' : 'inherit'],
    });
    if (options.output) {
      child.stdout?.pipe(options.output, { end: false });
      child.stderr?.pipe(options.output, { end: false });
    }
    const signalGroup = (sig: NodeJS.Signals) => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, sig);
      } catch {
        /* already gone */
      }
    };
    const onAbort = () => signalGroup('SIGINT');
    const onExit = () => signalGroup('SIGKILL');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    process.once('exit', onExit);
    const cleanup = () => {
      options.signal?.removeEventListener('abort', onAbort);
      process.removeListener('exit', onExit);
    };
    child.on('error', (e) => {
      cleanup();
      reject(new K6Error(`could not start ${invocation.command}: ${e.message}. ${K6_INSTALL_HINT}`));
    });
    child.on('close', (code, signal) => {
      cleanup();
      resolve(code ?? (signal ? 128 : 1));
    });
  });
}

const METRIC_TYPES = new Set(['counter', 'gauge', 'rate', 'trend']);

/** Reads the JSON k6's handleSummary wrote, checking it has k6's data shape. */
export function readK6Summary(file: string): Pick<BenchmarkSummary, 'root_group' | 'options' | 'state' | 'metrics'> {
  if (!existsSync(file)) {
    throw new K6Error(
      `k6 finished without writing its summary to ${file}: load/k6.js must export handleSummary(data) returning { [__ENV.EPHENV_SUMMARY]: JSON.stringify(data) }`,
    );
  }
  let data: Record<string, unknown>;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new K6Error(`the k6 summary ${file} is not valid JSON: ${(e as Error).message}`);
  }
  const metrics = data?.metrics as Record<string, SummaryMetric> | undefined;
  if (!metrics || typeof metrics !== 'object') throw new K6Error(`the k6 summary ${file} has no "metrics": is handleSummary writing JSON.stringify(data)?`);
  for (const [name, m] of Object.entries(metrics)) {
    if (!m || !METRIC_TYPES.has(m.type) || typeof m.values !== 'object') {
      throw new K6Error(`the k6 summary ${file}: metric "${name}" is not in k6's summary format ({type, contains, values})`);
    }
  }
  const state = (data.state ?? {}) as BenchmarkSummary['state'];
  return {
    root_group: (data.root_group ?? { name: '', path: '', id: '', groups: [], checks: [] }) as BenchmarkSummary['root_group'],
    options: (data.options ?? { summaryTrendStats: [], summaryTimeUnit: '', noColor: false }) as BenchmarkSummary['options'],
    state: { isStdOutTTY: state.isStdOutTTY ?? false, isStdErrTTY: state.isStdErrTTY ?? false, testRunDurationMs: state.testRunDurationMs ?? 0 },
    metrics,
  };
}

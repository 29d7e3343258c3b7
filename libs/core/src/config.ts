import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import schema from '../ephenv.schema.json';
import type { EphenvJson, EphenvJsonWithDefaults } from './generated/ephenv-json';
import { compileSchema, describeErrors } from './schema';

export const CONFIG_FILE = 'ephenv.json';

export type { EphenvJson, EphenvJsonWithDefaults };

export type EndpointType = EphenvJson['endpoint']['type'];
/** A k6 scenario (load.scenario). */
export type ScenarioConfig = EphenvJson['load']['scenario'];
/** One threshold of load.thresholds, in k6's syntax. */
export type ThresholdSpec = EphenvJson['load']['thresholds'][string][number];

/** ephenv.json with every default applied and every path made absolute. */
export interface ModelConfig {
  name: string;
  framework: 'sklearn';
  projectRoot: string;
  /** Absolute path of the project folder. */
  projectDir: string;
  /** `endpoint` with its defaults. `maxBatchSize` is the most instances one request may carry: the gateway's cap on arrays the input schema leaves unbounded. */
  endpoint: EphenvJsonWithDefaults['endpoint'];
  ttlHours: number;
  /** Largest request body the gateway accepts: SageMaker's own payload limit for the endpoint type. */
  maxBodyBytes: number;
  schemas: { input: string; output: string; examples: string };
  tolerance: number;
  /** The `evaluate` section with its defaults; undefined when ephenv.json has none. */
  evaluate?: EvaluateConfig;
  load: EphenvJson['load'];
  aws: EphenvJsonWithDefaults['aws'];
}

/** ephenv.json `evaluate` as written by the user. */
export type EvaluateJson = NonNullable<EphenvJson['evaluate']>;
type EvaluateWithDefaults = NonNullable<EphenvJsonWithDefaults['evaluate']>;
export type EvaluateTask = EvaluateJson['task'];
export type MetricName = NonNullable<EvaluateJson['metrics']>[number];
/** One metric's gate, in MLflow's MetricThreshold vocabulary (camelCased). */
export type MetricThresholdSpec = NonNullable<EvaluateJson['thresholds']>[string];

/** `evaluate` with every default applied; `data.file` is absolute. */
export interface EvaluateConfig {
  data: { file: string; format: 'jsonl' | 'csv'; features?: Record<string, string>; label: string; instancesKey: string };
  task: EvaluateTask;
  response: { predictionsKey: string; labelKey: string; probabilitiesKey: string; valueKey: string };
  metrics: MetricName[];
  batchSize: number;
  concurrency: number;
  tolerance: number;
  thresholds: Partial<Record<MetricName, MetricThresholdSpec>>;
}

export const DEFAULT_METRICS: Record<EvaluateTask, MetricName[]> = {
  classification: ['accuracy', 'balanced_accuracy', 'precision_macro', 'recall_macro', 'f1_macro', 'log_loss'],
  regression: ['mae', 'rmse', 'r2', 'max_error'],
};

const CLASSIFICATION_METRICS: MetricName[] = ['accuracy', 'balanced_accuracy', 'precision_macro', 'recall_macro', 'f1_macro', 'log_loss'];

/**
 * The `evaluate` section, its schema defaults already applied by ajv, with the defaults that
 * depend on other fields (metrics by task, format by file extension); a metric of the other task
 * is a configuration error.
 */
export function evaluateConfig(e: EvaluateWithDefaults, projectDir: string, projectRoot: string, workspaceRoot: string): EvaluateConfig {
  const metrics = e.metrics ?? DEFAULT_METRICS[e.task];
  const misplaced = [...metrics, ...(Object.keys(e.thresholds) as MetricName[])].filter((m) => CLASSIFICATION_METRICS.includes(m) !== (e.task === 'classification'));
  if (misplaced.length > 0) {
    throw new ConfigError(`ephenv.json /evaluate: ${[...new Set(misplaced)].join(', ')} ${misplaced.length === 1 ? 'is not a metric' : 'are not metrics'} of a ${e.task} task; use ${DEFAULT_METRICS[e.task].join(', ')}`);
  }
  const base = e.data.from === 'model' ? join(workspaceRoot, 'dist', projectRoot, 'model') : projectDir;
  const file = join(base, e.data.file);
  const { from: _from, ...data } = e.data;
  return {
    data: { ...data, file, format: e.data.format ?? (file.toLowerCase().endsWith('.csv') ? 'csv' : 'jsonl') },
    task: e.task,
    response: e.response,
    metrics,
    batchSize: e.batchSize,
    concurrency: e.concurrency,
    tolerance: e.tolerance,
    thresholds: e.thresholds,
  };
}

export interface Example {
  name: string;
  file: string;
  request: unknown;
  response?: unknown;
}

export const PAYLOAD_LIMIT_BYTES: Record<EndpointType, number> = {
  realtime: 6 * 1024 * 1024,
  serverless: 4 * 1024 * 1024,
};

/** ephenv.json's default `endpoint.maxBatchSize`, read from the schema. */
export const DEFAULT_MAX_BATCH_SIZE: number = schema.properties.endpoint.properties.maxBatchSize.default;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

// useDefaults: the schema is the one place the defaults are written down.
const validateEphenvJson = compileSchema<EphenvJsonWithDefaults>(schema, { useDefaults: true });

/** Reads and checks `<projectRoot>/ephenv.json`; errors name the file and the JSON pointer. */
export function loadModelConfig(workspaceRoot: string, projectRoot: string): ModelConfig {
  const projectDir = join(workspaceRoot, projectRoot);
  const file = join(projectDir, CONFIG_FILE);
  if (!existsSync(file)) {
    throw new ConfigError(`${relative(workspaceRoot, file)} not found: is ${projectRoot} a model service? Create one with "nx g @ephenv:model <name>".`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ConfigError(`${relative(workspaceRoot, file)} is not valid JSON: ${(e as Error).message}`);
  }
  if (!validateEphenvJson(raw)) {
    throw new ConfigError(`${relative(workspaceRoot, file)} does not match the ephenv.json schema:\n  ${describeErrors(validateEphenvJson.errors).join('\n  ')}`);
  }
  const c = raw;
  return {
    name: c.name,
    framework: c.framework,
    projectRoot,
    projectDir,
    endpoint: c.endpoint,
    ttlHours: c.preview.ttlHours,
    maxBodyBytes: PAYLOAD_LIMIT_BYTES[c.endpoint.type],
    schemas: {
      input: join(projectDir, c.schemas.input),
      output: join(projectDir, c.schemas.output),
      examples: join(projectDir, c.schemas.examples),
    },
    tolerance: c.validate.tolerance,
    ...(c.evaluate && { evaluate: evaluateConfig(c.evaluate, projectDir, projectRoot, workspaceRoot) }),
    load: c.load,
    aws: c.aws,
  };
}

export function readJsonFile<T = unknown>(file: string): T {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    return JSON.parse(text) as T;
  } catch (e) {
    throw new ConfigError(`${file} is not valid JSON: ${(e as Error).message}`);
  }
}

/** The examples folder: one `<name>.json` per example, `{ "request": ..., "response": ... }`, sorted by name. */
export function loadExamples(config: Pick<ModelConfig, 'schemas'>): Example[] {
  const dir = config.schemas.examples;
  if (!existsSync(dir)) throw new ConfigError(`examples folder ${dir} not found (ephenv.json "schemas.examples")`);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const file = join(dir, f);
      const body = readJsonFile<Record<string, unknown>>(file);
      if (body === null || typeof body !== 'object' || !('request' in body)) {
        throw new ConfigError(`${file}: an example is {"request": ..., "response": ...}; "request" is missing`);
      }
      return { name: f.replace(/\.json$/, ''), file, request: body.request, response: body.response };
    });
}

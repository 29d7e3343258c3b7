import Ajv, { type ErrorObject } from 'ajv';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import schema from '../ephenv.schema.json';

export const CONFIG_FILE = 'ephenv.json';

export type EndpointType = 'serverless' | 'realtime';

export interface ScenarioConfig {
  executor: 'constant-arrival-rate' | 'ramping-arrival-rate' | 'constant-vus';
  rate?: number;
  startRate?: number;
  timeUnit?: string;
  duration?: string;
  vus?: number;
  preAllocatedVUs?: number;
  maxVUs?: number;
  stages?: { duration: string; target: number }[];
  gracefulStop?: string;
  [key: string]: unknown;
}

export type ThresholdSpec = string | { threshold: string; abortOnFail?: boolean; delayAbortEval?: string };

/** The ML frameworks `nx g @ephenv:model --framework` scaffolds (ephenv.schema.json's enum). */
export type ModelFramework = 'sklearn' | 'lightgbm' | 'onnx' | 'pytorch';

/** ephenv.json as written by the user. */
export interface EphenvJson {
  name: string;
  framework: ModelFramework;
  endpoint: {
    type: EndpointType;
    instanceType?: string;
    instanceCount?: number;
    productionInstanceType?: string;
    memorySizeMb?: number;
    maxConcurrency?: number;
    timeoutSeconds?: number;
    maxBatchSize?: number;
  };
  preview?: { ttlHours?: number };
  schemas: { input: string; output: string; examples: string };
  validate?: { tolerance?: number };
  evaluate?: EvaluateJson;
  load: { scenario: ScenarioConfig; thresholds: Record<string, ThresholdSpec[]> };
  aws?: { region?: string; stateBucket?: string; lockTable?: string };
}

/** ephenv.json with every default applied and every path made absolute. */
export interface ModelConfig {
  name: string;
  framework: ModelFramework;
  projectRoot: string;
  /** Absolute path of the project folder. */
  projectDir: string;
  endpoint: {
    type: EndpointType;
    instanceType: string;
    instanceCount: number;
    productionInstanceType: string;
    memorySizeMb: number;
    maxConcurrency: number;
    timeoutSeconds: number;
    /** Most instances one request may carry; the gateway's cap on arrays the input schema leaves unbounded. */
    maxBatchSize: number;
  };
  ttlHours: number;
  /** Largest request body the gateway accepts: SageMaker's own payload limit for the endpoint type. */
  maxBodyBytes: number;
  schemas: { input: string; output: string; examples: string };
  tolerance: number;
  /** The `evaluate` section with its defaults; undefined when ephenv.json has none. */
  evaluate?: EvaluateConfig;
  load: EphenvJson['load'];
  aws: { region?: string; stateBucket?: string; lockTable?: string };
}

export type EvaluateTask = 'classification' | 'regression';
export type MetricName = 'accuracy' | 'balanced_accuracy' | 'precision_macro' | 'recall_macro' | 'f1_macro' | 'log_loss' | 'mae' | 'rmse' | 'r2' | 'max_error';

/** One metric's gate, in MLflow's MetricThreshold vocabulary (camelCased). */
export interface MetricThresholdSpec {
  threshold?: number;
  minAbsoluteChange?: number;
  minRelativeChange?: number;
  greaterIsBetter?: boolean;
}

/** ephenv.json `evaluate` as written by the user. */
export interface EvaluateJson {
  data: { file: string; from?: 'project' | 'model'; format?: 'jsonl' | 'csv'; features?: Record<string, string>; label?: string; instancesKey?: string };
  task: EvaluateTask;
  response?: { predictionsKey?: string; labelKey?: string; probabilitiesKey?: string; valueKey?: string };
  metrics?: MetricName[];
  batchSize?: number;
  concurrency?: number;
  tolerance?: number;
  thresholds?: Partial<Record<MetricName, MetricThresholdSpec>>;
}

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

/** Applies the defaults of the `evaluate` section; a metric of the other task is a configuration error. */
export function evaluateConfig(e: EvaluateJson, projectDir: string, projectRoot: string, workspaceRoot: string): EvaluateConfig {
  const metrics = e.metrics ?? DEFAULT_METRICS[e.task];
  const misplaced = [...metrics, ...(Object.keys(e.thresholds ?? {}) as MetricName[])].filter((m) => CLASSIFICATION_METRICS.includes(m) !== (e.task === 'classification'));
  if (misplaced.length > 0) {
    throw new ConfigError(`ephenv.json /evaluate: ${[...new Set(misplaced)].join(', ')} ${misplaced.length === 1 ? 'is not a metric' : 'are not metrics'} of a ${e.task} task; use ${DEFAULT_METRICS[e.task].join(', ')}`);
  }
  const base = e.data.from === 'model' ? join(workspaceRoot, 'dist', projectRoot, 'model') : projectDir;
  const file = join(base, e.data.file);
  return {
    data: {
      file,
      format: e.data.format ?? (file.toLowerCase().endsWith('.csv') ? 'csv' : 'jsonl'),
      ...(e.data.features && { features: e.data.features }),
      label: e.data.label ?? 'label',
      instancesKey: e.data.instancesKey ?? 'instances',
    },
    task: e.task,
    response: {
      predictionsKey: e.response?.predictionsKey ?? 'predictions',
      labelKey: e.response?.labelKey ?? 'label',
      probabilitiesKey: e.response?.probabilitiesKey ?? 'probabilities',
      valueKey: e.response?.valueKey ?? 'value',
    },
    metrics,
    batchSize: e.batchSize ?? 100,
    concurrency: e.concurrency ?? 4,
    tolerance: e.tolerance ?? 1e-6,
    thresholds: e.thresholds ?? {},
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

/** ephenv.json's default `endpoint.maxBatchSize` (the schema's `default`). */
export const DEFAULT_MAX_BATCH_SIZE = 1000;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const ajv = new Ajv({ allErrors: true, strict: false, useDefaults: false });
const validateEphenvJson = ajv.compile<EphenvJson>(schema);

function describe(errors: ErrorObject[]): string {
  return errors
    .slice(0, 10)
    .map((e) => {
      const at = e.instancePath || '/';
      if (e.keyword === 'additionalProperties') return `${at}: unknown property "${(e.params as { additionalProperty: string }).additionalProperty}"`;
      if (e.keyword === 'enum') return `${at}: ${e.message} (${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')})`;
      return `${at}: ${e.message}`;
    })
    .join('\n  ');
}

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
    throw new ConfigError(`${relative(workspaceRoot, file)} does not match the ephenv.json schema:\n  ${describe(validateEphenvJson.errors ?? [])}`);
  }
  const c = raw;
  const type = c.endpoint.type;
  return {
    name: c.name,
    framework: c.framework,
    projectRoot,
    projectDir,
    endpoint: {
      type,
      instanceType: c.endpoint.instanceType ?? 'ml.t2.medium',
      instanceCount: c.endpoint.instanceCount ?? 1,
      productionInstanceType: c.endpoint.productionInstanceType ?? 'ml.g4dn.xlarge',
      memorySizeMb: c.endpoint.memorySizeMb ?? 2048,
      maxConcurrency: c.endpoint.maxConcurrency ?? 5,
      timeoutSeconds: c.endpoint.timeoutSeconds ?? 25,
      maxBatchSize: c.endpoint.maxBatchSize ?? DEFAULT_MAX_BATCH_SIZE,
    },
    ttlHours: c.preview?.ttlHours ?? 72,
    maxBodyBytes: PAYLOAD_LIMIT_BYTES[type],
    schemas: {
      input: join(projectDir, c.schemas.input),
      output: join(projectDir, c.schemas.output),
      examples: join(projectDir, c.schemas.examples),
    },
    tolerance: c.validate?.tolerance ?? 0.001,
    ...(c.evaluate && { evaluate: evaluateConfig(c.evaluate, projectDir, projectRoot, workspaceRoot) }),
    load: c.load,
    aws: c.aws ?? {},
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

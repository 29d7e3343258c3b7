import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, loadExamples, loadModelConfig, PAYLOAD_LIMIT_BYTES } from './config';

const REPO = resolve(__dirname, '..', '..', '..');

describe('loadModelConfig', () => {
  let ws: string;
  beforeEach(() => {
    ws = mkdtempSync(join(tmpdir(), 'ephenv-config-'));
    mkdirSync(join(ws, 'apps', 'm'), { recursive: true });
  });
  afterEach(() => rmSync(ws, { recursive: true, force: true }));
  const write = (config: unknown) => writeFileSync(join(ws, 'apps/m/ephenv.json'), typeof config === 'string' ? config : JSON.stringify(config));
  const minimal = {
    name: 'm',
    framework: 'sklearn',
    endpoint: { type: 'serverless' },
    schemas: { input: 's/in.json', output: 's/out.json', examples: 's/ex' },
    load: { scenario: { executor: 'constant-vus', vus: 1, duration: '1s' }, thresholds: {} },
  };

  it('reads the example model with every default resolved', () => {
    const config = loadModelConfig(REPO, 'apps/iris-classifier');
    expect(config.name).toBe('iris-classifier');
    expect(config.endpoint.type).toBe('serverless');
    expect(config.maxBodyBytes).toBe(PAYLOAD_LIMIT_BYTES.serverless);
    expect(config.schemas.input).toBe(join(REPO, 'apps/iris-classifier/schemas/input.schema.json'));
    expect(loadExamples(config).map((e) => e.name)).toEqual(['batch', 'setosa', 'versicolor', 'virginica']);
  });

  it('reads the evaluate section with its defaults, the data file under the project or the model artifact', () => {
    write({ ...minimal, evaluate: { data: { file: 'data/eval.csv', label: 'species' }, task: 'classification', thresholds: { accuracy: { minAbsoluteChange: -0.02 } } } });
    const e = loadModelConfig(ws, 'apps/m').evaluate!;
    expect(e).toMatchObject({ task: 'classification', batchSize: 100, concurrency: 4, data: { file: join(ws, 'apps/m/data/eval.csv'), format: 'csv', label: 'species', instancesKey: 'instances' } });
    expect(e.metrics).toEqual(['accuracy', 'balanced_accuracy', 'precision_macro', 'recall_macro', 'f1_macro', 'log_loss']);
    expect(e.response).toEqual({ predictionsKey: 'predictions', labelKey: 'label', probabilitiesKey: 'probabilities', valueKey: 'value' });
    write({ ...minimal, evaluate: { data: { file: 'evaluation.jsonl', from: 'model' }, task: 'regression' } });
    expect(loadModelConfig(ws, 'apps/m').evaluate).toMatchObject({ metrics: ['mae', 'rmse', 'r2', 'max_error'], data: { file: join(ws, 'dist/apps/m/model/evaluation.jsonl'), format: 'jsonl' } });
    write(minimal);
    expect(loadModelConfig(ws, 'apps/m').evaluate).toBeUndefined();
  });

  it('rejects an evaluate section with an unknown metric, a metric of the other task, or a bad threshold', () => {
    write({ ...minimal, evaluate: { data: { file: 'e.jsonl' }, task: 'classification', metrics: ['auc'] } });
    expect(() => loadModelConfig(ws, 'apps/m')).toThrow(/\/evaluate\/metrics\/0: must be one of \"accuracy\", /);
    write({ ...minimal, evaluate: { data: { file: 'e.jsonl' }, task: 'regression', thresholds: { accuracy: { threshold: 0.9 } } } });
    expect(() => loadModelConfig(ws, 'apps/m')).toThrow(/accuracy is not a metric of a regression task; use mae, rmse, r2, max_error/);
    write({ ...minimal, evaluate: { data: { file: 'e.jsonl' }, task: 'classification', thresholds: { accuracy: { min_absolute_change: 0.1 } } } });
    expect(() => loadModelConfig(ws, 'apps/m')).toThrow(/unknown property "min_absolute_change"/);
  });

  it('applies defaults and the payload limit of the endpoint type', () => {
    write(minimal);
    expect(loadModelConfig(ws, 'apps/m')).toMatchObject({ ttlHours: 72, tolerance: 0.001, maxBodyBytes: 4 * 1024 * 1024, endpoint: { instanceType: 'ml.t2.medium', timeoutSeconds: 25, maxBatchSize: 1000 } });
    write({ ...minimal, endpoint: { type: 'realtime' } });
    expect(loadModelConfig(ws, 'apps/m').maxBodyBytes).toBe(6 * 1024 * 1024);
  });

  it('takes every default from the schema (ajv useDefaults): the values the hand-written fallbacks gave, and what the file says wins', () => {
    write(minimal);
    const c = loadModelConfig(ws, 'apps/m');
    expect(c.endpoint).toEqual({ type: 'serverless', instanceType: 'ml.t2.medium', instanceCount: 1, productionInstanceType: 'ml.g4dn.xlarge', memorySizeMb: 2048, maxConcurrency: 5, timeoutSeconds: 25, maxBatchSize: 1000 });
    expect({ ttlHours: c.ttlHours, tolerance: c.tolerance, aws: c.aws }).toEqual({ ttlHours: 72, tolerance: 0.001, aws: {} });
    // Each endpoint default is the schema's own.
    const endpointSchema = (JSON.parse(readFileSync(join(REPO, 'libs/core/ephenv.schema.json'), 'utf8')) as { properties: { endpoint: { properties: Record<string, { default?: unknown }> } } }).properties.endpoint.properties;
    for (const [key, property] of Object.entries(endpointSchema)) if ('default' in property) expect(c.endpoint[key as keyof typeof c.endpoint], key).toEqual(property.default);

    write({ ...minimal, endpoint: { type: 'realtime', instanceCount: 2, maxBatchSize: 10 }, preview: { ttlHours: 5 }, validate: { tolerance: 0 }, aws: { region: 'eu-west-1' } });
    const set = loadModelConfig(ws, 'apps/m');
    expect(set.endpoint).toMatchObject({ type: 'realtime', instanceCount: 2, maxBatchSize: 10, instanceType: 'ml.t2.medium' });
    expect({ ttlHours: set.ttlHours, tolerance: set.tolerance, aws: set.aws }).toEqual({ ttlHours: 5, tolerance: 0, aws: { region: 'eu-west-1' } });

    write({ ...minimal, evaluate: { data: { file: 'e.jsonl' }, task: 'classification' } });
    expect(loadModelConfig(ws, 'apps/m').evaluate).toEqual({
      data: { file: join(ws, 'apps/m/e.jsonl'), format: 'jsonl', label: 'label', instancesKey: 'instances' },
      task: 'classification',
      response: { predictionsKey: 'predictions', labelKey: 'label', probabilitiesKey: 'probabilities', valueKey: 'value' },
      metrics: ['accuracy', 'balanced_accuracy', 'precision_macro', 'recall_macro', 'f1_macro', 'log_loss'],
      batchSize: 100,
      concurrency: 4,
      tolerance: 1e-6,
      thresholds: {},
    });
    write({ ...minimal, evaluate: { data: { file: 'e.csv', label: 'y', instancesKey: 'rows' }, task: 'regression', response: { valueKey: 'v' }, batchSize: 7, concurrency: 1, tolerance: 0.5 } });
    expect(loadModelConfig(ws, 'apps/m').evaluate).toMatchObject({ data: { format: 'csv', label: 'y', instancesKey: 'rows' }, response: { predictionsKey: 'predictions', valueKey: 'v' }, batchSize: 7, concurrency: 1, tolerance: 0.5 });
  });

  it('says where a missing file is and how to create a service', () => {
    expect(() => loadModelConfig(ws, 'apps/none')).toThrow(/apps\/none\/ephenv.json not found.*nx g @ephenv:model/);
  });

  it('reports invalid JSON and schema violations with the JSON pointer', () => {
    write('{ "name": ');
    expect(() => loadModelConfig(ws, 'apps/m')).toThrow(/apps\/m\/ephenv.json is not valid JSON/);
    write({ ...minimal, endpoint: { type: 'batch' }, extra: 1 });
    const error = (() => {
      try {
        loadModelConfig(ws, 'apps/m');
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error?.message).toContain('/endpoint/type: must be one of "serverless", "realtime"');
    expect(error?.message).toContain('unknown property "extra"');
  });

  it('reports an example without a request, naming the file', () => {
    write(minimal);
    mkdirSync(join(ws, 'apps/m/s/ex'), { recursive: true });
    writeFileSync(join(ws, 'apps/m/s/ex/bad.json'), JSON.stringify({ response: {} }));
    expect(() => loadExamples(loadModelConfig(ws, 'apps/m'))).toThrow(/bad.json: an example is \{"request": \.\.\., "response": \.\.\.\}; "request" is missing/);
  });
});

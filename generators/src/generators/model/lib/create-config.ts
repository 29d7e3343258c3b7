import type { EphenvJson } from '@ephenv/core';
import type { NormalizedModelOptions } from './normalize-options';

/** Instances per evaluation request: the evaluate section's default, within what the endpoint accepts. */
const EVALUATION_BATCH_SIZE = 100;

/** The model's ephenv.json: endpoint, contract locations, evaluation set, load scenario and thresholds. */
export function createConfig(options: NormalizedModelOptions): EphenvJson & { $schema: string } {
  return {
    $schema: `${options.offset}libs/core/ephenv.schema.json`,
    name: options.name,
    framework: options.framework,
    endpoint: {
      type: options.endpointType,
      instanceType: options.instanceType,
      instanceCount: 1,
      productionInstanceType: options.productionInstanceType,
      memorySizeMb: 2048,
      maxConcurrency: 5,
      timeoutSeconds: 25,
      maxBatchSize: options.maxBatchSize,
    },
    preview: { ttlHours: 72 },
    schemas: {
      input: 'schemas/input.schema.json',
      output: 'schemas/output.schema.json',
      examples: 'schemas/examples',
    },
    validate: { tolerance: 0.001 },
    // train.py writes the held-out rows next to the model; the thresholds tolerate one changed
    // prediction of its 60 and fail on a model that is worse in earnest.
    evaluate: {
      data: { file: 'evaluation.jsonl', from: 'model' },
      task: 'classification',
      batchSize: Math.min(EVALUATION_BATCH_SIZE, options.maxBatchSize),
      thresholds: {
        accuracy: { minAbsoluteChange: -0.02, threshold: 0.9 },
        f1_macro: { minAbsoluteChange: -0.02, threshold: 0.9 },
        log_loss: { minAbsoluteChange: -0.05 },
      },
    },
    load: {
      scenario: {
        executor: 'constant-arrival-rate',
        rate: 20,
        timeUnit: '1s',
        duration: '15s',
        preAllocatedVUs: 5,
        maxVUs: 20,
      },
      thresholds: {
        http_req_duration: ['p(95)<250', 'p(99)<500'],
        http_req_failed: ['rate<0.01'],
        checks: ['rate>0.99'],
      },
    },
  };
}

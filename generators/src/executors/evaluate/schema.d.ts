/** The executor's options (schema.json) are runEvaluate's. */
export type { EvaluateOptions as EvaluateExecutorSchema } from '@ephenv/evaluate';

/** The executor's options (schema.json) are runValidate's. */
export type { ValidateOptions as ValidateExecutorSchema } from '@ephenv/validate';

/** The executor's options (schema.json) are readPreviewLogs'. */
export type { LogsOptions as LogsExecutorSchema } from '@ephenv/preview';

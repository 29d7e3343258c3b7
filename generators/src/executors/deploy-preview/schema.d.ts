/** The executor's options (schema.json) are deployPreview's. */
export type { DeployOptions as DeployPreviewExecutorSchema } from '@ephenv/preview/lifecycle';

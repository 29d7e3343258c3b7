/** The executor's options (schema.json) are destroyPreview's. */
export type { DestroyOptions as DestroyPreviewExecutorSchema } from '@ephenv/preview/lifecycle';

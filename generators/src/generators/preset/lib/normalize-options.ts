import type { PresetGeneratorSchema } from '../schema';

export interface NormalizedPresetOptions {
  model: string;
  endpointType: 'serverless' | 'realtime';
  skipFormat: boolean;
}

/** The model the example workspace starts with when create-nx-workspace is given no --model. */
export const DEFAULT_MODEL = 'iris-classifier';

export function normalizeOptions(schema: PresetGeneratorSchema): NormalizedPresetOptions {
  return { model: schema.model ?? DEFAULT_MODEL, endpointType: schema.endpointType ?? 'serverless', skipFormat: schema.skipFormat ?? false };
}

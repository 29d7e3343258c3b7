export interface PresetGeneratorSchema {
  name?: string;
  model?: string;
  endpointType?: 'serverless' | 'realtime';
  skipFormat?: boolean;
}

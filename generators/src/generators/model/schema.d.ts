export interface ModelGeneratorSchema {
  name: string;
  directory?: string;
  endpointType?: 'serverless' | 'realtime';
  instanceType?: string;
  productionInstanceType?: string;
  maxBatchSize?: number;
  framework?: 'sklearn';
  skipFormat?: boolean;
}

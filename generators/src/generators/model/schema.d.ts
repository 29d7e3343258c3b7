export interface ModelGeneratorSchema {
  name: string;
  directory?: string;
  endpointType?: 'serverless' | 'realtime';
  instanceType?: string;
  productionInstanceType?: string;
  framework?: 'sklearn';
  skipFormat?: boolean;
}

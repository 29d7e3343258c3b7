export interface ModelGeneratorSchema {
  name: string;
  directory?: string;
  endpointType?: 'serverless' | 'realtime';
  instanceType?: string;
  productionInstanceType?: string;
  maxBatchSize?: number;
  framework?: 'sklearn' | 'lightgbm' | 'pytorch' | 'onnx';
  /** A Yeoman generator (package name or path) whose output is the container and serving code. */
  template?: string;
  /** Answers to the Yeoman generator's questions: a JSON object or a path to a JSON file. */
  templateAnswers?: string;
  skipFormat?: boolean;
}

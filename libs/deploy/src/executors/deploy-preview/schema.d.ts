export interface DeployPreviewExecutorSchema {
  provider?: 'local' | 'aws';
  pr?: string;
  showToken?: boolean;
  imageUri?: string;
  lockTimeout?: string;
  endpointTimeout?: number;
}

export interface DeployPreviewExecutorSchema {
  provider?: 'local' | 'aws';
  pr?: string | number;
  showToken?: boolean;
  imageUri?: string;
  lockTimeout?: string;
  endpointTimeout?: number;
  base?: string;
}

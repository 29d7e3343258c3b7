export interface DeployPreviewExecutorSchema {
  provider?: 'local' | 'aws';
  pr?: string;
  showToken?: boolean;
}

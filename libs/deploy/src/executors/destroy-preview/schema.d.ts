export interface DestroyPreviewExecutorSchema {
  provider?: 'local' | 'aws';
  pr?: string;
  lockTimeout?: string;
}

export interface DestroyPreviewExecutorSchema {
  provider?: 'local' | 'aws';
  pr?: string | number;
  lockTimeout?: string;
}

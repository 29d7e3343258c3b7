export interface LogsExecutorSchema {
  lines?: number;
  provider?: 'local' | 'aws';
  pr?: string | number;
}

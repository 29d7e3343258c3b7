export interface LogsExecutorSchema {
  lines?: number;
}

export interface PytestExecutorSchema {
  args?: string[];
}

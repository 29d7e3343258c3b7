import type { ThresholdSpec } from '@ephenv/core';

export interface BenchmarkExecutorSchema {
  engine?: 'auto' | 'embedded' | 'k6';
  rate?: number;
  duration?: string;
  url?: string;
  baseline?: string;
  tolerance?: number;
  thresholds?: Record<string, ThresholdSpec[]>;
  failOnRegression?: boolean;
  progress?: boolean;
}

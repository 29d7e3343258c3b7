import type { ThresholdSpec } from '@ephenv/core';

export interface BenchmarkExecutorSchema {
  engine?: 'auto' | 'embedded' | 'k6';
  rate?: number;
  duration?: string;
  url?: string;
  baseline?: string;
  baselineDir?: string;
  tolerance?: number;
  /** An object, or its JSON from the command line. */
  thresholds?: Record<string, ThresholdSpec[]> | string;
  failOnRegression?: boolean;
  progress?: boolean;
}

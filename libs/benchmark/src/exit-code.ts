import { DurationError } from './duration';
import { ScenarioError } from './scenario';
import { INVALID_CONFIG_EXIT_CODE } from './summary';
import { ThresholdError } from './thresholds/parse-expression';

/** The process exit code for an error thrown by runBenchmark: k6's 104 for an invalid scenario or threshold, else 1. */
export function exitCodeFor(error: unknown): number {
  return error instanceof ThresholdError || error instanceof ScenarioError || error instanceof DurationError ? INVALID_CONFIG_EXIT_CODE : 1;
}

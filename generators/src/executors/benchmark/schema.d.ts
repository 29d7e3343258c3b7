import type { BenchmarkOptions } from '@ephenv/benchmark';

/** The executor's options (schema.json) are runBenchmark's options. */
export type BenchmarkExecutorSchema = BenchmarkOptions;

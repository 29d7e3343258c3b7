import type { BenchmarkOptions } from '../run-benchmark';

/** The executor's options (schema.json) are runBenchmark's options. */
export type BenchmarkExecutorSchema = BenchmarkOptions;

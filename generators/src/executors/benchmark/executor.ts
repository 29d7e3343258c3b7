import type { ExecutorContext } from '@nx/devkit';
import { runBenchmark } from '@ephenv/benchmark';
import { runOnProject } from '../run-on-project';
import type { BenchmarkExecutorSchema } from './schema';

/** `nx run <project>:benchmark`: fails when a threshold fails (the ephenv CLI exits 99 then, as k6). */
export default function benchmarkExecutor(options: BenchmarkExecutorSchema, context: ExecutorContext) {
  return runOnProject('benchmark', context, async (ref) => {
    const controller = new AbortController();
    const interrupt = () => controller.abort();
    process.once('SIGINT', interrupt);
    try {
      const result = await runBenchmark(options, { ...ref, signal: controller.signal });
      return { success: result.exitCode === 0, exitCode: result.exitCode };
    } finally {
      process.removeListener('SIGINT', interrupt);
    }
  });
}

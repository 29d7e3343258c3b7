// Types only from @nx/devkit: its runtime would load most of Nx into the executor for one logger.
import type { ExecutorContext } from '@nx/devkit';
import { runBenchmark } from '@ephenv/benchmark';
import type { BenchmarkExecutorSchema } from './schema';

/** `nx run <project>:benchmark`: fails when a threshold fails (the ephenv CLI exits 99 then, as k6). */
export default async function runExecutor(options: BenchmarkExecutorSchema, context: ExecutorContext): Promise<{ success: boolean; exitCode?: number }> {
  const project = context.projectName;
  const projectRoot = project ? context.projectsConfigurations.projects[project]?.root : undefined;
  if (!project || projectRoot === undefined) {
    console.error('ephenv benchmark: run it as a project target, e.g. "npx nx run <project>:benchmark"');
    return { success: false };
  }
  const controller = new AbortController();
  const interrupt = () => controller.abort();
  process.once('SIGINT', interrupt);
  try {
    const result = await runBenchmark(options, { workspaceRoot: context.root, projectRoot, project, signal: controller.signal });
    return { success: result.exitCode === 0, exitCode: result.exitCode };
  } catch (e) {
    console.error(`ephenv benchmark (${project}): ${(e as Error).message}`);
    return { success: false };
  } finally {
    process.removeListener('SIGINT', interrupt);
  }
}

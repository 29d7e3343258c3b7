import { USAGE } from './usage';
import { findWorkspaceRoot } from './workspace';

class UsageError extends Error {}

/**
 * Each command's module is loaded only when it runs: `ephenv help` loads no library, and a local
 * deploy does not load the AWS SDK.
 */
const COMMANDS: Record<string, (workspaceRoot: string, args: string[]) => Promise<number>> = {
  pr: async (root, args) => (await import('./commands/pr')).prCommand(root, args),
  deploy: async (root, args) => (await import('./commands/preview')).deployCommand(root, args),
  destroy: async (root, args) =>
    // `destroy <model>` mirrors deploy; `destroy --pr <n>` removes every model's preview of a PR.
    args[0] !== undefined && !args[0].startsWith('-')
      ? (await import('./commands/preview')).destroyModelCommand(root, args)
      : (await import('./commands/destroy')).destroyCommand(root, args),
  validate: async (root, args) => (await import('./commands/model-checks')).validateCommand(root, args),
  evaluate: async (root, args) => (await import('./commands/evaluate')).evaluateCommand(root, args),
  benchmark: async (root, args) => (await import('./commands/model-checks')).benchmarkCommand(root, args),
  report: async (root, args) => (await import('./commands/report')).reportCommand(root, args),
  comment: async (root, args) => (await import('./commands/comment')).commentCommand(root, args),
  reap: async (root, args) => (await import('./commands/reap')).reapCommand(root, args),
  status: async (root) => (await import('./commands/status')).statusCommand(root),
  token: async (root, [project]) => {
    if (!project) throw new UsageError('ephenv token <project>');
    const { readRecord } = await import('@ephenv/core');
    const record = readRecord(root, project);
    if (!record) throw new Error(`no preview of ${project}: start one with "npx ephenv deploy ${project}"`);
    process.stdout.write(`${record.token}\n`);
    return 0;
  },
  logs: async (root, args) => {
    const { parseExecutorOptions } = await import('./executor-options');
    const { LOGS_USAGE } = await import('./usage');
    const { positionals, options } = parseExecutorOptions<import('@ephenv/preview').LogsOptions>('logs', args, LOGS_USAGE);
    if (positionals.length !== 1) throw new UsageError(LOGS_USAGE);
    const { readPreviewLogs } = await import('@ephenv/preview');
    console.log(await readPreviewLogs(root, positionals[0], options));
    return 0;
  },
};

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || ['help', '--help', '-h'].includes(command)) {
    console.log(USAGE);
    return command === undefined ? 2 : 0;
  }
  try {
    const run = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
    if (!run) throw new UsageError(`unknown command "${command}"`);
    return await run(findWorkspaceRoot(), rest);
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`ephenv: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    console.error(`ephenv: ${(e as Error).message}`);
    return 1;
  }
}

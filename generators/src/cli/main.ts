<<<<<<< HEAD
import { parseArgs } from 'node:util';
import { readPreviewLogs } from '@ephenv/deploy';
import { readRecord } from '@ephenv/core';
import { commentCommand } from './commands/comment';
import { destroyCommand } from './commands/destroy';
import { BENCHMARK_USAGE, EVALUATE_USAGE, VALIDATE_USAGE, benchmarkCommand, evaluateCommand, validateCommand } from './commands/model-checks';
import { PR_USAGE, prCommand } from './commands/pr';
import { REAP_USAGE, reapCommand } from './commands/reap';
import { reportCommand } from './commands/report';
import { statusCommand } from './commands/status';
=======
import { USAGE } from './usage';
>>>>>>> main
import { findWorkspaceRoot } from './workspace';

class UsageError extends Error {}

<<<<<<< HEAD
usage: ephenv <command> [options]

  pr [--all] [...]        the PR pipeline: deploy-preview, validate, evaluate, benchmark, then the report
                          ${PR_USAGE}
  validate <model> [...]  contract, compatibility with the base branch, live checks
                          ${VALIDATE_USAGE}
  evaluate <model> [...]  the preview's model against the base branch's: metrics, thresholds, changed predictions
                          ${EVALUATE_USAGE}
  benchmark <model> [...] load test with ephenv.json's k6 scenario; exits 99 when a threshold fails, as k6
                          ${BENCHMARK_USAGE}
  report [--out <file>]   the PR comment (markdown) from dist/ephenv/*
  comment --pr <n>        create or update the PR's one ephenv comment (GITHUB_TOKEN, GITHUB_REPOSITORY)
  status                  list previews: project, provider, URL, age, health
  token <project>         print a preview's bearer token (for scripts: curl -H "Authorization: Bearer $(npx ephenv token m)")
  logs <project> [--lines N] [--provider aws --pr <n>]  the preview's gateway and model logs (CloudWatch for aws)
  destroy --pr <n>        destroy every model's AWS preview of a PR, found from the Terraform state keys
  reap [...]              remove expired aws previews (only resources tagged Environment=Ephemeral and ManagedBy=ephenv)
                          ${REAP_USAGE}

Per model (Nx targets): nx run <model>:deploy-preview | validate | evaluate | benchmark | destroy-preview | logs
`;
=======
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
    const { parseArgs } = await import('node:util');
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { lines: { type: 'string' }, provider: { type: 'string' }, pr: { type: 'string' } } });
    if (!positionals[0]) throw new UsageError('ephenv logs <project> [--lines N] [--provider local|aws] [--pr <n>]');
    const { readPreviewLogs } = await import('@ephenv/deploy');
    const provider = values.provider as 'local' | 'aws' | undefined;
    console.log(await readPreviewLogs(root, positionals[0], { lines: values.lines ? Number(values.lines) : undefined, provider, pr: values.pr }));
    return 0;
  },
};
>>>>>>> main

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || ['help', '--help', '-h'].includes(command)) {
    console.log(USAGE);
    return command === undefined ? 2 : 0;
  }
  try {
<<<<<<< HEAD
    switch (command) {
      case 'pr':
        return await prCommand(findWorkspaceRoot(), rest);
      case 'validate':
        return await validateCommand(findWorkspaceRoot(), rest);
      case 'evaluate':
        return await evaluateCommand(findWorkspaceRoot(), rest);
      case 'benchmark':
        return await benchmarkCommand(findWorkspaceRoot(), rest);
      case 'report':
        return await reportCommand(findWorkspaceRoot(), rest);
      case 'comment':
        return await commentCommand(findWorkspaceRoot(), rest);
      case 'destroy':
        return await destroyCommand(findWorkspaceRoot(), rest);
      case 'reap':
        return await reapCommand(findWorkspaceRoot(), rest);
      case 'status':
        return await statusCommand(findWorkspaceRoot());
      case 'token': {
        const [project] = rest;
        if (!project) throw new UsageError('ephenv token <project>');
        const record = readRecord(findWorkspaceRoot(), project);
        if (!record) throw new Error(`no preview of ${project}: start one with "npx nx run ${project}:deploy-preview"`);
        process.stdout.write(`${record.token}\n`);
        return 0;
      }
      case 'logs': {
        const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { lines: { type: 'string' }, provider: { type: 'string' }, pr: { type: 'string' } } });
        if (!positionals[0]) throw new UsageError('ephenv logs <project> [--lines N] [--provider local|aws] [--pr <n>]');
        const provider = values.provider as 'local' | 'aws' | undefined;
        console.log(await readPreviewLogs(findWorkspaceRoot(), positionals[0], { lines: values.lines ? Number(values.lines) : undefined, provider, pr: values.pr }));
        return 0;
      }
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        console.log(USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
=======
    const run = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
    if (!run) throw new UsageError(`unknown command "${command}"`);
    return await run(findWorkspaceRoot(), rest);
>>>>>>> main
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`ephenv: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    console.error(`ephenv: ${(e as Error).message}`);
    return 1;
  }
}

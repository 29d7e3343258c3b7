import { isPullRequest } from '@ephenv/core';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { resolvePr } from '@ephenv/preview';
import { collectSecrets, findSecrets, GitHubError, githubTargetFromEnv, upsertStickyComment, type UpsertOptions } from '@ephenv/report';
import { defaultCommentFile, displayPath, processIo, type CommandIo } from './report';
import { COMMENT_USAGE } from '../usage';

/**
 * `ephenv comment`: posts the report as the PR's one sticky comment, updating it in place on
 * later runs. --pr defaults to the pull request of the GitHub Actions event being handled.
 */
export async function commentCommand(
  workspaceRoot: string,
  args: string[],
  io: CommandIo = processIo,
  env: NodeJS.ProcessEnv = process.env,
  github: UpsertOptions = {},
): Promise<number> {
  let file: string;
  let pr: number;
  try {
    const { values } = parseArgs({ args, options: { pr: { type: 'string' }, file: { type: 'string' } }, allowPositionals: false });
    file = values.file ? resolve(values.file) : defaultCommentFile(workspaceRoot);
    const resolved = resolvePr(values.pr, env);
    if (!isPullRequest(resolved)) throw new Error('--pr is required outside a pull_request event: which pull request should get the comment?');
    pr = Number(resolved);
  } catch (e) {
    io.err(`ephenv comment: ${(e as Error).message}\nusage: ${COMMENT_USAGE}\n`);
    return 2;
  }

  const shown = displayPath(file);
  if (!existsSync(file)) {
    io.err(`ephenv comment: ${shown} not found: write it first with "npx ephenv report"\n`);
    return 1;
  }
  const body = readFileSync(file, 'utf8');
  const leaked = findSecrets(body, collectSecrets(workspaceRoot, env));
  if (leaked.length > 0) {
    io.err(`ephenv comment: refusing to post ${shown}: it contains the secret from ${leaked.map((s) => s.source).join(', ')}. Write it again with "npx ephenv report", which removes tokens.\n`);
    return 1;
  }
  try {
    const target = githubTargetFromEnv(env);
    const result = await upsertStickyComment(target, pr, body, github);
    io.out(`ephenv comment: ${result.action} the preview comment on ${target.owner}/${target.repo}#${pr}${result.url ? `: ${result.url}` : ` (id ${result.id})`}\n`);
    return 0;
  } catch (e) {
    if (!(e instanceof GitHubError)) throw e;
    io.err(`ephenv comment: ${e.message}\n`);
    return 1;
  }
}

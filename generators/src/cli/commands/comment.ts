import { isPullRequest, stdioLogger, type Logger } from '@ephenv/core';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { resolvePr } from '@ephenv/preview';
import { collectSecrets, findSecrets, GitHubError, githubTargetFromEnv, upsertStickyComment, type UpsertOptions } from '@ephenv/report';
import { defaultCommentFile, displayPath } from './report';
import { COMMENT_USAGE } from '../usage';

/**
 * `ephenv comment`: posts the report as the PR's one sticky comment, updating it in place on
 * later runs. --pr defaults to the pull request of the GitHub Actions event being handled.
 */
export async function commentCommand(
  workspaceRoot: string,
  args: string[],
  log: Logger = stdioLogger,
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
    log.error(`ephenv comment: ${(e as Error).message}\nusage: ${COMMENT_USAGE}`);
    return 2;
  }

  const shown = displayPath(file);
  if (!existsSync(file)) {
    log.error(`ephenv comment: ${shown} not found: write it first with "npx ephenv report"`);
    return 1;
  }
  const body = readFileSync(file, 'utf8');
  const leaked = findSecrets(body, collectSecrets(workspaceRoot, env));
  if (leaked.length > 0) {
    log.error(`ephenv comment: refusing to post ${shown}: it contains the secret from ${leaked.map((s) => s.source).join(', ')}. Write it again with "npx ephenv report", which removes tokens.`);
    return 1;
  }
  try {
    const target = githubTargetFromEnv(env);
    const result = await upsertStickyComment(target, pr, body, github);
    log.info(`ephenv comment: ${result.action} the preview comment on ${target.owner}/${target.repo}#${pr}${result.url ? `: ${result.url}` : ` (id ${result.id})`}`);
    return 0;
  } catch (e) {
    if (!(e instanceof GitHubError)) throw e;
    log.error(`ephenv comment: ${e.message}`);
    return 1;
  }
}

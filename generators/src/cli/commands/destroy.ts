import { parseArgs } from 'node:util';
import { normalizePr, providerName } from '@ephenv/core';
import { destroyPrPreviews } from '@ephenv/preview';
import { retirePreviewDeployments } from '@ephenv/pipeline';
import { githubContextFromEnv } from '@ephenv/report';
import { DESTROY_USAGE } from '../usage';

/**
 * `ephenv destroy --pr <n>`: every model's preview of the PR (when it closes). aws: the models are
 * found from the state keys of that PR in the state bucket, not from what the PR changes now.
 * local: the recorded previews of that PR. 0 when all are gone (or there were none), 1 otherwise.
 */
export async function destroyCommand(workspaceRoot: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { pr: { type: 'string' }, provider: { type: 'string' }, 'lock-timeout': { type: 'string' } },
  });
  if (!values.pr) {
    console.error(`ephenv destroy: --pr is required\nusage: ${DESTROY_USAGE}`);
    return 2;
  }
  const pr = normalizePr(values.pr);
  const provider = providerName(values.provider);
  const retire = (projects: string[]) =>
    retirePreviewDeployments(
      githubContextFromEnv(env),
      projects.map((project) => ({ project, pr })),
      (line) => console.log(`ephenv destroy: ${line}`),
    );

  const outcomes = await destroyPrPreviews(workspaceRoot, pr, { provider, lockTimeout: values['lock-timeout'] });
  const failed = outcomes.filter((o) => o.error !== undefined);
  const destroyed = outcomes.filter((o) => o.result?.destroyed);
  console.log(
    `ephenv destroy: PR ${pr}: ${destroyed.length} preview(s) destroyed, ${outcomes.length - destroyed.length - failed.length} with nothing to destroy` +
      (failed.length > 0 ? `, ${failed.length} failed (${failed.map((o) => o.project).join(', ')}): run it again; the reaper removes what is left after expiry` : ''),
  );
  await retire(outcomes.filter((o) => o.error === undefined).map((o) => o.project));
  return failed.length === 0 ? 0 : 1;
}

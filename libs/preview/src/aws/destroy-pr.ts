import { normalizePr, readRecord, removeRecord, stdioLogger, type Logger } from '@ephenv/core';
import type { PrDestroyOutcome } from '../provider';
import { removePreviewOutput } from '../preview-output';
import { destroyStack } from './destroy-stack';
import { awsSettings, type AwsSettings } from './settings';
import { listStateKeys } from './state-keys';

export interface DestroyPrOptions {
  settings?: AwsSettings;
  lockTimeout?: string;
  /** Where each preview's outcome goes (default: stdout). */
  log?: Logger;
}

/**
 * Destroys every model's aws preview of one PR: the models are found from the state keys in the
 * bucket (`previews/<model>/pr-<n>.tfstate`), not from what the PR changes now, so a model the PR
 * touched earlier, or one since deleted from the checkout, is not left behind. The previews are
 * destroyed in parallel; one failure does not stop the others.
 */
export async function destroyPr(workspaceRoot: string, pr: string | number, options: DestroyPrOptions = {}): Promise<PrDestroyOutcome[]> {
  const number = normalizePr(pr);
  const log = options.log ?? stdioLogger;
  const settings = options.settings ?? awsSettings(workspaceRoot);
  const keys = await listStateKeys(settings, { pr: number });
  if (keys.length === 0) log.info(`ephenv: no aws previews of PR ${number} in s3://${settings.stateBucket}/previews/`);
  return Promise.all(
    keys.map(async ({ project }): Promise<PrDestroyOutcome> => {
      try {
        const result = await destroyStack(workspaceRoot, { project, pr: number }, { settings, lockTimeout: options.lockTimeout, log });
        const record = readRecord(workspaceRoot, project);
        if (record?.provider === 'aws' && record.pr === number) {
          removeRecord(workspaceRoot, project);
          removePreviewOutput(workspaceRoot, project);
        }
        log.info(`ephenv: ${project} PR ${number}: ${result.message}`);
        return { project, result };
      } catch (e) {
        log.info(`ephenv: ${project} PR ${number}: destroy failed: ${(e as Error).message}`);
        return { project, error: (e as Error).message };
      }
    }),
  );
}

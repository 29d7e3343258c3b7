import { normalizePr, readRecord, removeRecord } from '@ephenv/core';
import type { PrDestroyOutcome } from '../provider';
import { removePreviewOutput } from '../preview-output';
import { destroyStack } from './destroy-stack';
import { awsSettings, type AwsSettings } from './settings';
import { listStateKeys } from './state-keys';

export interface DestroyPrOptions {
  settings?: AwsSettings;
  lockTimeout?: string;
  report?: (line: string) => void;
}

/**
 * Destroys every model's aws preview of one PR: the models are found from the state keys in the
 * bucket (`previews/<model>/pr-<n>.tfstate`), not from what the PR changes now, so a model the PR
 * touched earlier, or one since deleted from the checkout, is not left behind. The previews are
 * destroyed in parallel; one failure does not stop the others.
 */
export async function destroyPr(workspaceRoot: string, pr: string | number, options: DestroyPrOptions = {}): Promise<PrDestroyOutcome[]> {
  const number = normalizePr(pr);
  const report = options.report ?? ((line: string) => console.log(line));
  const settings = options.settings ?? awsSettings(workspaceRoot);
  const keys = await listStateKeys(settings, { pr: number });
  if (keys.length === 0) report(`ephenv: no aws previews of PR ${number} in s3://${settings.stateBucket}/previews/`);
  return Promise.all(
    keys.map(async ({ project }): Promise<PrDestroyOutcome> => {
      try {
        const result = await destroyStack(workspaceRoot, { project, pr: number }, { settings, lockTimeout: options.lockTimeout, report });
        const record = readRecord(workspaceRoot, project);
        if (record?.provider === 'aws' && record.pr === number) {
          removeRecord(workspaceRoot, project);
          removePreviewOutput(workspaceRoot, project);
        }
        report(`ephenv: ${project} PR ${number}: ${result.message}`);
        return { project, result };
      } catch (e) {
        report(`ephenv: ${project} PR ${number}: destroy failed: ${(e as Error).message}`);
        return { project, error: (e as Error).message };
      }
    }),
  );
}

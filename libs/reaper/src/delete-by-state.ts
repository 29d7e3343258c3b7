import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { findModelProjectRoot } from '@ephenv/core';
import { stateKey } from '@ephenv/preview';
import type { ReaperClients } from './aws-clients';
import { isNotFound, type PreviewId } from './preview-tags';

/** `terraform destroy` of one preview through its state key; throws when Terraform fails (the reaper then deletes with the SDK). */
export type DestroyThroughState = (preview: PreviewId) => Promise<void>;

export type StatePlan = { usable: true; location: string } | { usable: false; why: string };

/**
 * Whether the preview can be destroyed through Terraform: its state object is in the bucket and
 * this checkout has the model's root stack (<project root>/infra) to run `terraform destroy` in.
 */
export async function planStateDestroy(clients: ReaperClients, workspaceRoot: string, stateBucket: string, preview: PreviewId): Promise<StatePlan> {
  const key = stateKey(preview.project, preview.pr);
  const location = `s3://${stateBucket}/${key}`;
  try {
    await clients.s3.send(new HeadObjectCommand({ Bucket: stateBucket, Key: key }));
  } catch (e) {
    if (isNotFound(e)) return { usable: false, why: `no Terraform state at ${location}` };
    throw new Error(`could not look for the Terraform state ${location}: ${(e as Error).name}: ${(e as Error).message}`);
  }
  const projectRoot = findModelProjectRoot(workspaceRoot, preview.project);
  if (projectRoot === undefined) return { usable: false, why: `${preview.project} is not a model of this checkout (no <folder>/${preview.project}/ephenv.json)` };
  if (!existsSync(join(workspaceRoot, projectRoot, 'infra'))) return { usable: false, why: `${projectRoot}/infra is missing from this checkout` };
  return { usable: true, location };
}

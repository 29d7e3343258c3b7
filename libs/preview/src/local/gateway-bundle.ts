import { randomUUID } from 'node:crypto';
import { mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { stateDir } from '@ephenv/core';

/**
 * The gateway as one bundled file (esbuild), the same code the Lambda runs, so it starts in tens
 * of milliseconds. Built on every deploy (about 0.1 s, always in step with the sources) and
 * renamed into place, so concurrent deploys never run a half-written bundle.
 */
export async function gatewayBundle(workspaceRoot: string): Promise<string> {
  const dir = join(stateDir(workspaceRoot), 'build');
  mkdirSync(dir, { recursive: true });
  const outfile = join(dir, 'gateway-local.js');
  const building = `${outfile}.${process.pid}.${randomUUID()}.tmp`;
  // Loaded here, not at the top: the gateway library brings esbuild, ajv and the AWS SDK's
  // SageMaker runtime, which destroy and status never need.
  const { bundleGateway } = await import('@ephenv/gateway');
  await bundleGateway({ entry: 'local', outfile: building });
  renameSync(building, outfile);
  return outfile;
}

import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stateDir } from '@ephenv/core';

/** What a bundle was built from: its input files, and the SHA-256 of their contents. */
interface BundleInputs {
  inputs: string[];
  sha256: string;
}

/**
 * The gateway as one bundled file (esbuild), the same code the Lambda runs, so it starts in tens
 * of milliseconds. Rebuilt only when the content of a file it was built from changed (its sources,
 * the node_modules it bundles, the bundler): `gateway-local.js.inputs.json` beside it lists them with
 * their hash. Checking them takes tens of milliseconds; a rebuild, which loads esbuild and the
 * gateway library, about a second. The bundle is renamed into place, so concurrent deploys never
 * run a half-written one.
 */
export async function gatewayBundle(workspaceRoot: string): Promise<string> {
  const dir = join(stateDir(workspaceRoot), 'build');
  const outfile = join(dir, 'gateway-local.js');
  const inputsFile = `${outfile}.inputs.json`;
  if (isUpToDate(outfile, inputsFile)) return outfile;

  mkdirSync(dir, { recursive: true });
  const unique = `${process.pid}.${randomUUID()}.tmp`;
  const building = `${outfile}.${unique}`;
  // Loaded here, not at the top: the gateway library brings esbuild, ajv and the AWS SDK's
  // SageMaker runtime, which an unchanged gateway, destroy and status never need.
  const { bundleGateway } = await import('@ephenv/gateway');
  const { inputs } = await bundleGateway({ entry: 'local', outfile: building });
  renameSync(building, outfile);
  // Written after the bundle: a crash in between leaves a bundle without a record, rebuilt next time.
  const record: BundleInputs = { inputs, sha256: contentHash(inputs)! };
  writeFileSync(`${inputsFile}.${unique}`, JSON.stringify(record));
  renameSync(`${inputsFile}.${unique}`, inputsFile);
  return outfile;
}

function isUpToDate(outfile: string, inputsFile: string): boolean {
  if (!existsSync(outfile) || !existsSync(inputsFile)) return false;
  try {
    const record = JSON.parse(readFileSync(inputsFile, 'utf8')) as BundleInputs;
    return contentHash(record.inputs) === record.sha256;
  } catch {
    return false; // an unreadable record: rebuild
  }
}

/** SHA-256 over the files' paths and contents; undefined when one of them no longer exists. */
function contentHash(files: string[]): string | undefined {
  const hash = createHash('sha256');
  for (const file of files) {
    if (!existsSync(file)) return undefined;
    hash.update(file).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

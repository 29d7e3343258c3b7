import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync, type Zippable } from 'fflate';
import { readJsonFile, stateDir, type ModelConfig } from '@ephenv/core';
import { bundleGateway, type LambdaGatewayConfig } from '@ephenv/gateway';

export const gatewayZipPath = (workspaceRoot: string, project: string) => join(stateDir(workspaceRoot), 'build', project, 'gateway.zip');

export interface GatewayZip {
  path: string;
  /** base64 SHA-256 of the zip: what Lambda reports as CodeSha256 and Terraform's source_code_hash. */
  sha256: string;
  bytes: number;
  /** False when the zip on disk already had these bytes (the Lambda will not be redeployed). */
  changed: boolean;
}

// Local-time components, so the DOS timestamps fflate writes are the same bytes in every time zone.
const FIXED_MTIME = new Date(2000, 0, 1, 0, 0, 0);
const FILE_ATTRS = { os: 3, attrs: 0o100644 << 16, mtime: FIXED_MTIME } as const;

/**
 * The gateway Lambda's zip: the bundled handler (index.js) and the model's config.json (name and
 * schemas, inlined). Deterministic: sorted entries, fixed timestamps, modes and compression
 * level, so the same sources give the same bytes and Terraform plans no Lambda change.
 * `config` is absent only when a model's folder is gone and its preview is being destroyed.
 */
export async function buildGatewayZip(workspaceRoot: string, project: string, config?: ModelConfig): Promise<GatewayZip> {
  const path = gatewayZipPath(workspaceRoot, project);
  const dir = join(stateDir(workspaceRoot), 'build', project);
  mkdirSync(dir, { recursive: true });
  const unique = `${process.pid}.${randomUUID()}`;
  const bundle = join(dir, `index.${unique}.js`);
  let code: Buffer;
  try {
    await bundleGateway({ entry: 'lambda', outfile: bundle });
    code = readFileSync(bundle);
  } finally {
    rmSync(bundle, { force: true });
  }

  const files: Record<string, Uint8Array> = { 'index.js': code };
  if (config) {
    const lambdaConfig: LambdaGatewayConfig = {
      modelName: config.name,
      inputSchema: readJsonFile<object>(config.schemas.input),
      outputSchema: readJsonFile<object>(config.schemas.output),
      maxArrayItems: config.endpoint.maxBatchSize,
    };
    files['config.json'] = Buffer.from(`${JSON.stringify(lambdaConfig)}\n`);
  }
  const entries: Zippable = {};
  for (const name of Object.keys(files).sort()) entries[name] = [files[name], FILE_ATTRS];
  const zip = zipSync(entries, { level: 9 });

  const changed = !existsSync(path) || !readFileSync(path).equals(zip);
  if (changed) {
    // Renamed into place: a concurrent deploy of the same model never reads half a zip.
    const temp = `${path}.${unique}.tmp`;
    writeFileSync(temp, zip);
    renameSync(temp, path);
  }
  return { path, sha256: createHash('sha256').update(zip).digest('base64'), bytes: zip.length, changed };
}

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Ajv from 'ajv';
import { findModelProjectRoot } from '@ephenv/core';
// The lifecycle entry point, not the library's index: that one also exports the aws provider and
// the reaper, which load the AWS SDK; a local deploy needs neither.
import { deployPreview, destroyPreview } from '@ephenv/preview/lifecycle';
import { DEPLOY_USAGE, DESTROY_MODEL_USAGE } from '../usage';

const EXECUTORS = join(__dirname, '..', '..', 'executors');

/** Validates options against the executor's own schema.json, as Nx does for `nx run`. */
function validated<T>(executor: 'deploy-preview' | 'destroy-preview', options: Record<string, unknown>, usage: string): T {
  const schema = JSON.parse(readFileSync(join(EXECUTORS, executor, 'schema.json'), 'utf8'));
  delete schema.$schema; // Nx's meta-schema URL, unknown to ajv; the keywords are plain JSON Schema
  const validate = new Ajv({ allErrors: true, useDefaults: true, strict: false }).compile(schema);
  const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  if (!validate(defined)) {
    const flag = (path: string) => `--${path.replace(/^\//, '').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    const problems = (validate.errors ?? []).map((e) => `${flag(e.instancePath)} ${e.message}${e.params && 'allowedValues' in e.params ? ` (${(e.params.allowedValues as string[]).join(', ')})` : ''}`);
    throw new Error(`${problems.join('; ')}\nusage: ${usage}`);
  }
  return defined as T;
}

function modelRef(workspaceRoot: string, name: string | undefined, usage: string) {
  if (!name) throw new Error(`which model? usage: ${usage}`);
  const projectRoot = findModelProjectRoot(workspaceRoot, name);
  if (projectRoot === undefined) {
    throw new Error(`no model project "${name}" (a folder named ${name} with an ephenv.json): check the name, or create it with "npx nx g @ephenv:model ${name}"`);
  }
  return { workspaceRoot, project: name, projectRoot };
}

function seconds(value: string | undefined): number | string | undefined {
  if (value === undefined) return undefined;
  return /^\d+$/.test(value) ? Number(value) : value;
}

/** `ephenv deploy <model>`: `nx run <model>:deploy-preview` for people and scripts outside Nx. */
export async function deployCommand(workspaceRoot: string, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      provider: { type: 'string' },
      pr: { type: 'string' },
      'show-token': { type: 'boolean' },
      'image-uri': { type: 'string' },
      'lock-timeout': { type: 'string' },
      'endpoint-timeout': { type: 'string' },
    },
  });
  const ref = modelRef(workspaceRoot, positionals[0], DEPLOY_USAGE);
  const options = validated<Parameters<typeof deployPreview>[1]>(
    'deploy-preview',
    {
      provider: values.provider,
      pr: values.pr,
      showToken: values['show-token'],
      imageUri: values['image-uri'],
      lockTimeout: values['lock-timeout'],
      endpointTimeout: seconds(values['endpoint-timeout']),
    },
    DEPLOY_USAGE,
  );
  try {
    await deployPreview(ref, options);
    return 0;
  } catch (e) {
    console.error(`ephenv: deploy of ${ref.project} failed: ${(e as Error).message}`);
    return 1;
  }
}

/** `ephenv destroy <model>`: `nx run <model>:destroy-preview` outside Nx. */
export async function destroyModelCommand(workspaceRoot: string, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { provider: { type: 'string' }, pr: { type: 'string' }, 'lock-timeout': { type: 'string' } },
  });
  const ref = modelRef(workspaceRoot, positionals[0], DESTROY_MODEL_USAGE);
  const options = validated<Parameters<typeof destroyPreview>[1]>(
    'destroy-preview',
    { provider: values.provider, pr: values.pr, lockTimeout: values['lock-timeout'] },
    DESTROY_MODEL_USAGE,
  );
  try {
    await destroyPreview(ref, options);
    return 0;
  } catch (e) {
    console.error(`ephenv: destroy of ${ref.project} failed: ${(e as Error).message}`);
    return 1;
  }
}

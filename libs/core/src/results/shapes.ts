import { isProviderName, PROVIDER_NAMES } from '../provider-name';
import type { AwsPreviewOutputs, PreviewOutput } from './preview';

type Fields = Record<string, unknown>;
type Shape = (data: Fields) => string | undefined;

const isObject = (v: unknown): v is Fields => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Every field preview.json may hold; a reader refuses any other rather than guess what it means. */
const PREVIEW_FIELDS: Record<keyof PreviewOutput, true> = {
  project: true,
  provider: true,
  url: true,
  pr: true,
  gitSha: true,
  startedAt: true,
  endpointType: true,
  ttlHours: true,
  expiresAt: true,
  access: true,
  cost: true,
  aws: true,
  deployment: true,
};

/** Fields an older preview.json carried, and where their content is now. */
const RETIRED_PREVIEW_FIELDS: Record<string, string> = {
  token: '"access.token" (where the token is kept and the command that prints it)',
  logs: '"access.logs"',
};

const snakeCase = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

function previewProblem(d: Fields): string | undefined {
  if (typeof d.url !== 'string') return '"url" is missing';
  if (!isProviderName(d.provider)) return `"provider" is not one of ${PROVIDER_NAMES.join(', ')}`;
  for (const key of Object.keys(d)) {
    if (RETIRED_PREVIEW_FIELDS[key]) return `"${key}" is an old field: it is now ${RETIRED_PREVIEW_FIELDS[key]}`;
    if (!(key in PREVIEW_FIELDS)) return `"${key}" is not a field of preview.json (it holds ${Object.keys(PREVIEW_FIELDS).join(', ')})`;
  }
  const access = d.access;
  if (!isObject(access)) return '"access" is missing (how to reach the preview, written by its provider)';
  if (!isObject(access.token) || typeof access.token.command !== 'string') return '"access.token" is missing its "command"';
  if (!isObject(access.logs) || typeof access.logs.command !== 'string') return '"access.logs" is missing its "command"';
  if (typeof access.destroyCommand !== 'string') return '"access.destroyCommand" is missing';
  if (d.aws !== undefined) {
    if (!isObject(d.aws)) return '"aws" is not an object';
    // Terraform's outputs are snake_case; a camelCase key is a field under a name nobody reads.
    const camel = Object.keys(d.aws).find((key) => /[A-Z]/.test(key));
    if (camel) return `"aws.${camel}" is not a Terraform output name: the aws block holds Terraform's outputs under their own names ("aws.${snakeCase(camel) as keyof AwsPreviewOutputs}")`;
  }
  return undefined;
}

/** What each file must hold for a reader to trust it; a mismatch names the field and what is wrong. */
const SHAPES: Record<string, Shape> = {
  run: (d) => (!Array.isArray(d.models) ? '"models" is not a list' : !isObject(d.steps) ? '"steps" is not an object' : undefined),
  preview: previewProblem,
  validate: (d) => (!Array.isArray(d.checks) ? '"checks" is not a list' : d.status !== 'pass' && d.status !== 'fail' ? '"status" is neither pass nor fail' : undefined),
  evaluate: (d) => (!Array.isArray(d.metrics) ? '"metrics" is not a list' : !['pass', 'fail', 'error', 'skipped'].includes(d.status as string) ? '"status" is not pass, fail, error or skipped' : undefined),
  benchmark: (d) => (!isObject(d.metrics) ? '"metrics" is missing' : !isObject(d.ephenv) ? 'the "ephenv" block is missing (not written by ephenv benchmark)' : undefined),
};

/** Why `data` is not a result of this kind, or undefined when it is. */
export function shapeProblem(kind: string, data: unknown): string | undefined {
  return isObject(data) ? SHAPES[kind](data) : 'it is not a JSON object';
}

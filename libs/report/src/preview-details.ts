import type { PreviewOutput } from './read-results';

/** What the report needs from a preview beyond preview.json's common fields; every field optional. */
export interface PreviewDetails {
  region?: string;
  endpointName?: string;
  /** The SSM parameter holding an aws preview's token (its name only, never its value). */
  tokenParameter?: string;
  /** CloudWatch log groups of an aws preview by role (gateway, access, endpoint). */
  logGroups: Record<string, string>;
  expiresAt?: string;
  instanceType?: string;
  instanceCount?: number;
  memorySizeMb?: number;
  gatewayMemoryMb?: number;
  gatewayArchitecture?: string;
}

const snakeCase = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * A field of the preview under its camelCase or snake_case name (Terraform outputs are snake_case),
 * at the top level or in the `aws` block the aws provider copies its outputs into.
 */
function field(preview: PreviewOutput, name: string): unknown {
  const places = [preview, preview.aws ?? {}];
  for (const place of places) {
    for (const key of [name, snakeCase(name)]) {
      if (place[key] !== undefined && place[key] !== null) return place[key];
    }
  }
  return undefined;
}

const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
const number = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : undefined);

function stringMap(v: unknown): Record<string, string> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return {};
  return Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== ''));
}

export function previewDetails(preview: PreviewOutput): PreviewDetails {
  return {
    region: text(field(preview, 'region')),
    endpointName: text(field(preview, 'endpointName')),
    tokenParameter: text(field(preview, 'tokenParameterName')) ?? text(field(preview, 'tokenParameter')),
    logGroups: stringMap(field(preview, 'logGroupNames') ?? field(preview, 'logGroups')),
    expiresAt: text(field(preview, 'expiresAt')),
    instanceType: text(field(preview, 'instanceType')),
    instanceCount: number(field(preview, 'instanceCount')),
    memorySizeMb: number(field(preview, 'memorySizeMb')),
    gatewayMemoryMb: number(field(preview, 'gatewayMemoryMb')),
    gatewayArchitecture: text(field(preview, 'gatewayArchitecture')),
  };
}

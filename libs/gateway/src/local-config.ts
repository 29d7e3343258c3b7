import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { compileSchema, describeErrors } from '@ephenv/core/schema';

/**
 * The local gateway's config file, written by the local provider (mode 0600: it holds the token,
 * which therefore never appears in argv or the environment).
 */
export interface LocalGatewayConfig {
  /** 0 lets the kernel choose; the chosen URL is logged. */
  port: number;
  host?: string;
  token: string;
  maxBodyBytes?: number;
  /** Cap on arrays the input schema leaves unbounded: ephenv.json's `endpoint.maxBatchSize`. */
  maxArrayItems?: number;
  /** Connections open at once (default 64). */
  maxConnections?: number;
  /** Time allowed for a request's headers, then its body (defaults 10 s and 30 s). */
  headersTimeoutMs?: number;
  bodyTimeoutMs?: number;
  /** Paths of the schemas, absolute or relative to the config file. */
  inputSchema: string;
  outputSchema: string;
  /** Base URL of the model server, e.g. `http://127.0.0.1:8080`. */
  modelUrl: string;
  timeoutMs?: number;
  modelName?: string;
}

const CONFIG_SCHEMA = {
  type: 'object',
  required: ['port', 'token', 'inputSchema', 'outputSchema', 'modelUrl'],
  additionalProperties: false,
  properties: {
    port: { type: 'integer', minimum: 0, maximum: 65535 },
    host: { type: 'string', minLength: 1 },
    token: { type: 'string', minLength: 1 },
    maxBodyBytes: { type: 'integer', minimum: 1 },
    maxArrayItems: { type: 'integer', minimum: 1 },
    maxConnections: { type: 'integer', minimum: 1 },
    headersTimeoutMs: { type: 'integer', minimum: 1 },
    bodyTimeoutMs: { type: 'integer', minimum: 1 },
    inputSchema: { type: 'string', minLength: 1 },
    outputSchema: { type: 'string', minLength: 1 },
    modelUrl: { type: 'string', pattern: '^https?://' },
    timeoutMs: { type: 'integer', minimum: 1 },
    modelName: { type: 'string' },
  },
};

const validateConfig = compileSchema<LocalGatewayConfig>(CONFIG_SCHEMA, { strict: true });

/** The config with its schemas loaded. Errors name the file and the field, never the token. */
export function readLocalConfig(file: string): LocalGatewayConfig & { input: object; output: object } {
  const config = readJson(file, 'gateway config', true);
  if (!validateConfig(config)) {
    const problems = describeErrors(validateConfig.errors).join('; ');
    throw new Error(`gateway config ${file} is invalid: ${problems}`);
  }
  const base = dirname(file);
  return {
    ...config,
    input: readJson(resolve(base, config.inputSchema), 'input schema') as object,
    output: readJson(resolve(base, config.outputSchema), 'output schema') as object,
  };
}

/** `secret`: the file holds the token, so a parse error must not quote it (V8's messages quote the text). */
function readJson(file: string, what: string, secret = false): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`cannot read the ${what} ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`the ${what} ${file} is not valid JSON${secret ? '' : `: ${(e as Error).message}`}`);
  }
}

/**
 * The AWS Lambda entry behind API Gateway (HTTP API, payload 2.0). Configured at cold start from
 * `config.json` bundled next to it (model name and schemas) and from the environment Terraform sets:
 * ENDPOINT_NAME, TOKEN_PARAMETER (an SSM SecureString), MAX_BODY_BYTES, MODEL_TIMEOUT_MS.
 */
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHandler, DEFAULT_MAX_BODY_BYTES, DEFAULT_TIMEOUT_MS, type GatewayOptions } from './handler';
import type { GatewayHandler, HttpApiEvent, HttpApiResult } from './http-event';
import { createSageMakerInvoker, type SageMakerInvokerOptions } from './invoke-sagemaker';

/** The `config.json` packed into the Lambda zip next to the bundle. */
export interface LambdaGatewayConfig {
  modelName?: string;
  inputSchema: object;
  outputSchema: object;
  /** ephenv.json's `endpoint.maxBatchSize`: the cap on arrays the input schema leaves unbounded. */
  maxArrayItems?: number;
}

/** The part of SSMClient the Lambda uses to read its token. */
export interface ParameterReader {
  send(command: GetParameterCommand): Promise<{ Parameter?: { Value?: string } }>;
}

export interface LambdaGatewayDependencies {
  env?: NodeJS.ProcessEnv;
  configFile?: string;
  ssm?: ParameterReader;
  runtime?: SageMakerInvokerOptions['runtime'];
  describeEndpoint?: SageMakerInvokerOptions['describeEndpoint'];
  log?: GatewayOptions['log'];
}

/** Builds the gateway the Lambda serves: reads config.json, the environment and the token from SSM. */
export async function createLambdaGateway(deps: LambdaGatewayDependencies = {}): Promise<GatewayHandler> {
  const env = deps.env ?? process.env;
  const configFile = deps.configFile ?? join(__dirname, 'config.json');
  const endpointName = required(env, 'ENDPOINT_NAME');
  const tokenParameter = required(env, 'TOKEN_PARAMETER');
  let config: LambdaGatewayConfig;
  try {
    config = JSON.parse(readFileSync(configFile, 'utf8')) as LambdaGatewayConfig;
  } catch (e) {
    throw new Error(`cannot load ${configFile} (bundle it next to the handler): ${(e as Error).message}`);
  }
  if (!config.inputSchema || !config.outputSchema) throw new Error(`${configFile} must hold "inputSchema" and "outputSchema"`);

  const ssm = deps.ssm ?? new SSMClient({ region: env.AWS_REGION });
  let token: string | undefined;
  try {
    const answer = await ssm.send(new GetParameterCommand({ Name: tokenParameter, WithDecryption: true }));
    token = answer.Parameter?.Value;
  } catch (e) {
    throw new Error(`cannot read the token from SSM parameter ${tokenParameter} (${(e as Error).name}): ${(e as Error).message}`);
  }
  if (!token) throw new Error(`SSM parameter ${tokenParameter} is empty; deploy-preview writes the token there.`);

  return createHandler({
    inputSchema: config.inputSchema,
    outputSchema: config.outputSchema,
    token,
    modelName: config.modelName,
    maxArrayItems: config.maxArrayItems,
    log: deps.log,
    maxBodyBytes: positiveInteger(env, 'MAX_BODY_BYTES') ?? DEFAULT_MAX_BODY_BYTES,
    timeoutMs: positiveInteger(env, 'MODEL_TIMEOUT_MS') ?? DEFAULT_TIMEOUT_MS,
    invoker: createSageMakerInvoker({ endpointName, region: env.AWS_REGION, runtime: deps.runtime, describeEndpoint: deps.describeEndpoint }),
  });
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`environment variable ${name} is not set; the preview stack's Terraform sets it on the gateway Lambda.`);
  return value;
}

function positiveInteger(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`environment variable ${name} must be a positive integer, got "${raw}"`);
  return value;
}

// Built once per Lambda container; a failed build (e.g. SSM briefly unavailable) is retried on the next request.
let gateway: Promise<GatewayHandler> | undefined;

export const handler = async (event: HttpApiEvent): Promise<HttpApiResult> => {
  gateway ??= createLambdaGateway().catch((e: unknown) => {
    gateway = undefined;
    throw e;
  });
  let serve: GatewayHandler;
  try {
    serve = await gateway;
  } catch (e) {
    const requestId = event?.requestContext?.requestId || randomUUID();
    const message = e instanceof Error ? e.message : String(e);
    process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), level: 'error', requestId, status: 500, error: 'misconfigured', exception: message })}\n`);
    // The caller is not authenticated yet (the token is what failed to load): the message names
    // parameters, variables and files, so it goes to the log only.
    return {
      statusCode: 500,
      headers: { 'content-type': 'application/json', 'cache-control': 'no-store', 'x-request-id': requestId },
      body: JSON.stringify({ error: `the gateway could not start; its log has the details under request id ${requestId}.`, requestId }),
      isBase64Encoded: false,
    };
  }
  return serve(event);
};

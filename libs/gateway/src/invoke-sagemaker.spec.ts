import {
  InternalFailure,
  InvokeEndpointCommand,
  ModelError as SdkModelError,
  ModelNotReadyException,
  SageMakerRuntimeServiceException,
  ServiceUnavailable,
  ValidationError,
  type InvokeEndpointCommandOutput,
} from '@aws-sdk/client-sagemaker-runtime';
import { describe, expect, it } from 'vitest';
import { createHandler } from './handler';
import { createSageMakerInvoker, sageMakerError, type SageMakerRuntimeSender } from './invoke-sagemaker';
import { ModelError, ModelTimeout, ModelUnavailable, Throttled } from './invoker';
import { inputSchema, irisRequest, outputSchema } from './testing/model-server';

// No SageMaker Runtime exists on this machine: the client's `send` is the seam, failing with the
// SDK's own exception classes as the real client would.
const ENDPOINT = 'iris-classifier-pr-42';
const $metadata = { httpStatusCode: 400, requestId: 'r-1' };

const sdkModelError = (OriginalStatusCode: number, OriginalMessage: string) =>
  new SdkModelError({
    message: `Received client error (${OriginalStatusCode}) from primary with message "${OriginalMessage}"`,
    $metadata: { httpStatusCode: 424 },
    OriginalStatusCode,
    OriginalMessage,
    LogStreamArn: `arn:aws:logs:eu-west-1:123456789012:log-group:/aws/sagemaker/Endpoints/${ENDPOINT}`,
  });
const throttling = () =>
  new SageMakerRuntimeServiceException({ name: 'ThrottlingException', $fault: 'client', message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } });

function failingWith(error: unknown): SageMakerRuntimeSender {
  return {
    send: async () => {
      throw error;
    },
  };
}

describe('SageMaker error mapping', () => {
  it.each([
    ['ModelError', sdkModelError(500, '{"detail":"model crashed"}'), ModelError, /the model in SageMaker endpoint iris-classifier-pr-42 answered 500: model crashed\. See the container log: arn:aws:logs/],
    ['a container timeout', sdkModelError(0, 'Your invocation timed out while waiting for a response from container primary.'), ModelTimeout, /timed out/],
    ['ModelNotReadyException', new ModelNotReadyException({ message: 'Model is not ready', $metadata }), ModelUnavailable, /not ready yet .*Retry shortly/],
    ['an unknown endpoint', new ValidationError({ message: `Endpoint ${ENDPOINT} of account 123456789012 not found.`, $metadata }), ModelUnavailable, /does not exist.*Run deploy-preview again/],
    ['another ValidationError', new ValidationError({ message: 'Content type is not supported', $metadata }), ModelError, /SageMaker refused the request to endpoint .*: Content type is not supported/],
    ['ThrottlingException', throttling(), Throttled, /throttling calls to endpoint iris-classifier-pr-42: Rate exceeded/],
    ['ServiceUnavailable', new ServiceUnavailable({ message: 'Service Unavailable', $metadata: { httpStatusCode: 503 } }), ModelUnavailable, /SageMaker Runtime is unavailable \(ServiceUnavailable\)/],
    ['InternalFailure', new InternalFailure({ message: 'boom', $metadata: { httpStatusCode: 500 } }), ModelUnavailable, /unavailable \(InternalFailure\)/],
    ['a request timeout', Object.assign(new Error('request timed out'), { name: 'TimeoutError' }), ModelTimeout, /did not answer within/],
    ['an aborted request', Object.assign(new Error('Request aborted'), { name: 'AbortError' }), ModelTimeout, /did not answer within/],
    ['an unreachable AWS_ENDPOINT_URL', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }), ModelUnavailable, /cannot reach SageMaker Runtime \(ECONNREFUSED\); check the region and AWS_ENDPOINT_URL/],
    ['missing credentials', Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }), ModelUnavailable, /sagemaker:InvokeEndpoint/],
  ])('maps %s', async (_, sdkError, expected, message) => {
    const invoker = createSageMakerInvoker({ endpointName: ENDPOINT, runtime: failingWith(sdkError), describeEndpoint: async () => ({ EndpointStatus: 'InService' }) });
    const failure = await invoker.invoke('{}', 'application/json').catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(expected);
    expect((failure as Error).message).toMatch(message);
  });

  it('keeps the status the model answered with', () => {
    const error = sageMakerError(sdkModelError(422, 'bad petal'), ENDPOINT);
    expect(error).toBeInstanceOf(ModelError);
    expect((error as ModelError).modelStatus).toBe(422);
  });
});

describe('SageMaker invoker', () => {
  it('sends the body to the endpoint and returns its answer', async () => {
    const sent: InvokeEndpointCommand[] = [];
    const answer = JSON.stringify({ predictions: [] });
    const invoker = createSageMakerInvoker({
      endpointName: ENDPOINT,
      runtime: {
        send: async (command) => {
          sent.push(command);
          return { Body: new TextEncoder().encode(answer), ContentType: 'application/json', $metadata: {} } as unknown as InvokeEndpointCommandOutput;
        },
      },
    });
    const result = await invoker.invoke(Buffer.from('{"instances":[]}'), 'application/json');
    expect(result).toEqual({ status: 200, body: Buffer.from(answer), contentType: 'application/json' });
    expect(sent[0]).toBeInstanceOf(InvokeEndpointCommand);
    expect(sent[0].input).toMatchObject({ EndpointName: ENDPOINT, ContentType: 'application/json', Accept: 'application/json' });
    expect(Buffer.from(sent[0].input.Body as Uint8Array).toString()).toBe('{"instances":[]}');
  });

  it('passes the abort signal so the SDK stops at the deadline', async () => {
    let seen: AbortSignal | undefined;
    const invoker = createSageMakerInvoker({
      endpointName: ENDPOINT,
      runtime: {
        send: (_, options) =>
          new Promise((_, reject) => {
            seen = options?.abortSignal;
            seen?.addEventListener('abort', () => reject(Object.assign(new Error('Request aborted'), { name: 'AbortError' })));
          }),
      },
    });
    const controller = new AbortController();
    const pending = invoker.invoke('{}', 'application/json', controller.signal).catch((e: unknown) => e);
    controller.abort();
    expect(await pending).toBeInstanceOf(ModelTimeout);
    expect(seen).toBe(controller.signal);
  });

  it.each([
    ['InService', undefined, undefined],
    ['Updating', undefined, undefined],
    ['Creating', undefined, /still Creating/],
    ['Failed', 'CannotStartContainerError', /failed: CannotStartContainerError\. Redeploy the preview/],
    ['Deleting', undefined, /is Deleting, not InService/],
  ])('pings healthy only when the endpoint serves (%s)', async (status, reason, message) => {
    const invoker = createSageMakerInvoker({ endpointName: ENDPOINT, runtime: failingWith(new Error('unused')), describeEndpoint: async () => ({ EndpointStatus: status, FailureReason: reason }) });
    const outcome = await invoker.ping().then(
      () => undefined,
      (e: unknown) => e,
    );
    if (!message) return void expect(outcome).toBeUndefined();
    expect(outcome).toBeInstanceOf(ModelUnavailable);
    expect((outcome as Error).message).toMatch(message);
  });
});

describe('the handler in front of SageMaker', () => {
  const gateway = (error: unknown) =>
    createHandler({
      inputSchema,
      outputSchema,
      token: 'tok',
      invoker: createSageMakerInvoker({ endpointName: ENDPOINT, runtime: failingWith(error), describeEndpoint: async () => ({ EndpointStatus: 'Creating' }) }),
      log: () => undefined,
    });
  const invocation = {
    rawPath: '/invocations',
    headers: { authorization: 'Bearer tok', 'content-type': 'application/json' },
    requestContext: { http: { method: 'POST' } },
    body: JSON.stringify(irisRequest()),
  };

  it.each([
    [sdkModelError(500, 'model crashed'), 502],
    [sdkModelError(0, 'Your invocation timed out while waiting for a response from container primary.'), 504],
    [throttling(), 429],
    [new ModelNotReadyException({ message: 'Model is not ready', $metadata }), 502],
    [new ValidationError({ message: `Endpoint ${ENDPOINT} of account 1 not found.`, $metadata }), 502],
  ])('answers %s with %i', async (error, status) => {
    const result = await gateway(error)(invocation);
    expect(result.statusCode).toBe(status);
    expect(JSON.parse(result.body).error).toContain(ENDPOINT);
  });

  it('answers /ping with 503 while the endpoint is Creating', async () => {
    const result = await gateway(new Error('unused'))({ ...invocation, rawPath: '/ping', requestContext: { http: { method: 'GET' } } });
    expect(result.statusCode).toBe(503);
    expect(JSON.parse(result.body).error).toContain('still Creating');
  });
});

import { InvokeEndpointCommand, SageMakerRuntimeClient, type InvokeEndpointCommandOutput } from '@aws-sdk/client-sagemaker-runtime';
import { ModelError, ModelTimeout, ModelUnavailable, Throttled, modelMessage, type InvokerError, type ModelAnswer, type ModelInvoker } from './invoker';

/** The part of SageMakerRuntimeClient the invoker uses. */
export interface SageMakerRuntimeSender {
  send(command: InvokeEndpointCommand, options?: { abortSignal?: AbortSignal }): Promise<InvokeEndpointCommandOutput>;
}

/** DescribeEndpoint reduced to what /ping needs. */
export type DescribeEndpoint = (endpointName: string, signal?: AbortSignal) => Promise<{ EndpointStatus?: string; FailureReason?: string }>;

export interface SageMakerInvokerOptions {
  endpointName: string;
  /** Defaults to the SDK's own resolution (AWS_REGION in Lambda). */
  region?: string;
  /** Another SageMaker Runtime client; by default one is created for `region`. */
  runtime?: SageMakerRuntimeSender;
  /** Another DescribeEndpoint; by default @aws-sdk/client-sagemaker's, loaded on the first /ping. */
  describeEndpoint?: DescribeEndpoint;
}

// An endpoint that is being updated keeps serving the previous variant, so it is healthy.
const SERVING = new Set(['InService', 'Updating', 'SystemUpdating']);
const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT']);

/**
 * Invokes a SageMaker endpoint through SageMaker Runtime (honours AWS_ENDPOINT_URL, as every SDK v3
 * client does). /ping asks SageMaker for the endpoint's status with DescribeEndpoint, so the
 * gateway's role needs `sagemaker:DescribeEndpoint` next to `sagemaker:InvokeEndpoint`.
 */
export function createSageMakerInvoker(options: SageMakerInvokerOptions): ModelInvoker {
  const { endpointName } = options;
  const runtime = options.runtime ?? new SageMakerRuntimeClient({ region: options.region });
  const describe = options.describeEndpoint ?? defaultDescribeEndpoint(options.region);

  return {
    async invoke(body, contentType, signal): Promise<ModelAnswer> {
      let output: InvokeEndpointCommandOutput;
      try {
        output = await runtime.send(
          new InvokeEndpointCommand({
            EndpointName: endpointName,
            Body: typeof body === 'string' ? Buffer.from(body, 'utf8') : body,
            ContentType: contentType,
            Accept: 'application/json',
          }),
          { abortSignal: signal },
        );
      } catch (e) {
        throw sageMakerError(e, endpointName, signal);
      }
      return {
        status: 200,
        body: Buffer.from(output.Body ?? new Uint8Array()),
        contentType: output.ContentType ?? 'application/json',
      };
    },
    async ping(signal) {
      let status: string | undefined;
      let reason: string | undefined;
      try {
        ({ EndpointStatus: status, FailureReason: reason } = await describe(endpointName, signal));
      } catch (e) {
        throw sageMakerError(e, endpointName, signal);
      }
      if (status && SERVING.has(status)) return;
      if (status === 'Creating') {
        throw new ModelUnavailable(`SageMaker endpoint ${endpointName} is still Creating; it usually takes a few minutes, try /ping again shortly.`);
      }
      if (status === 'Failed') throw new ModelUnavailable(`SageMaker endpoint ${endpointName} failed: ${reason ?? 'no reason given'}. Redeploy the preview.`);
      throw new ModelUnavailable(`SageMaker endpoint ${endpointName} is ${status ?? 'in an unknown state'}, not InService.`);
    },
  };
}

function defaultDescribeEndpoint(region?: string): DescribeEndpoint {
  // Loaded on the first /ping only: the control-plane client is large and inference never needs it.
  let client: Promise<{ describe: DescribeEndpoint }> | undefined;
  return async (endpointName, signal) => {
    client ??= import('@aws-sdk/client-sagemaker').then(({ SageMakerClient, DescribeEndpointCommand }) => {
      const sagemaker = new SageMakerClient({ region });
      return {
        describe: (name: string, abortSignal?: AbortSignal) => sagemaker.send(new DescribeEndpointCommand({ EndpointName: name }), { abortSignal }),
      };
    });
    return (await client).describe(endpointName, signal);
  };
}

/** Turns an SDK error into the InvokerError the handler maps to a status, with a message that says what to do. */
export function sageMakerError(e: unknown, endpointName: string, signal?: AbortSignal): InvokerError {
  const error = e as {
    name?: string;
    message?: string;
    code?: string;
    OriginalStatusCode?: number;
    OriginalMessage?: string;
    LogStreamArn?: string;
    $metadata?: { httpStatusCode?: number };
  };
  const name = error.name ?? 'Error';
  const message = error.message ?? String(e);
  if (signal?.aborted || name === 'AbortError' || name === 'TimeoutError') {
    return new ModelTimeout(`SageMaker endpoint ${endpointName} did not answer within the gateway's timeout`);
  }
  switch (name) {
    case 'ModelError': {
      const original = modelMessage(error.OriginalMessage ?? message);
      const logs = error.LogStreamArn ? ` See the container log: ${error.LogStreamArn}` : ` See the CloudWatch log group /aws/sagemaker/Endpoints/${endpointName}.`;
      // SageMaker reports a container that does not answer in time as a ModelError.
      if (/timed out/i.test(original)) return new ModelTimeout(`the model in SageMaker endpoint ${endpointName} timed out: ${original}.${logs}`);
      const status = error.OriginalStatusCode;
      return new ModelError(`the model in SageMaker endpoint ${endpointName} answered ${status ?? 'an error'}: ${original}.${logs}`, status);
    }
    case 'ModelNotReadyException':
      return new ModelUnavailable(`SageMaker endpoint ${endpointName} is not ready yet (a serverless endpoint is still provisioning): ${message}. Retry shortly.`);
    case 'ValidationError':
    case 'ValidationException':
      if (/not found|could not find|does not exist/i.test(message)) {
        return new ModelUnavailable(`SageMaker endpoint ${endpointName} does not exist: ${message}. Run deploy-preview again.`);
      }
      return new ModelError(`SageMaker refused the request to endpoint ${endpointName}: ${message}`);
    case 'ThrottlingException':
    case 'TooManyRequestsException':
      return new Throttled(`SageMaker is throttling calls to endpoint ${endpointName}: ${message}. Slow down and retry.`);
    case 'ServiceUnavailable':
    case 'InternalFailure':
    case 'InternalDependencyException':
      return new ModelUnavailable(`SageMaker Runtime is unavailable (${name}): ${message}. Retry shortly.`);
    case 'AccessDeniedException':
    case 'UnrecognizedClientException':
    case 'CredentialsProviderError':
      return new ModelUnavailable(
        `the gateway may not call SageMaker for endpoint ${endpointName} (${name}): ${message}. Check the gateway role's sagemaker:InvokeEndpoint and sagemaker:DescribeEndpoint permissions.`,
      );
  }
  if (error.$metadata?.httpStatusCode === 429) return new Throttled(`SageMaker is throttling calls to endpoint ${endpointName}: ${message}. Slow down and retry.`);
  if (error.code && UNREACHABLE.has(error.code)) {
    return new ModelUnavailable(`cannot reach SageMaker Runtime (${error.code}); check the region and AWS_ENDPOINT_URL.`);
  }
  return new ModelError(`calling SageMaker endpoint ${endpointName} failed (${name}): ${message}`);
}

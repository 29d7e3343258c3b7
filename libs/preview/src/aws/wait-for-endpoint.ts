import { setTimeout as sleep } from 'node:timers/promises';
import { DescribeEndpointCommand, type DescribeEndpointCommandOutput } from '@aws-sdk/client-sagemaker';

/** The part of SageMakerClient the wait uses. */
export interface EndpointDescriber {
  send(command: DescribeEndpointCommand): Promise<Pick<DescribeEndpointCommandOutput, 'EndpointStatus' | 'FailureReason'>>;
}

export interface EndpointWait {
  endpointName: string;
  sagemaker: EndpointDescriber;
  timeoutMs: number;
  /** Between two DescribeEndpoint calls (default 10 s: endpoints take minutes, and the API is rate-limited). */
  pollMs?: number;
  /** Called when the status changes, e.g. Creating -> InService. */
  onStatus?: (status: string) => void;
}

export class EndpointFailedError extends Error {
  override name = 'EndpointFailedError';
}

const SETTLING = new Set(['Creating', 'Updating', 'SystemUpdating', 'RollingBack']);

/** Polls DescribeEndpoint until InService; Failed (with SageMaker's FailureReason) or the timeout is an error. */
export async function waitForEndpoint(wait: EndpointWait): Promise<{ ms: number }> {
  const started = Date.now();
  let last: string | undefined;
  for (;;) {
    const endpoint = await wait.sagemaker.send(new DescribeEndpointCommand({ EndpointName: wait.endpointName }));
    const status = endpoint.EndpointStatus ?? 'unknown';
    if (status !== last) wait.onStatus?.(status);
    last = status;
    if (status === 'InService') return { ms: Date.now() - started };
    if (!SETTLING.has(status)) {
      throw endpointFailure(wait.endpointName, status, endpoint.FailureReason);
    }
    if (Date.now() - started >= wait.timeoutMs) {
      throw new EndpointFailedError(
        `SageMaker endpoint ${wait.endpointName} is still ${status} after ${Math.round(wait.timeoutMs / 1000)} s: ` +
          `raise --endpointTimeout (seconds) or check the endpoint in the SageMaker console; the preview stays deployed.`,
      );
    }
    await sleep(Math.min(wait.pollMs ?? 10_000, Math.max(0, wait.timeoutMs - (Date.now() - started))));
  }
}

/** An endpoint that SageMaker could not bring up, with its reason and where to look. */
export function endpointFailure(endpointName: string, status: string, reason: string | undefined): EndpointFailedError {
  return new EndpointFailedError(
    `SageMaker endpoint ${endpointName} is ${status}: ${(reason ?? 'SageMaker gave no reason').replace(/\.$/, '')}. ` +
      `Check that the image serves GET /ping and POST /invocations on port 8080 (docker run <image> serve), and read the endpoint's ` +
      `CloudWatch log group /aws/sagemaker/Endpoints/${endpointName}.`,
  );
}

/**
 * After a failed apply: SageMaker's own reason when the endpoint is what failed (Terraform's
 * message buries it), else undefined.
 */
export async function failedEndpointReason(sagemaker: EndpointDescriber, endpointName: string): Promise<EndpointFailedError | undefined> {
  try {
    const endpoint = await sagemaker.send(new DescribeEndpointCommand({ EndpointName: endpointName }));
    return endpoint.EndpointStatus === 'Failed' ? endpointFailure(endpointName, 'Failed', endpoint.FailureReason) : undefined;
  } catch {
    return undefined;
  }
}

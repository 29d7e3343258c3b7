/**
 * The one dependency that differs between the local preview and AWS: how the gateway reaches the
 * model. Locally it is HTTP to the model server on loopback; in AWS it is SageMaker Runtime.
 */
export interface ModelAnswer {
  /** HTTP status of the model's answer (2xx; anything else is thrown as an InvokerError). */
  status: number;
  body: Buffer;
  contentType: string;
}

export interface ModelInvoker {
  /** Sends one inference request. Rejects with an InvokerError subclass; stops work when `signal` aborts. */
  invoke(body: Buffer | string, contentType: string, signal?: AbortSignal): Promise<ModelAnswer>;
  /** Resolves when the model can serve requests; rejects with an InvokerError subclass otherwise. */
  ping(signal?: AbortSignal): Promise<void>;
}

/** Base of every failure an invoker reports; the handler maps each subclass to one HTTP status. */
export abstract class InvokerError extends Error {
  abstract readonly code: string;
}

/** The model answered with an error, or answered something other than a result. */
export class ModelError extends InvokerError {
  override name = 'ModelError';
  readonly code = 'model_error';
  constructor(
    message: string,
    /** The status the model itself answered with, when it answered. */
    readonly modelStatus?: number,
  ) {
    super(message);
  }
}

/** The model did not answer within the gateway's timeout. */
export class ModelTimeout extends InvokerError {
  override name = 'ModelTimeout';
  readonly code = 'model_timeout';
}

/** The model cannot be reached: server down, connection refused or reset, endpoint missing or not ready. */
export class ModelUnavailable extends InvokerError {
  override name = 'ModelUnavailable';
  readonly code = 'model_unavailable';
}

/** The model (or SageMaker in front of it) asks callers to slow down. */
export class Throttled extends InvokerError {
  override name = 'Throttled';
  readonly code = 'throttled';
}

/**
 * The useful part of a model's error answer, short enough for a response body: FastAPI's `detail`,
 * a `message` or `error` field, or else the raw text.
 */
export function modelMessage(text: string, max = 500): string {
  let message = text.trim();
  try {
    const parsed: unknown = JSON.parse(message);
    if (parsed && typeof parsed === 'object') {
      const fields = parsed as Record<string, unknown>;
      const found = fields.detail ?? fields.message ?? fields.error;
      if (found !== undefined) message = typeof found === 'string' ? found : JSON.stringify(found);
    }
  } catch {
    // Not JSON: the text is the message.
  }
  if (message === '') return '(empty answer)';
  return message.length > max ? `${message.slice(0, max)}…` : message;
}

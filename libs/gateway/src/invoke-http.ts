import { Pool } from 'undici';
import { ModelError, ModelTimeout, ModelUnavailable, Throttled, modelMessage, type ModelAnswer, type ModelInvoker } from './invoker';

export interface HttpInvokerOptions {
  /** Base URL of the model server speaking SageMaker's container contract, e.g. `http://127.0.0.1:8080`. */
  url: string;
  /** Connections kept open to the model server. */
  connections?: number;
}

export interface HttpInvoker extends ModelInvoker {
  /** Closes the kept-alive connections; call it when the gateway shuts down. */
  close(): Promise<void>;
}

// Connection failures: the server is not there (any more), not a model error.
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_DESTROYED',
  'UND_ERR_CONNECT_TIMEOUT',
]);
const TIMEOUTS = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/** Invokes the local model server over HTTP (GET /ping, POST /invocations) with a keep-alive pool. */
export function createHttpInvoker(options: HttpInvokerOptions): HttpInvoker {
  const base = new URL(options.url);
  const prefix = base.pathname.replace(/\/+$/, '');
  // undici closes idle sockets after 4 s, before uvicorn's 5 s keep-alive does, so a POST is never
  // written to a socket the server is closing (undici does not retry non-idempotent requests).
  const pool = new Pool(base.origin, { connections: options.connections ?? 32, keepAliveTimeout: 4_000 });

  async function request(method: 'GET' | 'POST', path: string, signal?: AbortSignal, body?: Buffer | string, contentType?: string) {
    try {
      const res = await pool.request({
        method,
        path: prefix + path,
        body,
        headers: contentType ? { 'content-type': contentType, accept: 'application/json' } : { accept: 'application/json' },
        signal,
      });
      const bytes = Buffer.from(await res.body.arrayBuffer());
      const type = res.headers['content-type'];
      return { status: res.statusCode, body: bytes, contentType: (Array.isArray(type) ? type[0] : type) ?? '' };
    } catch (e) {
      throw translate(e, method, path, signal);
    }
  }

  function translate(e: unknown, method: string, path: string, signal?: AbortSignal): Error {
    const where = `${method} ${base.origin}${prefix}${path}`;
    const code = (e as { code?: unknown }).code;
    if (signal?.aborted) return new ModelTimeout(`${where} was cancelled after the gateway's timeout`);
    if (typeof code === 'string' && TIMEOUTS.has(code)) return new ModelTimeout(`${where} timed out (${code})`);
    if (typeof code === 'string' && UNREACHABLE.has(code)) {
      return new ModelUnavailable(`cannot reach the model server (${where}: ${code}); is it running? Check the model server's log.`);
    }
    return new ModelUnavailable(`calling the model server failed (${where}): ${(e as Error).message ?? String(e)}`);
  }

  return {
    async invoke(body, contentType, signal): Promise<ModelAnswer> {
      const answer = await request('POST', '/invocations', signal, body, contentType);
      if (answer.status === 429) throw new Throttled(`the model server is overloaded (429): ${modelMessage(answer.body.toString('utf8'))}`);
      if (answer.status < 200 || answer.status > 299) {
        throw new ModelError(`the model server answered ${answer.status}: ${modelMessage(answer.body.toString('utf8'))}`, answer.status);
      }
      return answer;
    },
    async ping(signal) {
      const answer = await request('GET', '/ping', signal);
      if (answer.status !== 200) {
        throw new ModelUnavailable(`the model server answered GET /ping with ${answer.status}: ${modelMessage(answer.body.toString('utf8'))}`);
      }
    },
    close: () => pool.close(),
  };
}

import { randomUUID } from 'node:crypto';
import { bearerCheck } from './authorize';
import { arrayLimitCheck, DEFAULT_MAX_ARRAY_ITEMS, largestContainerLimit, type ArrayLimitResult } from './array-limits';
import { compileSchema, type SchemaCheck, type SchemaViolation } from './compile-schema';
import type { GatewayHandler, HttpApiEvent, HttpApiResult } from './http-event';
import { InvokerError, ModelError, ModelTimeout, ModelUnavailable, Throttled, type ModelAnswer, type ModelInvoker } from './invoker';
import { oversizedContainer } from './raw-container-scan';
import { bodyBytes, bodyLength, mediaType, utf8Text } from './request-body';

/** SageMaker's realtime payload limit; serverless endpoints allow 4 MB. */
export const DEFAULT_MAX_BODY_BYTES = 6 * 1024 * 1024;
/** Below API Gateway's 30 s integration timeout, so the gateway answers 504 itself. */
export const DEFAULT_TIMEOUT_MS = 25_000;
const PING_TIMEOUT_MS = 5_000;
const MAX_LISTED_VIOLATIONS = 20;

export interface GatewayOptions {
  /** JSON Schema of a POST /invocations body. */
  inputSchema: object;
  /** JSON Schema of the model's answer. */
  outputSchema: object;
  /** The preview's bearer token. */
  token: string;
  invoker: ModelInvoker;
  maxBodyBytes?: number;
  /**
   * Most items an array in a request may hold where the input schema sets no `maxItems`
   * (ephenv.json's `endpoint.maxBatchSize`); where it does, its own `maxItems` is the cap.
   */
  maxArrayItems?: number;
  /** How long to wait for the model before answering 504. */
  timeoutMs?: number;
  /** Named in log lines and in GET /ping's answer. */
  modelName?: string;
  /** Receives one entry per request; defaults to one JSON line on stdout. */
  log?: (entry: RequestLogEntry) => void;
}

/** One request, as logged. Holds neither the token nor any body. */
export interface RequestLogEntry {
  time: string;
  level: 'info' | 'warn' | 'error';
  requestId: string;
  model?: string;
  method: string;
  route: string;
  status: number;
  latencyMs: number;
  modelLatencyMs?: number;
  modelStatus?: number;
  bytesIn: number;
  bytesOut: number;
  /** Why the request failed, as a stable code (e.g. `unauthorized`, `schema_violation`, `model_timeout`). */
  error?: string;
  /** Only for 500s: the unexpected exception, for whoever fixes the gateway. */
  exception?: string;
}

/** Every error answer has this body. */
export interface ErrorBody {
  error: string;
  details?: SchemaViolation[];
  requestId: string;
}

type Route = '/ping' | '/invocations' | '/schema';
const ROUTES: Record<Route, string> = { '/ping': 'GET', '/invocations': 'POST', '/schema': 'GET' };

/** A refusal: the status, a stable code for logs, and a message saying what is wrong and how to fix it. */
class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: SchemaViolation[],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

const writeJsonLine = (entry: RequestLogEntry) => {
  process.stdout.write(`${JSON.stringify(entry)}\n`);
};

/**
 * The gateway in front of a model: authenticates, refuses bad input before it reaches the model,
 * invokes the model within a deadline and checks its answer against the output schema.
 * Schemas are compiled here, once; an invalid schema or token throws now rather than per request.
 */
export function createHandler(options: GatewayOptions): GatewayHandler {
  const checkAuth = bearerCheck(options.token);
  const checkInput = compileSchema(options.inputSchema, 'input.schema.json');
  const checkOutput = compileSchema(options.outputSchema, 'output.schema.json');
  const maxArrayItems = options.maxArrayItems ?? DEFAULT_MAX_ARRAY_ITEMS;
  const inputArrays = arrayLimitCheck(options.inputSchema, maxArrayItems);
  const containerCeiling = largestContainerLimit(options.inputSchema, maxArrayItems);
  // The model's answer is not capped by a batch size, only by its schema's maxItems.
  const outputArrays = arrayLimitCheck(options.outputSchema, Number.POSITIVE_INFINITY);
  const schemaBody = JSON.stringify({ input: options.inputSchema, output: options.outputSchema });
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const { invoker, modelName } = options;
  const log = options.log ?? writeJsonLine;

  async function serve(event: HttpApiEvent, entry: RequestLogEntry, requestId: string): Promise<HttpApiResult> {
    const headers = lowerCaseKeys(event.headers);
    const path = routePath(event);
    const route = Object.hasOwn(ROUTES, path) ? (path as Route) : undefined;
    entry.route = route ?? 'unmatched';

    // Every route is private, /ping included: a preview's health is nobody else's business.
    const auth = checkAuth(headers.authorization);
    if (auth) {
      const challenge = auth === 'missing' ? 'Bearer realm="ephenv"' : 'Bearer realm="ephenv", error="invalid_token"';
      const why = {
        missing: 'no Authorization header',
        malformed: 'the Authorization header is not "Bearer <token>"',
        wrong: 'the bearer token is wrong',
      }[auth];
      throw new Refusal(401, 'unauthorized', `${why}: send "Authorization: Bearer <token>" with the preview's token (from deploy-preview's output or record).`, undefined, {
        'www-authenticate': challenge,
      });
    }
    if (!route) {
      throw new Refusal(404, 'not_found', `no route ${clip(path, 200)}: the gateway serves GET /ping, POST /invocations and GET /schema.`);
    }
    if (entry.method !== ROUTES[route]) {
      throw new Refusal(405, 'method_not_allowed', `${route} accepts ${ROUTES[route]} only.`, undefined, { allow: ROUTES[route] });
    }

    if (route === '/schema') return { statusCode: 200, headers: jsonHeaders(requestId), body: schemaBody, isBase64Encoded: false };
    if (route === '/ping') {
      await callModel(entry, (signal) => invoker.ping(signal), Math.min(timeoutMs, PING_TIMEOUT_MS), true);
      return json(200, { status: 'ok', ...(modelName ? { model: modelName } : {}) }, requestId);
    }

    const contentType = mediaType(headers['content-type']);
    if (contentType?.type !== 'application/json' || (contentType.charset && contentType.charset !== 'utf-8')) {
      throw new Refusal(415, 'unsupported_media_type', `send the request as "Content-Type: application/json" (UTF-8); got ${headers['content-type'] ? `"${clip(headers['content-type'], 100)}"` : 'no Content-Type'}.`);
    }
    const declared = Number(headers['content-length']);
    if (entry.bytesIn > maxBodyBytes || (Number.isFinite(declared) && declared > maxBodyBytes)) {
      throw new Refusal(413, 'payload_too_large', `the request body is larger than the limit of ${maxBodyBytes} bytes; send fewer instances per request.`);
    }
    // A text body is already a string: decoding it again would cost as much as the rest of the checks.
    const text = event.isBase64Encoded ? utf8Text(bodyBytes(event)) : withoutBom(event.body ?? '');
    if (text === undefined) throw new Refusal(400, 'invalid_json', 'the request body is not UTF-8 text; send a UTF-8 encoded JSON document.');
    const oversized = oversizedContainer(text, containerCeiling);
    if (oversized) {
      const what = oversized.kind === 'array' ? `an array of more than ${containerCeiling} items` : `an object with more than ${containerCeiling} members`;
      throw new Refusal(
        400,
        'schema_violation',
        `the request holds ${what} (the one opening at character ${oversized.offset}), more than input.schema.json allows anywhere; send at most ${containerCeiling} instances per request.`,
      );
    }
    let document: unknown;
    try {
      document = JSON.parse(text);
    } catch (e) {
      const why = text.trim() === '' ? 'the body is empty' : (e as Error).message;
      throw new Refusal(400, 'invalid_json', `the request body is not valid JSON (${clip(why, 200)}); send a JSON document.`);
    }
    const violations = check(checkInput, inputArrays, document, 400, 'schema_violation');
    if (violations) {
      throw new Refusal(400, 'schema_violation', `the request does not match input.schema.json (${violations.summary}); fix the listed fields.`, violations.listed);
    }

    const answer = await callModel(entry, (signal) => invoker.invoke(bodyBytes(event), 'application/json', signal), timeoutMs, false);
    return checkedAnswer(answer, requestId);
  }

  /** Runs a model call within `deadlineMs` and turns its failures into refusals with the contract's statuses. */
  async function callModel<T>(entry: RequestLogEntry, call: (signal: AbortSignal) => Promise<T>, deadlineMs: number, ping: boolean): Promise<T> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), deadlineMs);
    const started = performance.now();
    const work = Promise.resolve().then(() => call(controller.signal));
    const deadline = new Promise<never>((_, reject) =>
      controller.signal.addEventListener('abort', () => reject(new ModelTimeout('')), { once: true }),
    );
    try {
      return await Promise.race([work, deadline]);
    } catch (e) {
      if (e instanceof ModelError && e.modelStatus !== undefined) entry.modelStatus = e.modelStatus;
      throw modelRefusal(e, deadlineMs, ping);
    } finally {
      clearTimeout(timer);
      // A call that lost the race still settles later; nobody is waiting for it any more.
      work.catch(() => undefined);
      entry.modelLatencyMs = Math.round(performance.now() - started);
    }
  }

  function checkedAnswer(answer: ModelAnswer, requestId: string): HttpApiResult {
    const text = utf8Text(answer.body);
    let document: unknown;
    try {
      document = JSON.parse(text ?? '');
    } catch {
      const got = text === undefined ? 'binary data' : `"${clip(text, 200)}"`;
      throw new Refusal(502, 'invalid_model_output', `the model's answer is not JSON (content-type "${answer.contentType}", got ${got}); the model must answer application/json.`);
    }
    const violations = check(checkOutput, outputArrays, document, 502, 'invalid_model_output');
    if (violations) {
      throw new Refusal(502, 'invalid_model_output', `the model's answer does not match output.schema.json (${violations.summary}); fix the model or the schema.`, violations.listed);
    }
    return { statusCode: answer.status, headers: jsonHeaders(requestId), body: text as string, isBase64Encoded: false };
  }

  function modelRefusal(e: unknown, deadlineMs: number, ping: boolean): unknown {
    if (!(e instanceof InvokerError)) return e;
    const what = ping ? 'the model is not healthy' : 'the model could not answer';
    if (e instanceof ModelTimeout) {
      const why = e.message ? ` (${e.message})` : '';
      return new Refusal(504, e.code, `the model did not answer within ${deadlineMs} ms${why}; retry with fewer instances or raise endpoint.timeoutSeconds in ephenv.json.`);
    }
    if (e instanceof Throttled) return new Refusal(429, e.code, `${what}: ${e.message}`, undefined, { 'retry-after': '1' });
    if (e instanceof ModelUnavailable) return new Refusal(ping ? 503 : 502, e.code, `${what}: ${e.message}`);
    if (e instanceof ModelError && e.modelStatus !== undefined && e.modelStatus >= 400 && e.modelStatus < 500) {
      return new Refusal(502, e.code, `the model rejected a request that input.schema.json accepts: ${e.message}. Make the schema as strict as the model, or fix the model.`);
    }
    return new Refusal(502, e.code, `${what}: ${e.message}`);
  }

  return async function handle(event: HttpApiEvent): Promise<HttpApiResult> {
    const started = performance.now();
    const requestId = event?.requestContext?.requestId || randomUUID();
    const entry: RequestLogEntry = {
      time: new Date().toISOString(),
      level: 'info',
      requestId,
      ...(modelName ? { model: modelName } : {}),
      method: String(event?.requestContext?.http?.method ?? '').toUpperCase(),
      route: 'unmatched',
      status: 0,
      latencyMs: 0,
      bytesIn: 0,
      bytesOut: 0,
    };
    let result: HttpApiResult;
    try {
      // Counted without decoding: an unauthenticated body is never decoded.
      entry.bytesIn = bodyLength(event);
      result = await serve(event, entry, requestId);
    } catch (e) {
      if (e instanceof Refusal) {
        entry.error = e.code;
        result = json(e.status, { error: e.message, ...(e.details ? { details: e.details } : {}), requestId } satisfies ErrorBody, requestId, e.headers);
      } else {
        entry.error = 'internal';
        entry.exception = e instanceof Error ? (e.stack ?? `${e.name}: ${e.message}`) : String(e);
        result = json(500, { error: `the gateway failed unexpectedly; its log has the details under request id ${requestId}.`, requestId } satisfies ErrorBody, requestId);
      }
    }
    entry.status = result.statusCode;
    entry.level = result.statusCode >= 500 ? 'error' : result.statusCode >= 400 ? 'warn' : 'info';
    entry.bytesOut = Buffer.byteLength(result.body, 'utf8');
    entry.latencyMs = Math.round(performance.now() - started);
    try {
      log(entry);
    } catch {
      // A broken log sink must not turn an answer into a failure.
    }
    return result;
  };
}

/**
 * Checks a document against its schema in time linear in its size: the array pre-check first (an
 * array over its cap is refused before the validator sees it), then the schema. A document too
 * deeply nested for the validator's recursion is refused, not a crash. Undefined when valid.
 */
function check(
  schemaCheck: SchemaCheck,
  arrays: (document: unknown) => ArrayLimitResult,
  document: unknown,
  status: number,
  code: string,
): { listed: SchemaViolation[]; summary: string } | undefined {
  const sized = arrays(document);
  if (sized.violation) return { listed: [sized.violation], summary: '1 violation; arrays are checked against their limits before anything else' };
  let result;
  try {
    result = schemaCheck(document, sized.nodes);
  } catch (e) {
    if (e instanceof RangeError) throw new Refusal(status, code, 'the document is nested too deeply to validate.');
    throw e;
  }
  const { violations, complete } = result;
  const n = violations.length;
  if (n === 0) return undefined;
  const listed = violations.slice(0, MAX_LISTED_VIOLATIONS);
  if (!complete) return { listed, summary: 'validation stopped at the first violation in a document this large; there may be more' };
  if (n <= MAX_LISTED_VIOLATIONS) return { listed, summary: n === 1 ? '1 violation' : `${n} violations` };
  return { listed, summary: `${n} violations, the first ${MAX_LISTED_VIOLATIONS} listed, ${n - MAX_LISTED_VIOLATIONS} more` };
}

/** The route path: rawPath without a named stage's prefix (the `$default` stage has none) or a trailing slash. */
function routePath(event: HttpApiEvent): string {
  let path = event?.rawPath || event?.requestContext?.http?.path || '/';
  const stage = event?.requestContext?.stage;
  if (stage && stage !== '$default' && (path === `/${stage}` || path.startsWith(`/${stage}/`))) path = path.slice(stage.length + 1) || '/';
  return path.length > 1 ? path.replace(/\/+$/, '') || '/' : path;
}

function lowerCaseKeys(headers: HttpApiEvent['headers']): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = Object.create(null);
  for (const [name, value] of Object.entries(headers ?? {})) out[name.toLowerCase()] = value;
  return out;
}

/** A byte order mark is allowed before UTF-8 JSON (the UTF-8 decoder drops it from base64 bodies too). */
const withoutBom = (text: string) => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max)}…` : text);

function jsonHeaders(requestId: string, extra: Record<string, string> = {}): Record<string, string> {
  return { 'content-type': 'application/json', 'cache-control': 'no-store', 'x-request-id': requestId, ...extra };
}

function json(statusCode: number, payload: unknown, requestId: string, extra?: Record<string, string>): HttpApiResult {
  return { statusCode, headers: jsonHeaders(requestId, extra), body: JSON.stringify(payload), isBase64Encoded: false };
}

import { isUtf8 } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { DEFAULT_MAX_BODY_BYTES } from './handler';
import type { GatewayHandler, HttpApiEvent, HttpApiResult } from './http-event';

export interface LocalGatewayOptions {
  handler: GatewayHandler;
  /**
   * Whether an Authorization header holds the preview's token. Checked before the body is read:
   * a request that fails it is answered 401 by the handler without its body ever being buffered.
   */
  authorize?: (authorization: string | undefined) => boolean;
  /** Loopback by default: a local preview is for this machine only. */
  host?: string;
  /** 0 (the default) lets the kernel choose. */
  port?: number;
  /** The handler's limit; the adapter stops reading a body once it is exceeded. */
  maxBodyBytes?: number;
  /** Connections open at once; the kernel's next ones are closed at once (default 64). */
  maxConnections?: number;
  /** How long a client may take to send the request line and headers (default 10 s). */
  headersTimeoutMs?: number;
  /** How long a client may take to send the body once its headers arrived (default 30 s). */
  bodyTimeoutMs?: number;
  /** How long close() lets requests in flight finish before cutting their connections. */
  closeGraceMs?: number;
  /** Receives the adapter's own events (refused connections, slow clients, failures) as JSON-able objects. */
  log?: (event: Record<string, unknown>) => void;
}

export const DEFAULT_MAX_CONNECTIONS = 64;
export const DEFAULT_HEADERS_TIMEOUT_MS = 10_000;
export const DEFAULT_BODY_TIMEOUT_MS = 30_000;

export interface LocalGateway {
  url: string;
  host: string;
  port: number;
  server: Server;
  /** Stops accepting connections, lets requests in flight finish (within the grace period) and resolves when closed. */
  close(): Promise<void>;
}

const writeJsonLine = (event: Record<string, unknown>) => process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), ...event })}\n`);

/**
 * Serves a gateway handler over local HTTP, turning each request into the same payload-2.0 event
 * API Gateway would send the Lambda.
 */
export function startLocalGateway(options: LocalGatewayOptions): Promise<LocalGateway> {
  const host = options.host ?? '127.0.0.1';
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const headersTimeout = options.headersTimeoutMs ?? DEFAULT_HEADERS_TIMEOUT_MS;
  const bodyTimeout = options.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS;
  const log = options.log ?? writeJsonLine;
  let closing = false;
  const server = createServer(
    {
      keepAlive: true,
      // Node's own backstops against slow clients; the body timeout below answers first, with a JSON 408.
      headersTimeout,
      requestTimeout: headersTimeout + bodyTimeout,
      // How often Node checks those timeouts (30 s by default, longer than a short timeout itself).
      connectionsCheckingInterval: Math.max(50, Math.min(1_000, Math.floor(headersTimeout / 4))),
    },
    (req, res) => {
      serve(req, res).catch((e: unknown) => fail(req, res, e, log));
    },
  );
  server.maxConnections = options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
  server.on('drop', (peer?: { remoteAddress?: string; remotePort?: number }) => {
    log({ level: 'warn', event: 'connection_refused', reason: `already ${server.maxConnections} connections open`, remoteAddress: peer?.remoteAddress, remotePort: peer?.remotePort });
  });

  async function serve(req: IncomingMessage, res: ServerResponse) {
    const declared = Number(req.headers['content-length']);
    const hasBody = (Number.isFinite(declared) && declared > 0) || req.headers['transfer-encoding'] !== undefined;
    if (options.authorize && !options.authorize(req.headers.authorization)) {
      // The handler answers 401 from the headers alone; the body is never read into memory.
      const result = await options.handler(toEvent(req, Buffer.alloc(0)));
      if (hasBody) answerThenDrain(req, res, result, bodyTimeout);
      else write(res, result, closing);
      return;
    }
    // A declared length over the limit is refused without reading any of the body.
    const read = Number.isFinite(declared) && declared > maxBodyBytes ? { body: Buffer.alloc(0), overflow: true } : await readBody(req, maxBodyBytes, bodyTimeout);
    // The client went away mid-body: nobody is left to answer.
    if (read.stopped === 'gone') return;
    if (read.stopped === 'timeout') {
      const requestId = randomUUID();
      log({ level: 'warn', event: 'body_timeout', requestId, method: req.method, path: req.url, timeoutMs: bodyTimeout });
      const error = `the request body did not arrive within ${bodyTimeout} ms; send the whole body at once.`;
      write(res, { statusCode: 408, headers: { 'content-type': 'application/json', 'x-request-id': requestId }, body: JSON.stringify({ error, requestId }) }, true);
      return;
    }
    const result = await options.handler(toEvent(req, read.body));
    if (!read.overflow) write(res, result, closing);
    // Past the discard limit the connection is cut at once: nobody gets to make the gateway swallow gigabytes.
    else if (declared > maxBodyBytes + DISCARD_LIMIT_BYTES) write(res, result, true);
    else answerThenDrain(req, res, result, bodyTimeout);
  }

  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    const status =
      error.code === 'HPE_HEADER_OVERFLOW'
        ? '431 Request Header Fields Too Large'
        : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? '408 Request Timeout'
          : '400 Bad Request';
    const body = JSON.stringify({
      error: status.startsWith('408') ? 'the request did not arrive in time; send it at once.' : `malformed HTTP request (${error.code ?? error.message}); send a valid HTTP/1.1 request.`,
    });
    // A socket whose answer is already written (a 413 or 401 while its body drains) gets no second one.
    if (socket.writable && !answered.has(socket)) {
      socket.end(`HTTP/1.1 ${status}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
    }
    socket.destroySoon();
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      const { port } = server.address() as { port: number };
      const urlHost = host.includes(':') ? `[${host}]` : host;
      resolve({
        url: `http://${urlHost}:${port}`,
        host,
        port,
        server,
        close: () =>
          new Promise<void>((done) => {
            closing = true;
            server.close(() => done());
            server.closeIdleConnections();
            setTimeout(() => server.closeAllConnections(), options.closeGraceMs ?? 5_000).unref();
          }),
      });
    });
  });
}

interface ReadBody {
  body: Buffer;
  overflow: boolean;
  /** Why the body is incomplete: the client stopped sending for too long, or closed the connection. */
  stopped?: 'timeout' | 'gone';
}

/**
 * Reads the body up to `limit` bytes within `timeoutMs`. Past the limit it stops reading and
 * returns the first `limit + 1` bytes, enough for the handler to see the body is too large and
 * answer 413 itself. A client that stops sending (slowloris) gets `timedOut` instead of a slot forever.
 */
function readBody(req: IncomingMessage, limit: number, timeoutMs: number): Promise<ReadBody> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const settle = (result: ReadBody | Error) => {
      clearTimeout(timer);
      req.off('data', onData).off('end', onEnd).off('error', settle).off('close', onClose);
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size > limit) {
        req.pause();
        settle({ body: Buffer.concat(chunks).subarray(0, limit + 1), overflow: true });
      }
    };
    const onEnd = () => settle({ body: Buffer.concat(chunks), overflow: false });
    const onClose = () => {
      if (!req.complete) settle({ body: Buffer.alloc(0), overflow: false, stopped: 'gone' });
    };
    const timer = setTimeout(() => {
      req.pause();
      settle({ body: Buffer.alloc(0), overflow: false, stopped: 'timeout' });
    }, timeoutMs);
    req.on('data', onData).on('end', onEnd).on('error', settle).on('close', onClose);
  });
}

function toEvent(req: IncomingMessage, body: Buffer): HttpApiEvent {
  const url = req.url ?? '/';
  const query = url.indexOf('?');
  const rawPath = query === -1 ? url : url.slice(0, query);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  // Like API Gateway: text bodies as strings, anything else base64-encoded; no body, no field.
  const text = body.length > 0 && isUtf8(body);
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString: query === -1 ? '' : url.slice(query + 1),
    headers,
    requestContext: {
      http: {
        method: req.method ?? 'GET',
        path: rawPath,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.socket.remoteAddress ?? '',
        userAgent: req.headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      stage: '$default',
      timeEpoch: Date.now(),
    },
    ...(body.length > 0 ? { body: text ? body.toString('utf8') : body.toString('base64'), isBase64Encoded: !text } : { isBase64Encoded: false }),
  };
}

/**
 * How much of a refused body (too large, or sent without a valid token) is read and thrown away
 * after the answer, so that a client still sending can read the answer instead of hitting a
 * reset connection (EPIPE). Past this, or past the body timeout, the connection is cut.
 */
const DISCARD_LIMIT_BYTES = 8 * 1024 * 1024;

/** Sockets whose answer is fully written while their body is still being drained. */
const answered = new WeakSet<Socket>();

/**
 * Writes the whole answer now and ends the response only once the rest of the body is drained
 * (bounded in bytes and time), then closes the connection. Ending first would let Node close the
 * socket with the client's bytes unread, and the kernel would answer them with a reset that can
 * destroy the answer before the client reads it; a client that sent `Connection: close` met just that.
 */
function answerThenDrain(req: IncomingMessage, res: ServerResponse, result: HttpApiResult, timeoutMs: number) {
  const body = Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8');
  res.writeHead(result.statusCode, { ...result.headers, 'content-length': body.length, connection: 'close' });
  res.write(body);
  answered.add(req.socket);
  let discarded = 0;
  const cut = () => req.socket.destroy();
  const timer = setTimeout(cut, timeoutMs);
  req.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > DISCARD_LIMIT_BYTES) cut();
  });
  req.on('end', () => {
    clearTimeout(timer);
    res.end();
  });
  req.on('close', () => clearTimeout(timer));
  req.resume();
}

function write(res: ServerResponse, result: HttpApiResult, close: boolean) {
  const body = Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8');
  res.writeHead(result.statusCode, { ...result.headers, 'content-length': body.length, ...(close ? { connection: 'close' } : {}) });
  res.end(body);
}

/** An adapter failure: the caller gets a generic answer with a request id, the log gets the details. */
function fail(req: IncomingMessage, res: ServerResponse, e: unknown, log: (event: Record<string, unknown>) => void) {
  const requestId = randomUUID();
  log({ level: 'error', event: 'adapter_failed', requestId, method: req.method, path: req.url, exception: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  if (res.headersSent || res.destroyed || req.socket.destroyed) {
    res.destroy();
    return;
  }
  const body = JSON.stringify({ error: `the local gateway failed; its log has the details under request id ${requestId}.`, requestId });
  res.writeHead(500, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-request-id': requestId, connection: 'close' });
  res.end(body);
}

import { isUtf8 } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { DEFAULT_MAX_BODY_BYTES } from './handler';
import type { GatewayHandler, HttpApiEvent, HttpApiResult } from './http-event';

export interface LocalGatewayOptions {
  handler: GatewayHandler;
  /** Loopback by default: a local preview is for this machine only. */
  host?: string;
  /** 0 (the default) lets the kernel choose. */
  port?: number;
  /** The handler's limit; the adapter stops reading a body once it is exceeded. */
  maxBodyBytes?: number;
  /** How long close() lets requests in flight finish before cutting their connections. */
  closeGraceMs?: number;
}

export interface LocalGateway {
  url: string;
  host: string;
  port: number;
  server: Server;
  /** Stops accepting connections, lets requests in flight finish (within the grace period) and resolves when closed. */
  close(): Promise<void>;
}

/**
 * Serves a gateway handler over local HTTP, turning each request into the same payload-2.0 event
 * API Gateway would send the Lambda.
 */
export function startLocalGateway(options: LocalGatewayOptions): Promise<LocalGateway> {
  const host = options.host ?? '127.0.0.1';
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  let closing = false;
  const server = createServer({ keepAlive: true }, (req, res) => {
    serve(req, res).catch((e: unknown) => fail(res, e));
  });

  async function serve(req: IncomingMessage, res: ServerResponse) {
    const declared = Number(req.headers['content-length']);
    // A declared length over the limit is refused without reading any of the body.
    const { body, overflow } = Number.isFinite(declared) && declared > maxBodyBytes ? { body: Buffer.alloc(0), overflow: true } : await readBody(req, maxBodyBytes);
    const result = await options.handler(toEvent(req, body));
    // While closing, answers end their connection so close() need not wait for idle keep-alive sockets.
    write(res, result, closing || (overflow && declared > maxBodyBytes + DISCARD_LIMIT_BYTES));
    if (overflow) discardRest(req);
  }

  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    const status = error.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
    const body = JSON.stringify({ error: `malformed HTTP request (${error.code ?? error.message}); send a valid HTTP/1.1 request.` });
    if (socket.writable) {
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

/**
 * Reads the body up to `limit` bytes. Past the limit it stops reading and returns the first
 * `limit + 1` bytes, enough for the handler to see the body is too large and answer 413 itself.
 */
function readBody(req: IncomingMessage, limit: number): Promise<{ body: Buffer; overflow: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData).off('end', onEnd).off('error', reject);
        req.pause();
        resolve({ body: Buffer.concat(chunks).subarray(0, limit + 1), overflow: true });
      }
    };
    const onEnd = () => resolve({ body: Buffer.concat(chunks), overflow: false });
    req.on('data', onData).on('end', onEnd).on('error', reject);
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
 * How much of an oversized body is read and thrown away after the 413, so that a client still
 * sending can read the answer instead of hitting a closed socket (EPIPE). Past this, the
 * connection is cut: nobody gets to make the gateway swallow gigabytes.
 */
const DISCARD_LIMIT_BYTES = 8 * 1024 * 1024;

function discardRest(req: IncomingMessage) {
  let discarded = 0;
  req.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > DISCARD_LIMIT_BYTES) req.socket.destroy();
  });
  req.resume();
}

function write(res: ServerResponse, result: HttpApiResult, close: boolean) {
  const body = Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8');
  res.writeHead(result.statusCode, { ...result.headers, 'content-length': body.length, ...(close ? { connection: 'close' } : {}) });
  res.end(body);
}

function fail(res: ServerResponse, e: unknown) {
  if (res.headersSent) {
    res.destroy(e instanceof Error ? e : undefined);
    return;
  }
  const body = JSON.stringify({ error: `the local gateway failed: ${e instanceof Error ? e.message : String(e)}` });
  res.writeHead(500, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), connection: 'close' });
  res.end(body);
}

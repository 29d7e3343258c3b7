import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  body: string;
  authorization?: string;
  at: number;
  /** The client's port: one per connection. */
  port: number;
}

export interface LoopbackServer {
  url: string;
  received: Received[];
  close(): Promise<void>;
}

/**
 * A real HTTP server on 127.0.0.1 (keep-alive) standing in for a preview: `respond` decides
 * each answer; requests are recorded with their body and Authorization header.
 */
export async function startLoopbackServer(
  respond: (req: IncomingMessage, res: ServerResponse, n: number, body: string) => void,
): Promise<LoopbackServer> {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      received.push({ body, authorization: req.headers.authorization, at: Date.now(), port: req.socket.remotePort! });
      respond(req, res, received.length, body);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export const PREDICTION = { predictions: [{ label: 'setosa', class_id: 0, probabilities: { setosa: 0.97, versicolor: 0.02, virginica: 0.01 } }] };

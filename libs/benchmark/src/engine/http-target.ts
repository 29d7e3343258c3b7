import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { buildConnector, Client, type Dispatcher } from 'undici';

/** How a new connection was made (k6's http_req_blocked end, connecting, tls_handshaking). */
export interface ConnectionTiming {
  /** When the connector was asked for a socket (performance.now()). */
  startedAt: number;
  connectingMs: number;
  tlsHandshakingMs: number;
}

/**
 * The preview's `POST /invocations` as k6's VUs send it: each VU has a keep-alive connection of its
 * own (an undici Client, connected on the VU's first request) and its own iteration counter, which
 * picks the example as the generated load/k6.js does (`bodies[__ITER % bodies.length]`). Every
 * socket's bytes are counted: data_sent and data_received are what went over the wire, headers
 * included.
 */
export class HttpTarget {
  /** The full request URL, also the `name`/`url` tag of every sample. */
  readonly url: string;
  private readonly origin: string;
  /** Every VU's Client is built with these: one connection, timed by the connector below. */
  private readonly clientOptions: Client.Options;
  /** Per VU: its connection and the iterations it has started (k6's `__ITER`). */
  private readonly vus: Array<{ client: Client; iterations: number }> = [];
  private readonly requests: Dispatcher.DispatchOptions[];
  private readonly live = new Set<Socket>();
  private closedSent = 0;
  private closedReceived = 0;
  /** A connection that is ready but has not carried a request yet (see `takeNewConnection`). */
  private fresh: ConnectionTiming | undefined;

  /** `bodies`: the serialized example requests. */
  constructor(baseUrl: string, token: string, bodies: Buffer[]) {
    if (bodies.length === 0) throw new Error('no request bodies to send: the model has no examples');
    const base = new URL(baseUrl);
    const path = `${base.pathname.replace(/\/+$/, '')}/invocations`;
    this.origin = base.origin;
    this.url = `${base.origin}${path}`;
    this.requests = bodies.map((body) => ({
      origin: base.origin,
      path,
      method: 'POST',
      body,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'user-agent': 'ephenv-benchmark' },
    }));
    const connector = buildConnector({ timeout: 10_000 });
    this.clientOptions = {
      pipelining: 1,
      keepAliveTimeout: 60_000,
      // k6's default request timeout: a request without an answer after 60s fails (status 0).
      headersTimeout: 60_000,
      bodyTimeout: 60_000,
      connect: (options, callback) => {
        const startedAt = performance.now();
        let tcpAt = 0;
        const socket = connector(options, (err, connected) => {
          if (err) return callback(err, null);
          const readyAt = performance.now();
          this.track(connected!);
          // TCP is up at 'connect'; a TLS socket is handed over after its handshake.
          const tcpDoneAt = tcpAt || readyAt;
          this.fresh = { startedAt, connectingMs: tcpDoneAt - startedAt, tlsHandshakingMs: readyAt - tcpDoneAt };
          // undici writes the connection's first request synchronously inside this callback, so
          // that request's handler takes `fresh` (takeNewConnection) before it is cleared.
          callback(null, connected!);
          this.fresh = undefined;
        });
        // undici's connector returns the socket it is connecting (its types say void): its
        // 'connect' event splits TCP from TLS. Without it, TLS time would count as connecting.
        (socket as unknown as Socket | undefined)?.once?.('connect', () => (tcpAt = performance.now()));
      },
    };
  }

  private track(socket: Socket): void {
    this.live.add(socket);
    socket.once('close', () => {
      this.closedSent += socket.bytesWritten;
      this.closedReceived += socket.bytesRead;
      this.live.delete(socket);
    });
  }

  /**
   * The timing of the connection that was just made, for the first request written on it (its
   * handler calls this when undici writes it); undefined when the request reuses a connection.
   */
  takeNewConnection(): ConnectionTiming | undefined {
    const fresh = this.fresh;
    this.fresh = undefined;
    return fresh;
  }

  /**
   * VU `vu` sends its next example on its own connection (an undici Client made on the VU's first
   * request, connecting then); the handler receives the response.
   */
  send(vu: number, handler: Dispatcher.DispatchHandler): void {
    const state = (this.vus[vu] ??= { client: new Client(this.origin, this.clientOptions), iterations: 0 });
    state.client.dispatch(this.requests[state.iterations++ % this.requests.length], handler);
  }

  bytesSent(): number {
    let total = this.closedSent;
    for (const s of this.live) total += s.bytesWritten;
    return total;
  }

  bytesReceived(): number {
    let total = this.closedReceived;
    for (const s of this.live) total += s.bytesRead;
    return total;
  }

  /** Closes every connection; requests still in flight fail (they are interrupted iterations). */
  async destroy(): Promise<void> {
    await Promise.all(this.vus.map(({ client }) => client.destroy()));
  }
}

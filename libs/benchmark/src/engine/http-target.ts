import type { Socket } from 'node:net';
import { buildConnector, Pool, type Dispatcher } from 'undici';

/**
 * The preview's `POST /invocations`, behind a keep-alive undici Pool with one connection per VU
 * (as each k6 VU has its own), counting the bytes every socket writes and reads: data_sent and
 * data_received are what went over the wire, headers included.
 */
export class HttpTarget {
  /** The full request URL, also the `name`/`url` tag of every sample. */
  readonly url: string;
  private readonly pool: Pool;
  private readonly requests: Dispatcher.DispatchOptions[];
  private readonly live = new Set<Socket>();
  private closedSent = 0;
  private closedReceived = 0;
  private next = 0;

  /** `bodies`: the serialized example requests, sent round robin. */
  constructor(baseUrl: string, token: string, bodies: Buffer[], connections: number) {
    if (bodies.length === 0) throw new Error('no request bodies to send: the model has no examples');
    const base = new URL(baseUrl);
    const path = `${base.pathname.replace(/\/+$/, '')}/invocations`;
    this.url = `${base.origin}${path}`;
    const connector = buildConnector({ timeout: 10_000 });
    this.pool = new Pool(base.origin, {
      connections,
      pipelining: 1,
      keepAliveTimeout: 60_000,
      // k6's default request timeout: a request without an answer after 60s fails (status 0).
      headersTimeout: 60_000,
      bodyTimeout: 60_000,
      connect: (options, callback) =>
        connector(options, (err, socket) => {
          if (socket) this.track(socket);
          if (err) callback(err, null);
          else callback(null, socket!);
        }),
    });
    this.requests = bodies.map((body) => ({
      origin: base.origin,
      path,
      method: 'POST',
      body,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'user-agent': 'ephenv-benchmark' },
    }));
  }

  private track(socket: Socket): void {
    this.live.add(socket);
    socket.once('close', () => {
      this.closedSent += socket.bytesWritten;
      this.closedReceived += socket.bytesRead;
      this.live.delete(socket);
    });
  }

  /** Sends the next example; the handler receives the response. */
  send(handler: Dispatcher.DispatchHandler): void {
    const request = this.requests[this.next];
    this.next = (this.next + 1) % this.requests.length;
    this.pool.dispatch(request, handler);
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
    await this.pool.destroy();
  }
}

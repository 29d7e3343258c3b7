import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ScenarioPlan } from '../scenario';

/**
 * The warm-up's load: as fast as two VUs go for 200 ms (hundreds of requests on an idle machine),
 * enough for V8 to compile and tier up the request path; dropped iterations cost nothing.
 */
export const WARM_UP_PLAN: ScenarioPlan = {
  executor: 'constant-arrival-rate',
  rate: 5000,
  timeUnitMs: 1000,
  durationMs: 200,
  preAllocatedVUs: 2,
  maxVUs: 2,
  gracefulStopMs: 1000,
};

/**
 * A throwaway keep-alive server on loopback, in this process, answering as a model would: the
 * target of the engine's warm-up, so the preview never sees a request that is not measured.
 */
export async function startWarmUpTarget(): Promise<{ url: string; close: () => Promise<void> }> {
  const body = JSON.stringify({ predictions: [{ label: 'warm-up' }] });
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

import { createServer } from 'node:http';
import inputSchema from './fixtures/iris-input.schema.json';
import outputSchema from './fixtures/iris-output.schema.json';

export { inputSchema, outputSchema };

/** How the test model server answers POST /invocations (and GET /ping for `unhealthy`). */
export type ModelBehaviour = 'predict' | 'invalid-output' | 'not-json' | 'fail' | 'reject' | 'throttle' | 'hang' | 'unhealthy';

export interface ModelServer {
  url: string;
  port: number;
  behaviour: ModelBehaviour;
  /** POST /invocations requests received. */
  invocations: number;
  close(): Promise<void>;
}

const LABELS = ['setosa', 'versicolor', 'virginica'] as const;

interface Flower {
  sepal_length: number;
  sepal_width: number;
  petal_length: number;
  petal_width: number;
}

const PETAL_LENGTHS = [1.4, 4.5, 5.8];

/** A valid iris request with `n` instances, cycling through one flower of each class. */
export function irisRequest(n = 1): { instances: Flower[] } {
  return { instances: Array.from({ length: n }, (_, i) => ({ sepal_length: 5.1, sepal_width: 3.5, petal_length: PETAL_LENGTHS[i % 3], petal_width: 0.2 })) };
}

// A stand-in classifier with the iris model's contract: by petal length, like the first split of the real tree.
function predict(flower: Flower) {
  const classId = flower.petal_length < 2.5 ? 0 : flower.petal_length < 4.9 ? 1 : 2;
  const probabilities = Object.fromEntries(LABELS.map((label, i) => [label, i === classId ? 0.9 : 0.05]));
  return { label: LABELS[classId], class_id: classId, probabilities };
}

/** A real HTTP server on loopback speaking SageMaker's container contract, with a switchable behaviour. */
export function startModelServer(behaviour: ModelBehaviour = 'predict'): Promise<ModelServer> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const send = (status: number, body: string, type = 'application/json') => res.writeHead(status, { 'content-type': type }).end(body);
      if (req.method === 'GET' && req.url === '/ping') {
        return model.behaviour === 'unhealthy' ? send(503, '{"detail":"model not loaded"}') : send(200, '{"status":"ok"}');
      }
      if (req.method !== 'POST' || req.url !== '/invocations') return send(404, '{"detail":"Not Found"}');
      model.invocations += 1;
      switch (model.behaviour) {
        case 'hang':
          return;
        case 'fail':
          return send(500, '{"detail":"model crashed: division by zero"}');
        case 'reject':
          return send(422, '{"detail":"petal_width must be positive"}');
        case 'throttle':
          return send(429, '{"detail":"too many requests"}');
        case 'not-json':
          return send(200, 'setosa', 'text/plain');
        case 'invalid-output':
          return send(200, JSON.stringify({ predictions: [{ label: 'dog', class_id: 7 }] }));
        default: {
          // Decoded like the real server's json.loads(bytes): a leading UTF-8 byte order mark is ignored.
          const request = JSON.parse(new TextDecoder().decode(Buffer.concat(chunks))) as { instances: Flower[] };
          return send(200, JSON.stringify({ predictions: request.instances.map(predict) }));
        }
      }
    });
  });
  const model: ModelServer = {
    url: '',
    port: 0,
    behaviour,
    invocations: 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      model.port = (server.address() as { port: number }).port;
      model.url = `http://127.0.0.1:${model.port}`;
      resolve(model);
    });
  });
}

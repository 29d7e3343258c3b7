// k6 load test of iris-classifier's preview.
//   BASE_URL=<preview url> TOKEN=<token> k6 run load/k6.js
// `nx run iris-classifier:benchmark` runs it when k6 is installed (else the same scenario on ephenv's
// embedded engine). The scenario and thresholds come from ../ephenv.json.
import http from 'k6/http';
import { check } from 'k6';

const config = JSON.parse(open('../ephenv.json'));
// Set by `nx run iris-classifier:benchmark` for command-line overrides (--rate, --duration).
const overrides = __ENV.EPHENV_OPTIONS ? JSON.parse(__ENV.EPHENV_OPTIONS) : {};
// Comma-separated example files; the default is the examples the generator wrote.
const exampleFiles = __ENV.EXAMPLE_FILES
  ? __ENV.EXAMPLE_FILES.split(',')
  : ['../schemas/examples/batch.json', '../schemas/examples/setosa.json', '../schemas/examples/versicolor.json', '../schemas/examples/virginica.json'];
const bodies = exampleFiles.map((file) => JSON.stringify(JSON.parse(open(file)).request));

export const options = {
  scenarios: { preview: Object.assign({}, config.load.scenario, overrides.scenario) },
  thresholds: overrides.thresholds || config.load.thresholds,
};

const baseUrl = (__ENV.BASE_URL || '').replace(/\/+$/, '');
if (!baseUrl) throw new Error('BASE_URL is not set: use the URL `nx run iris-classifier:deploy-preview` printed');
const params = {
  headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${__ENV.TOKEN || ''}` },
  tags: { name: 'POST /invocations' },
};

export default function () {
  const res = http.post(`${baseUrl}/invocations`, bodies[__ITER % bodies.length], params);
  check(res, {
    'status is 200': (r) => r.status === 200,
    'answer has predictions': (r) => r.status === 200 && Array.isArray(r.json('predictions')),
  });
}

// Hands the end-of-test data to ephenv (EPHENV_SUMMARY) and keeps k6's own summary on stdout.
export function handleSummary(data) {
  const out = {};
  if (__ENV.EPHENV_SUMMARY) out[__ENV.EPHENV_SUMMARY] = JSON.stringify(data);
  return out;
}

// k6 load test of iris-classifier's preview.
//   BASE_URL=<preview url> TOKEN=<token> k6 run load/k6.js
// `nx run iris-classifier:benchmark` runs it when k6 is installed (else the same scenario on ephenv's
// embedded engine). The scenario and thresholds come from ../ephenv.json.
import http from 'k6/http';
import { check } from 'k6';

const config = JSON.parse(open('../ephenv.json'));
// Set by `nx run iris-classifier:benchmark`: the scenario with --rate/--duration applied, the merged
// thresholds, and the trend stats its thresholds and summary need.
const overrides = __ENV.EPHENV_OPTIONS ? JSON.parse(__ENV.EPHENV_OPTIONS) : {};
// Comma-separated example files; the default is the examples the generator wrote.
const exampleFiles = __ENV.EXAMPLE_FILES
  ? __ENV.EXAMPLE_FILES.split(',')
  : ['../schemas/examples/batch.json', '../schemas/examples/setosa.json', '../schemas/examples/versicolor.json', '../schemas/examples/virginica.json'];
const bodies = exampleFiles.map((file) => JSON.stringify(JSON.parse(open(file)).request));

export const options = {
  scenarios: { preview: Object.assign({}, config.load.scenario, overrides.scenario) },
  thresholds: overrides.thresholds || config.load.thresholds,
  summaryTrendStats: overrides.summaryTrendStats || ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)'],
};

const baseUrl = (__ENV.BASE_URL || '').replace(/\/+$/, '');
if (!baseUrl) throw new Error('BASE_URL is not set: use the URL `nx run iris-classifier:deploy-preview` printed');
const params = {
  headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${__ENV.TOKEN || ''}` },
  tags: { name: 'POST /invocations' },
};

export default function () {
  const res = http.post(`${baseUrl}/invocations`, bodies[__ITER % bodies.length], params);
  // The same checks as ephenv's embedded engine, so both engines' `checks` thresholds agree.
  check(res, {
    'status is 200': (r) => r.status === 200,
    'body is valid JSON': (r) => {
      try {
        JSON.parse(r.body);
        return true;
      } catch (e) {
        return false;
      }
    },
  });
}

// Under ephenv (EPHENV_SUMMARY set) the end-of-test data goes to that file and ephenv prints the
// summary and judges the thresholds; run by hand, the metrics are printed as JSON.
export function handleSummary(data) {
  if (!__ENV.EPHENV_SUMMARY) return { stdout: JSON.stringify(data.metrics, null, 2) };
  return { [__ENV.EPHENV_SUMMARY]: JSON.stringify(data) };
}

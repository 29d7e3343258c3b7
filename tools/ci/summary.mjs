// Sums the reports every test runner wrote (vitest JSON, pytest JUnit XML) into the last line CI
// prints: `ci: N passed, N failed`. A failing run with no failed test counted (a runner that
// crashed before reporting) counts as one failure, so a broken run can never read as green.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const [dir = 'dist/test-results', status = '0'] = process.argv.slice(2);
let passed = 0;
let failed = 0;

for (const file of existsSync(dir) ? readdirSync(dir).sort() : []) {
  const text = readFileSync(join(dir, file), 'utf8');
  if (file.endsWith('.json')) {
    const report = JSON.parse(text);
    passed += report.numPassedTests ?? 0;
    failed += (report.numFailedTests ?? 0) + (report.numRuntimeErrorTestSuites ?? 0);
  } else if (file.endsWith('.xml')) {
    for (const suite of text.matchAll(/<testsuite\b([^>]*)>/g)) {
      const attr = (name) => Number(new RegExp(`\\b${name}="(\\d+)"`).exec(suite[1])?.[1] ?? 0);
      const bad = attr('failures') + attr('errors');
      failed += bad;
      passed += attr('tests') - bad - attr('skipped');
    }
  }
}
if (Number(status) !== 0 && failed === 0) failed = 1;
console.log(`ci: ${passed} passed, ${failed} failed`);

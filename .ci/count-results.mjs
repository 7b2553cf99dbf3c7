// Sums vitest's JSON reports (one per package, written because SEPCONV_TEST_REPORT_DIR is
// set) into the line CI reads: `N passed, N failed, N skipped`. The arguments after the report
// folder and the test command's status name the checks that failed (typecheck, lint, format);
// each counts as one failure. Exits non-zero when a check failed, the test command failed, any
// test failed, a package with tests wrote no report, or nothing ran.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const [reportDir, testStatus, ...failedChecks] = process.argv.slice(2);
const root = new URL('..', import.meta.url).pathname;

function packagesWithTests() {
  const names = ['repo'];
  for (const group of ['packages', 'apps']) {
    let entries = [];
    try {
      entries = readdirSync(join(root, group));
    } catch {
      continue;
    }
    for (const name of entries) {
      try {
        const manifest = JSON.parse(readFileSync(join(root, group, name, 'package.json'), 'utf8'));
        if (manifest.scripts?.test) names.push(name);
      } catch {
        // not a package
      }
    }
  }
  return names;
}

let passed = 0;
let failed = 0;
let skipped = 0;
const reported = new Set();
for (const file of readdirSync(reportDir).filter((f) => f.endsWith('.json'))) {
  const report = JSON.parse(readFileSync(join(reportDir, file), 'utf8'));
  // `<package>.json`, or `<package>.<part>.json` for a package with several vitest projects.
  reported.add(file.split('.')[0]);
  passed += report.numPassedTests ?? 0;
  failed += report.numFailedTests ?? 0;
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  // A file that failed to load (syntax error, missing adapter in beforeAll…) has no tests.
  for (const suite of report.testResults ?? []) {
    if (suite.status === 'failed' && (suite.assertionResults ?? []).length === 0) {
      console.error(`ci: ${suite.name} failed before running any test: ${suite.message ?? ''}`);
      failed += 1;
    }
  }
}

const missing = packagesWithTests().filter((name) => !reported.has(name));
if (missing.length > 0) {
  console.error(`ci: no test report from: ${missing.join(', ')}`);
  failed += missing.length;
}
if (failedChecks.length > 0) {
  console.error(`ci: failed checks: ${failedChecks.join(', ')}`);
  failed += failedChecks.length;
}
if (Number(testStatus) !== 0 && failed === 0) {
  console.error(`ci: the test command exited with ${testStatus}`);
  failed += 1;
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed === 0 && passed > 0 && Number(testStatus) === 0 ? 0 : 1);

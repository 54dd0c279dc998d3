// Adds up the results of scripts/test-all.sh: static checks, vitest's JSON and Playwright's JSON.
// Prints a line per suite, then "N passed, N failed"; exits 1 when anything failed or a suite is missing.
import { existsSync, readFileSync } from 'node:fs';

let passed = 0;
let failed = 0;
const lines = [];
const checks = existsSync('test-results/checks.txt')
  ? readFileSync('test-results/checks.txt', 'utf8').trim().split('\n')
  : [];
for (const c of checks.filter(Boolean)) {
  const [state, name] = c.split(' ');
  if (state === 'pass') passed++;
  else failed++;
  lines.push(`check ${name}: ${state === 'pass' ? 'ok' : 'FAILED'}`);
}
function suite(name, file, count) {
  if (!existsSync(file)) {
    failed++;
    lines.push(`${name}: no results (${file} missing: the suite did not run)`);
    return;
  }
  const [p, f, s] = count(JSON.parse(readFileSync(file, 'utf8')));
  passed += p;
  failed += f;
  lines.push(`${name}: ${p} passed, ${f} failed${s ? `, ${s} skipped` : ''}`);
}
suite('vitest', 'test-results/vitest.json', (j) => [
  j.numPassedTests,
  // A file that failed to load has no failed test but makes the run unsuccessful: count it once.
  j.numFailedTests + (!j.success && j.numFailedTests === 0 ? 1 : 0),
  j.numPendingTests + j.numTodoTests,
]);
suite('playwright', 'test-results/e2e.json', (j) => [
  j.stats.expected,
  j.stats.unexpected + j.stats.flaky,
  j.stats.skipped,
]);
for (const l of lines) console.log(l);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);

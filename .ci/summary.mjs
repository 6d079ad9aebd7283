/* eslint-disable no-console -- a command-line report: printing is its job */
// Sums jest's JSON results of the CI test passes (see .ci/run) into one line:
//   node .ci/summary.mjs LABEL=FILE[:EXIT_CODE] ...
// prints one breakdown line per pass, then `tests: N passed, N failed[, N skipped]`, and exits 1
// when any pass failed: failed tests, suites that could not run, a missing or unreadable result
// file (jest crashed; that pass counts as 1 failed test), or a non-zero jest exit code.
import { readFileSync } from 'node:fs';

const passes = process.argv.slice(2).map((arg) => {
  const match = /^([^=]+)=(.+?)(?::(\d*))?$/.exec(arg);
  if (!match) throw new Error(`expected LABEL=FILE[:EXIT_CODE], got ${arg}`);
  return { label: match[1], file: match[2], exitCode: match[3] ? Number(match[3]) : undefined };
});
if (passes.length === 0) throw new Error('no test passes given');

const total = { passed: 0, failed: 0, skipped: 0 };
let ok = true;

for (const { label, file, exitCode } of passes) {
  let result;
  try {
    result = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const reason = error.code === 'ENOENT' ? 'no result file' : `unreadable result file (${error.message})`;
    console.log(
      `${label}: ${reason} (jest crashed or did not run; exit code ${exitCode ?? 'unknown'}): counted as 1 failed`,
    );
    total.failed += 1;
    ok = false;
    continue;
  }
  const count = (key) => (Number.isFinite(result[key]) ? result[key] : 0);
  const passed = count('numPassedTests');
  // A suite that fails to load (syntax error, failing beforeAll import) reports no failed tests.
  const brokenSuites = count('numRuntimeErrorTestSuites');
  const failed = count('numFailedTests') + brokenSuites;
  const skipped = count('numPendingTests') + count('numTodoTests');
  total.passed += passed;
  total.failed += failed;
  total.skipped += skipped;

  const notes = [];
  if (brokenSuites > 0) notes.push(`${brokenSuites} suite(s) failed to run, counted as failed`);
  if (result.success === false && failed === 0) notes.push('jest reported the run as failed');
  if (exitCode !== undefined && exitCode !== 0) notes.push(`jest exited with ${exitCode}`);
  if (failed > 0 || result.success === false || (exitCode !== undefined && exitCode !== 0)) ok = false;
  const suites = `${count('numPassedTestSuites')}/${count('numTotalTestSuites')} suites passed`;
  console.log(
    `${label}: ${passed} passed, ${failed} failed, ${skipped} skipped (${suites})${notes.length ? `; ${notes.join('; ')}` : ''}`,
  );
}

console.log(
  `tests: ${total.passed} passed, ${total.failed} failed${total.skipped > 0 ? `, ${total.skipped} skipped` : ''}`,
);
process.exit(ok ? 0 : 1);

import { randomInt } from 'node:crypto';
import fc from 'fast-check';
import { loadAccessCases } from '../access/access-case.js';
import { readJson } from '../helpers/http.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { type FuzzOperation, fuzzOperations, FuzzSession, MAX_ANSWER_MS } from './fuzz-session.js';
import { requestPlans, type RequestPlan } from './request-plan.js';
import { type OpenApiDocument, SchemaArbitraries } from './schema-arbitrary.js';

/**
 * Property-based fuzzing of the whole API: every operation `/docs-json` lists gets valid
 * requests and hostile ones (ids, query values, headers and bodies from its schemas, then
 * broken: wrong types, missing and extra fields, U+0000, lone surrogates, 5,000 levels of
 * nesting, thousands of keys, malformed JSON, wrong media types, oversized bodies) over real
 * HTTP. Any 5xx fails, so does a 4xx that is not an RFC 9457 problem, and an answer slower than
 * MAX_ANSWER_MS. The access-matrix request of each operation is also sent, and must answer as
 * its row says: proof that the fuzzer's callers and ids are real, not 401s and 404s throughout.
 *
 * Two runs: a fixed seed, the same on every machine, and a new random one, printed. Replay a
 * failure with FUZZ_SEED=<seed> (one operation: FUZZ_OPERATION='POST /v1/tasks', and its
 * FUZZ_PATH from the report to go straight to the counterexample); FUZZ_RUNS sets the requests
 * per operation. Workers are off (APP_ROLE=api): generated webhook tasks never leave the machine.
 */
const FIXED_SEED = 1_312_026;
const RUNS_PER_OPERATION = Number(process.env.FUZZ_RUNS ?? 25);
const replayed = process.env.FUZZ_SEED;
const SEEDS: [string, number][] = replayed
  ? [['replayed', Number(replayed)]]
  : [
      ['fixed', FIXED_SEED],
      ['random', randomInt(2 ** 31)],
    ];

/** Limits that would answer 429 or 409 to a fuzzer that signs in and creates objects by the hundred. */
const FUZZ_ENV = {
  APP_ROLE: 'api',
  AUTH_LOGIN_MAX_FAILURES_PER_ACCOUNT: '100000',
  AUTH_LOGIN_MAX_FAILURES_PER_ADDRESS: '100000',
  WEBHOOK_MAX_ENDPOINTS_PER_OWNER: '100000',
  // Sign-ups and logins by the hundred: the hash's cost is not what this test is about.
  AUTH_ARGON2_MEMORY_KIB: '1024',
  AUTH_ARGON2_TIME_COST: '1',
  // Load shedding answers 503 on a busy machine (test/pressure.e2e-spec.ts covers it), not on any input.
  PRESSURE_MAX_EVENT_LOOP_DELAY_MS: '0',
  PRESSURE_MAX_HEAP_USED: '0',
};

describe('Fuzzing every operation of /docs-json (e2e)', () => {
  let api: TestApp;
  let operations: FuzzOperation[];
  let schemas: SchemaArbitraries;
  let session: FuzzSession;

  beforeAll(async () => {
    api = await createTestApp({ env: FUZZ_ENV });
    const document = await readJson<OpenApiDocument>(await fetch(`${api.url}/docs-json`), 200);
    const rows = (await loadAccessCases()).flatMap(({ cases }) => cases);
    operations = fuzzOperations(document, rows).filter(
      ({ key }) => process.env.FUZZ_OPERATION === undefined || key === process.env.FUZZ_OPERATION,
    );
    schemas = new SchemaArbitraries(document);
    session = new FuzzSession(api);
  });
  afterAll(() => api?.close());

  it.each(SEEDS)(
    `%s seed %d: no 5xx, every 4xx a problem, every answer within ${MAX_ANSWER_MS} ms`,
    async (_, seed) => {
      console.warn(`API fuzzer seed ${seed}; replay: FUZZ_SEED=${seed} npm test -- test/fuzz`);
      expect(operations.length).toBeGreaterThan(0);
      const failures: string[] = [];
      for (const operation of operations) {
        const plans = requestPlans(operation.operation, schemas, operation.usual);
        const details = await fc.check(
          fc.asyncProperty(plans, (plan) => session.run(operation, plan)),
          {
            seed,
            path: process.env.FUZZ_PATH,
            numRuns: RUNS_PER_OPERATION,
            examples: [[{ row: operation.usual.row } satisfies RequestPlan]],
          },
        );
        if (details.failed)
          failures.push(
            `${operation.key} (replay: FUZZ_SEED=${seed} FUZZ_OPERATION='${operation.key}' ` +
              `FUZZ_PATH='${details.counterexamplePath}' npm test -- test/fuzz)\n${fc.defaultReportMessage(details)}\n` +
              String(details.errorInstance),
          );
      }
      if (failures.length > 0) throw new Error(`${failures.length} operation(s) failed:\n\n${failures.join('\n\n')}`);
    },
    300_000,
  );
});

import { expectProblem } from './helpers/problem.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';
import { waitFor } from './helpers/wait-for.js';

interface Readiness {
  checks?: Record<
    string,
    { status: string; eventLoopDelayMs?: number | null; heapUsedBytes?: number; rssBytes?: number }
  >;
}

/** Issue 13: past a configured limit, new requests get 503 + Retry-After; the probes still answer. */
describe('load shedding under pressure (e2e)', () => {
  describe('past a limit (a heap limit of 1 byte: exceeded from the first sample on)', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ env: { PRESSURE_MAX_HEAP_USED: '1', PRESSURE_RETRY_AFTER_S: '7' } });
    });
    afterAll(() => t?.close());

    // under-pressure samples once a second: wait for the first sample, not for a duration.
    const shed = () =>
      waitFor(
        'a request refused under pressure',
        () => fetch(`${t.url}/v1/info`),
        (res) => res.status === 503,
      );

    it('answers new requests with a 503 problem carrying Retry-After and the pipeline headers', async () => {
      const res = await shed();
      const problem = await expectProblem(res, 503, 'HTTP.OVERLOADED');
      expect(problem.instance).toBe('/v1/info');
      expect(res.headers.get('retry-after')).toBe('7');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('cache-control')).toBe('no-store');
    });

    it('refuses requests for unknown routes too', async () => {
      await shed();
      await expectProblem(await fetch(`${t.url}/v1/nowhere`), 503, 'HTTP.OVERLOADED');
    });

    it('keeps answering the liveness probe', async () => {
      await shed();
      const res = await fetch(`${t.url}/health/live`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: 'ok' });
    });

    it('answers the readiness probe with a 503 that names the pressure and its figures', async () => {
      await shed();
      const res = await fetch(`${t.url}/health/ready`);
      const problem = (await expectProblem(res, 503, 'HEALTH.NOT_READY')) as Readiness & { detail: string };
      expect(problem.detail).toBe('Not ready: pressure');
      expect(problem.checks?.pressure).toMatchObject({
        status: 'down',
        heapUsedBytes: expect.any(Number),
        rssBytes: expect.any(Number),
      });
      // Null only before under-pressure could measure the delay.
      expect(problem.checks?.pressure).toHaveProperty('eventLoopDelayMs');
      expect(problem.checks?.database).toMatchObject({ status: 'up' });
    });
  });

  describe('with the default limits', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp();
    });
    afterAll(() => t?.close());

    it('serves requests, and readiness reports the load as up', async () => {
      expect((await fetch(`${t.url}/v1/info`)).status).toBe(200);
      const res = await fetch(`${t.url}/health/ready`);
      expect(res.status).toBe(200);
      const body = (await res.json()) as Readiness;
      expect(body.checks?.pressure).toMatchObject({ status: 'up', heapUsedBytes: expect.any(Number) });
    });
  });
});

import { setTimeout as sleep } from 'node:timers/promises';
import { BullModule, getQueueToken, Processor, WorkerHost } from '@nestjs/bullmq';
import { Injectable, Module } from '@nestjs/common';
import type { Job, JobState, Queue } from 'bullmq';
import { FETCH_RETRY_DELAY_MS } from '../../src/infrastructure/queue/managed-worker.js';
import { QUEUE_BACKEND } from '../../src/infrastructure/queue/queue-backend.module.js';
import type { QueueBackend, QueueBackendKind } from '../../src/infrastructure/queue/queue-backend.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { waitFor } from '../helpers/wait-for.js';

export const CONTRACT_QUEUE = 'contract';

/** What the processor saw: one entry per attempt, in order, per job id. */
@Injectable()
export class AttemptLog {
  readonly attempts = new Map<string, { at: number; data: unknown }[]>();

  record(job: Job): void {
    const list = this.attempts.get(job.id!) ?? [];
    list.push({ at: Date.now(), data: job.data });
    this.attempts.set(job.id!, list);
  }

  of(job: Job): { at: number; data: unknown }[] {
    return this.attempts.get(job.id!) ?? [];
  }
}

@Processor(CONTRACT_QUEUE)
export class ContractProcessor extends WorkerHost {
  constructor(private readonly log: AttemptLog) {
    super();
  }

  async process(job: Job): Promise<unknown> {
    this.log.record(job);
    if (job.name === 'echo') return job.data;
    if (job.name === 'fail') throw new Error(`attempt ${job.attemptsMade + 1} failed`);
    throw new Error(`no handler for job ${job.name}`);
  }
}

/** A feature module the way the application's own would be: one queue, one processor. */
@Module({
  imports: [BullModule.registerQueue({ name: CONTRACT_QUEUE })],
  providers: [AttemptLog, ContractProcessor],
})
export class ContractQueueModule {}

export interface BackendUnderTest {
  kind: QueueBackendKind;
  /**
   * Environment for an app with its own queue namespace (the test app also gets its own
   * database), so apps and test files never take each other's jobs.
   */
  isolatedEnv(): Record<string, string | undefined>;
  /**
   * PostgreSQL stores job data as jsonb, which cannot hold U+0000: the enqueue fails there
   * instead of corrupting the string. Redis stores it as is.
   */
  nulInStrings: 'round-trips' | 'rejected-at-enqueue';
  /** Ids of the jobs the backend's own storage holds for a queue, read around the app. */
  storedJobIds(app: TestApp, env: Record<string, string | undefined>, queue: string): Promise<string[]>;
}

/** A job crosses a real backend and worker: allow for a busy machine. */
const QUEUE_WAIT = { timeoutMs: 30_000 };

const stateOf = async (queue: Queue, id: string): Promise<JobState | 'unknown'> =>
  (await queue.getJob(id))?.getState() ?? 'unknown';

const settled = (queue: Queue, job: Job) =>
  waitFor(
    `job ${job.id} (${job.name})`,
    () => stateOf(queue, job.id!),
    (state) => state === 'completed' || state === 'failed',
    QUEUE_WAIT,
  );

const startApp = (env: Record<string, string | undefined>, databaseUrl?: string) =>
  createTestApp({ env, databaseUrl, imports: [ContractQueueModule] });

/**
 * What every queue backend must do for the application, through its real wiring: backend
 * chosen by config, workers started by `WorkerLifecycle` according to APP_ROLE, results,
 * retries with exponential backoff, delays and job data.
 */
export function queueBackendContract(backend: BackendUnderTest): void {
  describe(`with APP_ROLE=all on ${backend.kind}`, () => {
    const env = { ...backend.isolatedEnv(), APP_ROLE: 'all' };
    let t: TestApp;
    let queue: Queue;
    let log: AttemptLog;

    beforeAll(async () => {
      t = await startApp(env);
      queue = t.app.get<Queue>(getQueueToken(CONTRACT_QUEUE));
      log = t.app.get(AttemptLog);
    });
    afterAll(() => t?.close());

    it(`selects the ${backend.kind} backend from config and stores jobs there`, async () => {
      expect(t.app.get<QueueBackend>(QUEUE_BACKEND).kind).toBe(backend.kind);
      const job = await queue.add('echo', { probe: true });
      await settled(queue, job);
      expect(await backend.storedJobIds(t, env, CONTRACT_QUEUE)).toContain(job.id);
    });

    it('starts the workers of registered processors', async () => {
      expect(t.app.get(ContractProcessor).worker.isRunning()).toBe(true);
      // Log lines reach the capture stream a tick or two after they are written. Only the
      // first app built in a test file logs to its own capture (nestjs-pino keeps one root
      // logger per loaded module, and jest loads it once per file), so this stays here.
      await waitFor(
        'the worker log line',
        async () => t.logs.lines.map((line) => String(line.msg)),
        (messages) => messages.some((msg) => msg.startsWith('Processing queues: ') && msg.includes(CONTRACT_QUEUE)),
        QUEUE_WAIT,
      );
    });

    it('fetches again at most FETCH_RETRY_DELAY_MS (1 s) after a failed fetch, so work resumes soon after an outage', () => {
      // BullMQ's own default (runRetryDelay, 15 s) left a worker idle for 15.8 s after PostgreSQL came back.
      expect(FETCH_RETRY_DELAY_MS).toBeLessThanOrEqual(1000);
      expect(t.app.get(ContractProcessor).worker.opts.runRetryDelay).toBe(FETCH_RETRY_DELAY_MS);
    });

    it('reports the queue as ready', async () => {
      const res = await fetch(`${t.url}/health/ready`);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { checks: Record<string, Record<string, unknown>> };
      expect(body.checks.queue).toEqual({ status: 'up', backend: backend.kind });
      // The shared Redis client is checked only where Redis is configured. The run's Redis keeps
      // nothing on disk, and readiness says what that costs without failing.
      expect(body.checks.redis).toEqual(
        backend.kind === 'redis'
          ? { status: 'up', persistence: 'none', warning: expect.stringContaining('restart loses every queued job') }
          : undefined,
      );
    });

    it('processes an enqueued job and keeps its return value', async () => {
      const job = await queue.add('echo', { answer: 42 });
      expect(await settled(queue, job)).toBe('completed');
      const stored = await queue.getJob(job.id!);
      expect(stored?.returnvalue).toEqual({ answer: 42 });
      expect(log.of(job)).toHaveLength(1);
    });

    it('retries a failing job with exponential backoff, then fails it after the configured attempts', async () => {
      const attempts = 4;
      const delay = 200;
      const job = await queue.add('fail', {}, { attempts, backoff: { type: 'exponential', delay } });

      expect(await settled(queue, job)).toBe('failed');
      const stored = await queue.getJob(job.id!);
      expect(stored?.attemptsMade).toBe(attempts);
      expect(stored?.failedReason).toBe(`attempt ${attempts} failed`);

      const times = log.of(job).map((attempt) => attempt.at);
      expect(times).toHaveLength(attempts);
      // Retry n waits at least delay * 2^(n-1): 200, 400, 800 ms.
      for (let retry = 1; retry < attempts; retry++) {
        expect(times[retry] - times[retry - 1]).toBeGreaterThanOrEqual(delay * 2 ** (retry - 1));
      }
    });

    it('does not process a delayed job before its delay', async () => {
      const delay = 1500;
      const enqueuedAt = Date.now();
      const job = await queue.add('echo', { delayed: true }, { delay });
      const early = await stateOf(queue, job.id!);
      // Only meaningful while the delay is still running; a stalled machine may get here late.
      if (Date.now() - enqueuedAt < delay) expect(early).toBe('delayed');

      expect(await settled(queue, job)).toBe('completed');
      const [attempt] = log.of(job);
      expect(attempt.at - enqueuedAt).toBeGreaterThanOrEqual(delay);
    });

    it('round-trips job data: nested objects, unicode, numbers, nulls, arrays', async () => {
      const data = {
        text: 'zażółć gęślą jaźń · 日本語 · emoji 🚀👩🏽‍💻 · RTL שלום',
        escapes: 'quote " backslash \\ newline \n tab \t',
        numbers: {
          int: 42,
          negative: -7,
          float: 0.1 + 0.2,
          tiny: 1e-9,
          huge: 1.7976931348623157e308,
          maxSafe: Number.MAX_SAFE_INTEGER,
          zero: 0,
        },
        nulls: { value: null, inArray: [null, 1, null] },
        arrays: [[1, [2, [3]]], [], ['a', { b: ['c'] }]],
        nested: { a: { b: { c: { d: { e: 'deep' } } } } },
        booleans: [true, false],
        empty: { object: {}, string: '' },
      };
      const job = await queue.add('echo', data);

      expect(await settled(queue, job)).toBe('completed');
      expect(log.of(job)[0].data).toEqual(data);
      expect((await queue.getJob(job.id!))?.returnvalue).toEqual(data);
    });

    it(`${backend.nulInStrings === 'round-trips' ? 'round-trips' : 'rejects at enqueue'} a string containing U+0000`, async () => {
      const data = { text: 'before\u0000after' };
      if (backend.nulInStrings === 'rejected-at-enqueue') {
        await expect(queue.add('echo', data)).rejects.toThrow(/unsupported Unicode escape sequence/);
        return;
      }
      const job = await queue.add('echo', data);
      expect(await settled(queue, job)).toBe('completed');
      expect((await queue.getJob(job.id!))?.returnvalue).toEqual(data);
    });
  });

  describe(`with APP_ROLE=api on ${backend.kind}`, () => {
    it('registers the processor but processes nothing; a worker process then takes the job', async () => {
      const env = backend.isolatedEnv();
      const api = await startApp({ ...env, APP_ROLE: 'api' });
      let jobId: string;
      try {
        // Registered: @nestjs/bullmq built its worker. Not started: WorkerLifecycle left it idle.
        const host = api.app.get(ContractProcessor);
        expect(host.worker.name).toBe(CONTRACT_QUEUE);
        expect(host.worker.isRunning()).toBe(false);

        const queue = api.app.get<Queue>(getQueueToken(CONTRACT_QUEUE));
        const job = await queue.add('echo', { from: 'api' });
        jobId = job.id!;
        // A running worker takes a waiting job within milliseconds on either backend.
        await sleep(1500);
        expect(await stateOf(queue, jobId)).toBe('waiting');
        expect(api.app.get(AttemptLog).attempts.size).toBe(0);
      } finally {
        await api.close();
      }

      // Proves the job was processable all along: only the role kept it waiting.
      const worker = await startApp({ ...env, APP_ROLE: 'worker' }, api.databaseUrl);
      try {
        const queue = worker.app.get<Queue>(getQueueToken(CONTRACT_QUEUE));
        const job = (await queue.getJob(jobId))!;
        expect(await settled(queue, job)).toBe('completed');
        expect(worker.app.get(AttemptLog).attempts.get(jobId)).toEqual([
          { at: expect.any(Number), data: { from: 'api' } },
        ]);
      } finally {
        await worker.close();
      }
    });
  });
}

import { TerminusModule, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Test } from '@nestjs/testing';
import { ProblemException } from '../../infrastructure/http/problem.exception.js';
import { QueueHealthIndicator } from '../../infrastructure/queue/queue.health.js';
import { RedisHealthIndicator } from '../../infrastructure/redis/redis.health.js';
import { ResilienceHealthIndicator } from '../../infrastructure/resilience/resilience.health.js';
import { ReadinessService } from './readiness.service.js';

type Status = 'up' | 'down';

/** ReadinessService with its indicators replaced by fakes answering the given statuses. */
async function readiness(redis: { configured: boolean; status?: Status }) {
  const redisChecks: string[] = [];
  const moduleRef = await Test.createTestingModule({
    imports: [TerminusModule.forRoot({ logger: false })],
    providers: [
      ReadinessService,
      {
        provide: TypeOrmHealthIndicator,
        useValue: { pingCheck: async (key: string) => ({ [key]: { status: 'up' } }) },
      },
      {
        provide: QueueHealthIndicator,
        useValue: { check: async (key: string) => ({ [key]: { status: 'up', backend: 'redis' } }) },
      },
      {
        provide: ResilienceHealthIndicator,
        useValue: { check: (key: string) => ({ [key]: { status: 'up', open: {} } }) },
      },
      {
        provide: RedisHealthIndicator,
        useValue: {
          configured: redis.configured,
          check: async (key: string) => {
            redisChecks.push(key);
            return {
              [key]: { status: redis.status, ...(redis.status === 'down' && { message: 'Connection is closed.' }) },
            };
          },
        },
      },
    ],
  }).compile();
  return { service: moduleRef.get(ReadinessService), redisChecks };
}

describe('ReadinessService', () => {
  it('checks the database, the queue and the circuits, and not Redis when it is not configured', async () => {
    const { service, redisChecks } = await readiness({ configured: false });

    const result = await service.check();
    expect(result.details).toEqual({
      database: { status: 'up' },
      queue: { status: 'up', backend: 'redis' },
      circuits: { status: 'up', open: {} },
    });
    expect(redisChecks).toEqual([]);
  });

  it('adds a redis check when Redis is configured', async () => {
    const { service } = await readiness({ configured: true, status: 'up' });

    expect((await service.check()).details.redis).toEqual({ status: 'up' });
  });

  it('answers 503 naming redis when the configured Redis is down', async () => {
    const { service } = await readiness({ configured: true, status: 'down' });

    const error = await service.check().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProblemException);
    const problem = error as ProblemException;
    expect(problem.getStatus()).toBe(503);
    expect(problem.code).toBe('HEALTH.NOT_READY');
    expect(problem.message).toBe('Not ready: redis');
    expect(problem.extensions).toMatchObject({
      checks: { database: { status: 'up' }, redis: { status: 'down', message: 'Connection is closed.' } },
    });
  });

  it('checkWithoutDetails fails with a 503 that names no dependency and carries no checks', async () => {
    const { service } = await readiness({ configured: true, status: 'down' });

    const error = await service.checkWithoutDetails().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProblemException);
    const problem = error as ProblemException;
    expect({ status: problem.getStatus(), code: problem.code, detail: problem.message }).toEqual({
      status: 503,
      code: 'HEALTH.NOT_READY',
      detail: 'Not ready',
    });
    expect(problem.extensions).toEqual({});
  });

  it('checkWithoutDetails resolves when every dependency answered', async () => {
    const { service } = await readiness({ configured: false });
    await expect(service.checkWithoutDetails()).resolves.toBeUndefined();
  });
});

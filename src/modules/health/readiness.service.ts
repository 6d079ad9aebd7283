import { HttpStatus, Injectable, Logger } from '@nestjs/common';
import { HealthCheckService, type HealthCheckResult, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { QueueHealthIndicator } from '../../infrastructure/queue/queue.health.js';
import { RedisHealthIndicator } from '../../infrastructure/redis/redis.health.js';
import { ResilienceHealthIndicator } from '../../infrastructure/resilience/resilience.health.js';
import { ProblemException } from '../../infrastructure/http/problem.exception.js';

@Injectable()
export class ReadinessService {
  private readonly logger = new Logger(ReadinessService.name);

  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly queue: QueueHealthIndicator,
    private readonly redis: RedisHealthIndicator,
    private readonly circuits: ResilienceHealthIndicator,
  ) {}

  /**
   * Every dependency the process needs to serve traffic; throws a 503 problem listing the
   * failing ones. Open circuits of outbound targets show as `degraded` but never fail it.
   */
  async check(): Promise<HealthCheckResult> {
    try {
      return await this.health.check([
        () => this.database.pingCheck('database', { timeout: 3000 }),
        () => this.queue.check('queue'),
        ...(this.redis.configured ? [() => this.redis.check('redis')] : []),
        () => this.circuits.check('circuits'),
      ]);
    } catch (error) {
      const result = (error as { getResponse?: () => HealthCheckResult }).getResponse?.();
      if (!result?.details) throw error;
      const failing = Object.keys(result.error ?? {});
      throw new ProblemException(
        HttpStatus.SERVICE_UNAVAILABLE,
        'HEALTH.NOT_READY',
        `Not ready: ${failing.join(', ')}`,
        {
          checks: result.details,
        },
      );
    }
  }

  /** The same check, failing with a 503 that names nothing: neither the dependencies nor their state. */
  async checkWithoutDetails(): Promise<void> {
    try {
      await this.check();
    } catch (error) {
      if (!(error instanceof ProblemException)) throw error;
      // The operators still learn what failed, from the log rather than from the probe's caller.
      this.logger.warn({ checks: error.extensions.checks }, error.message);
      throw new ProblemException(HttpStatus.SERVICE_UNAVAILABLE, 'HEALTH.NOT_READY', 'Not ready');
    }
  }
}

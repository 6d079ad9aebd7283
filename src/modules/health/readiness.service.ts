import { HttpStatus, Injectable, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import {
  HealthCheckService,
  type HealthCheckResult,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import type { FastifyInstance } from 'fastify';
import { type PressureState, pressureOf } from '../../infrastructure/http/pressure.js';
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
    private readonly indicators: HealthIndicatorService,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  /**
   * Every dependency the process needs to serve traffic, and the load on the process (an
   * HTTP process that sheds load is not ready for more); throws a 503 problem listing the
   * failing ones. Open circuits of outbound targets show as `degraded` but never fail it.
   */
  async check(): Promise<HealthCheckResult> {
    // No HTTP adapter in a worker process: nothing is served there, so nothing to report.
    const pressure = pressureOf(this.adapterHost.httpAdapter?.getInstance<FastifyInstance>());
    try {
      return await this.health.check([
        () => this.database.pingCheck('database', { timeout: 3000 }),
        () => this.queue.check('queue'),
        ...(this.redis.configured ? [() => this.redis.check('redis')] : []),
        () => this.circuits.check('circuits'),
        ...(pressure ? [() => this.pressureCheck(pressure)] : []),
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

  private pressureCheck({ underPressure, ...state }: PressureState) {
    const indicator = this.indicators.check('pressure');
    return underPressure ? indicator.down(state) : indicator.up(state);
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

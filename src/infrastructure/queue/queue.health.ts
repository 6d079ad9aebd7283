import { Inject, Injectable } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { Queue } from 'bullmq';
import { QUEUE_BACKEND } from './queue-backend.module.js';
import type { QueueBackend } from './queue-backend.js';
import { withTimeout } from '../../shared/with-timeout.js';

export const HEALTH_PROBE_QUEUE = 'health-probe';

/** Ready when the queue backend answers a read within the timeout. */
@Injectable()
export class QueueHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    @InjectQueue(HEALTH_PROBE_QUEUE) private readonly probe: Queue,
    @Inject(QUEUE_BACKEND) private readonly backend: QueueBackend,
  ) {}

  async check(key = 'queue', timeoutMs = 3000) {
    const indicator = this.health.check(key);
    try {
      await withTimeout(this.probe.getJobCounts('waiting'), timeoutMs);
      return indicator.up({ backend: this.backend.kind });
    } catch (error) {
      return indicator.down({ backend: this.backend.kind, message: (error as Error).message });
    }
  }
}

import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { ResilienceService } from './resilience.service.js';

/**
 * Reports open circuits as `degraded` without failing readiness: an unreachable webhook
 * target is a fact about that target, and taking this instance out of service would not help.
 */
@Injectable()
export class ResilienceHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    private readonly resilience: ResilienceService,
  ) {}

  check(key = 'circuits') {
    const open = this.resilience.openCircuits();
    const degraded = Object.keys(open).length > 0;
    return this.health.check(key).up({ ...(degraded && { degraded: true }), open });
  }
}

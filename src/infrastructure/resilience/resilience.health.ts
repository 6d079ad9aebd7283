import { Injectable, Logger } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { ResilienceService } from './resilience.service.js';

/**
 * Reports open circuits as `degraded` without failing readiness: an unreachable webhook
 * target is a fact about that target, and taking this instance out of service would not help.
 * The circuits are the deployment's (the shared store), not only this process's.
 */
@Injectable()
export class ResilienceHealthIndicator {
  private readonly logger = new Logger('Resilience');

  constructor(
    private readonly health: HealthIndicatorService,
    private readonly resilience: ResilienceService,
  ) {}

  async check(key = 'circuits') {
    let open: Record<string, string>;
    try {
      open = await this.resilience.openCircuits();
    } catch (error) {
      // The database or Redis has its own readiness check; this one only reports circuits.
      this.logger.warn({ err: error }, 'Could not read the circuits');
      return this.health.check(key).up({ degraded: true, open: {}, unavailable: true });
    }
    const degraded = Object.keys(open).length > 0;
    return this.health.check(key).up({ ...(degraded && { degraded: true }), open });
  }
}

import { Global, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { ResilienceHealthIndicator } from './resilience.health.js';
import { ResilienceService } from './resilience.service.js';

/** Timeouts, circuit breakers and retry delays for outbound calls, configured from RETRY_*, OUTBOUND_* and CIRCUIT_BREAKER_*. */
@Global()
@Module({
  imports: [TerminusModule],
  providers: [ResilienceService, ResilienceHealthIndicator],
  exports: [ResilienceService, ResilienceHealthIndicator],
})
export class ResilienceModule {}

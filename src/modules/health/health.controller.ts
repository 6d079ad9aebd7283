import { Controller, Get, Inject, VERSION_NEUTRAL } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { Public, RequireRole } from '../../infrastructure/auth/access-policy.js';
import { type ExposureConfig, exposureConfig } from '../../infrastructure/config/exposure.config.js';
import { ProblemDetails } from '../../infrastructure/http/problem-details.js';
import { LivenessResponse, ReadinessResponse } from './health.response.dto.js';
import { ReadinessService } from './readiness.service.js';

/** Probes for orchestrators: version-neutral, never throttled, not logged per request. */
@ApiTags('health')
@Public()
@SkipThrottle()
@Controller({ path: 'health', version: VERSION_NEUTRAL })
export class HealthController {
  constructor(
    private readonly readiness: ReadinessService,
    @Inject(exposureConfig.KEY) private readonly exposure: ExposureConfig,
  ) {}

  @Get('live')
  @ApiOkResponse({ type: LivenessResponse, description: 'The process is up and serving HTTP' })
  live(): LivenessResponse {
    return { status: 'ok' };
  }

  /** Public, for orchestrators; which dependencies there are is for admins when HEALTH_DETAILS_ACCESS=admin. */
  @Get('ready')
  @ApiOkResponse({
    type: ReadinessResponse,
    description: 'Every dependency answered; `checks` only when HEALTH_DETAILS_ACCESS=public',
  })
  @ApiServiceUnavailableResponse({
    type: ProblemDetails,
    description: 'At least one dependency failed; `checks` has the details when HEALTH_DETAILS_ACCESS=public',
  })
  async ready(): Promise<ReadinessResponse> {
    if (this.exposure.healthDetails === 'admin') {
      await this.readiness.checkWithoutDetails();
      return { status: 'ok' };
    }
    return this.details();
  }

  /** The readiness check with every dependency's state, whatever HEALTH_DETAILS_ACCESS says. */
  @Get('details')
  @RequireRole('admin')
  @ApiOkResponse({ type: ReadinessResponse, description: 'Every dependency answered; `checks` has each state' })
  @ApiServiceUnavailableResponse({ type: ProblemDetails, description: 'At least one dependency failed; see `checks`' })
  async details(): Promise<ReadinessResponse> {
    const result = await this.readiness.check();
    return { status: 'ok', checks: result.details };
  }
}

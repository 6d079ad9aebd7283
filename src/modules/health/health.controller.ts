import { Controller, Get, VERSION_NEUTRAL } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { ProblemDetails } from '../../infrastructure/http/problem-details.js';
import { LivenessResponse, ReadinessResponse } from './health.response.dto.js';
import { ReadinessService } from './readiness.service.js';
import { Public } from '../../infrastructure/auth/access-policy.js';

/** Probes for orchestrators: version-neutral, never throttled, not logged per request. */
@ApiTags('health')
@Public()
@SkipThrottle()
@Controller({ path: 'health', version: VERSION_NEUTRAL })
export class HealthController {
  constructor(private readonly readiness: ReadinessService) {}

  @Get('live')
  @ApiOkResponse({ type: LivenessResponse, description: 'The process is up and serving HTTP' })
  live(): LivenessResponse {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOkResponse({ type: ReadinessResponse, description: 'Every dependency answered' })
  @ApiServiceUnavailableResponse({
    type: ProblemDetails,
    description: 'At least one dependency failed; `checks` has the details',
  })
  async ready(): Promise<ReadinessResponse> {
    const result = await this.readiness.check();
    return { status: 'ok', checks: result.details };
  }
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class LivenessResponse {
  @ApiProperty({ example: 'ok' })
  status: 'ok';
}

export class ReadinessResponse {
  @ApiProperty({ example: 'ok' })
  status: 'ok';

  @ApiPropertyOptional({
    description: 'One entry per dependency; left out of /health/ready when HEALTH_DETAILS_ACCESS=admin',
    example: { database: { status: 'up' }, queue: { status: 'up', backend: 'postgres' } },
  })
  checks?: Record<string, { status: string; [detail: string]: unknown }>;
}

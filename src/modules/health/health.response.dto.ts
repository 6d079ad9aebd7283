import { ApiProperty } from '@nestjs/swagger';

export class LivenessResponse {
  @ApiProperty({ example: 'ok' })
  status: 'ok';
}

export class ReadinessResponse {
  @ApiProperty({ example: 'ok' })
  status: 'ok';

  @ApiProperty({
    description: 'One entry per dependency',
    example: { database: { status: 'up' }, queue: { status: 'up', backend: 'postgres' } },
  })
  checks: Record<string, { status: string; [detail: string]: unknown }>;
}

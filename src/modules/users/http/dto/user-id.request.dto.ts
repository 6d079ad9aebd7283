import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';

export class UserIdParams {
  @ApiProperty({ format: 'uuid', example: '01936f5e-8a2b-7c3d-9e4f-a5b6c7d8e9f0' })
  @IsUUID('all', { message: 'id must be a UUID' })
  id: string;
}

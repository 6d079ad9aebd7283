import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { PageRequest } from '../../../../infrastructure/http/pagination.js';
import { ListTasksQuery } from '../../application/queries/list-tasks/list-tasks.query.js';
import { TASK_STATUSES, type TaskStatus } from '../../domain/task.js';

export class ListTasksRequest extends PageRequest {
  @ApiPropertyOptional({ enum: TASK_STATUSES })
  @IsOptional()
  @IsIn(TASK_STATUSES, { message: `status must be one of: ${TASK_STATUSES.join(', ')}` })
  status?: TaskStatus;

  @ApiPropertyOptional({ example: 'webhooks.deliver' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  type?: string;

  toQuery(): ListTasksQuery {
    return new ListTasksQuery(this.limit, this.cursor, this.status, this.type);
  }
}

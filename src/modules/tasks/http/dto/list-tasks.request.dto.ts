import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { PageRequest } from '../../../../infrastructure/http/pagination.js';
import { ListTasksQuery } from '../../application/queries/list-tasks/list-tasks.query.js';
import { TASK_STATUSES, type TaskActor, type TaskStatus } from '../../domain/task.js';

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

  @ApiPropertyOptional({
    format: 'uuid',
    description:
      "Admins: only this user's tasks. Others may name only themselves (400 otherwise): they always see only their own tasks",
  })
  @IsOptional()
  @IsUUID('all', { message: 'ownerId must be a UUID' })
  ownerId?: string;

  toQuery(reader: TaskActor): ListTasksQuery {
    return new ListTasksQuery(reader, this.limit, this.cursor, this.status, this.type, this.ownerId);
  }
}

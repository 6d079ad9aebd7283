import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Task } from '../../../domain/task.js';
import { TaskRepository } from '../../../domain/task.repository.js';
import { GetTaskQuery } from './get-task.query.js';

@QueryHandler(GetTaskQuery)
export class GetTaskHandler implements IQueryHandler<GetTaskQuery> {
  constructor(private readonly tasks: TaskRepository) {}

  execute(query: GetTaskQuery): Promise<Task> {
    return this.tasks.getById(query.taskId);
  }
}

import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { type Task, canReach } from '../../../domain/task.js';
import { TaskNotFoundError } from '../../../domain/task.errors.js';
import { TaskRepository } from '../../../domain/task.repository.js';
import { GetTaskQuery } from './get-task.query.js';

@QueryHandler(GetTaskQuery)
export class GetTaskHandler implements IQueryHandler<GetTaskQuery> {
  constructor(private readonly tasks: TaskRepository) {}

  async execute({ taskId, reader }: GetTaskQuery): Promise<Task> {
    const task = await this.tasks.getById(taskId);
    if (!canReach(reader, task)) throw new TaskNotFoundError(taskId);
    return task;
  }
}

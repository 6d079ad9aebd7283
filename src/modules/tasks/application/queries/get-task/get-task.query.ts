import { Query } from '@nestjs/cqrs';
import type { Task } from '../../../domain/task.js';

export class GetTaskQuery extends Query<Task> {
  constructor(readonly taskId: string) {
    super();
  }
}

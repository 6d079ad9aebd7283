import { Query } from '@nestjs/cqrs';
import { RequiresHandler } from '../../../../../infrastructure/wiring/messages.js';
import type { Task } from '../../../domain/task.js';

@RequiresHandler()
export class GetTaskQuery extends Query<Task> {
  constructor(readonly taskId: string) {
    super();
  }
}

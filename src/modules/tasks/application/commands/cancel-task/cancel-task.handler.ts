import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type Task, canReach } from '../../../domain/task.js';
import { TaskAlreadyFinishedError, TaskNotFoundError } from '../../../domain/task.errors.js';
import { TaskRepository } from '../../../domain/task.repository.js';
import { TaskQueue } from '../../task-queue.js';
import { CancelTaskCommand } from './cancel-task.command.js';

/**
 * Compare-and-set against the worker: if the worker starts the task between our read and
 * our write, the write misses and we read again, so the cancel lands either as
 * "never runs" or as "stop running", never in between. The worker learns of a cancel
 * request by polling (TASK_CANCEL_POLL_MS), so it works whichever process runs the task.
 */
@CommandHandler(CancelTaskCommand)
export class CancelTaskHandler implements ICommandHandler<CancelTaskCommand> {
  constructor(
    private readonly tasks: TaskRepository,
    private readonly queue: TaskQueue,
  ) {}

  async execute({ taskId, canceller }: CancelTaskCommand): Promise<Task> {
    for (;;) {
      const task = await this.tasks.getById(taskId);
      // The owner never changes, so one check holds for every round.
      if (!canReach(canceller, task)) throw new TaskNotFoundError(taskId);
      if (task.status === 'cancelled') return task;
      if (task.status === 'succeeded' || task.status === 'failed')
        throw new TaskAlreadyFinishedError(taskId, task.status);

      if (task.status === 'queued') {
        const cancelled = await this.tasks.cancel(taskId, ['queued']);
        if (!cancelled) continue;
        await this.queue.remove(taskId);
        return cancelled;
      }
      const stopping = await this.tasks.requestCancel(taskId);
      if (stopping) return stopping;
    }
  }
}

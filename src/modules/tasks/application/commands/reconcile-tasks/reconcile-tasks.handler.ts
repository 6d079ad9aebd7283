import { Logger } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { TaskRepository } from '../../../domain/task.repository.js';
import { TaskQueue } from '../../task-queue.js';
import { ReconcileTasksCommand, type ReconcileReport } from './reconcile-tasks.command.js';

/**
 * How a row and its job come to disagree: the process dies between storing a task and
 * queueing it, queueing fails (backend down), or a job is lost with its worker (for example
 * a stalled job that BullMQ gave up on). The row is the truth, so the repair is always
 * "queue it again" (handlers are safe to run twice), except for a task that already used
 * its last attempt, which fails as `TASKS.ABANDONED` instead of looping forever.
 *
 * Each change is a compare-and-set on the row's `updatedAt`, and the job id is the task
 * id, so two workers reconciling at once, or a worker finishing the task meanwhile, are safe.
 */
@CommandHandler(ReconcileTasksCommand)
export class ReconcileTasksHandler implements ICommandHandler<ReconcileTasksCommand> {
  private readonly logger = new Logger('Tasks');

  constructor(
    private readonly tasks: TaskRepository,
    private readonly queue: TaskQueue,
  ) {}

  async execute(command: ReconcileTasksCommand): Promise<ReconcileReport> {
    const report: ReconcileReport = { requeued: [], abandoned: [] };
    for (const task of await this.tasks.findUnsettled(command.before, command.limit)) {
      if (await this.queue.isPending(task.id)) continue;

      if (task.status === 'running' && task.attempts >= task.maxAttempts) {
        const failure = {
          code: 'TASKS.ABANDONED',
          message: 'The worker running the last attempt stopped and its job was lost',
          attempt: task.attempts,
        };
        if (await this.tasks.fail(task.id, failure, ['running'])) report.abandoned.push(task.id);
        continue;
      }
      const requeued = task.status === 'running' ? await this.tasks.requeue(task.id, task.updatedAt) : task;
      if (!requeued) continue;
      await this.queue.enqueue({ id: task.id, type: task.type, maxAttempts: task.maxAttempts });
      report.requeued.push(task.id);
    }
    if (report.requeued.length + report.abandoned.length > 0) {
      this.logger.warn(
        report,
        `Reconciled tasks: ${report.requeued.length} requeued, ${report.abandoned.length} abandoned`,
      );
    }
    return report;
  }
}

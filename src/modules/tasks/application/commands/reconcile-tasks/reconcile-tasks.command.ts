import { Command } from '@nestjs/cqrs';
import { RequiresHandler } from '../../../../../infrastructure/wiring/messages.js';

export interface ReconcileReport {
  /** Tasks whose job was missing and that were queued again. */
  requeued: string[];
  /** Running tasks whose job was lost on their last attempt: failed as abandoned. */
  abandoned: string[];
}

/**
 * Repairs tasks whose row and queue job disagree: a task `queued` or `running` for longer
 * than TASK_RECONCILE_AFTER_MS with no job waiting, delayed or active.
 */
@RequiresHandler()
export class ReconcileTasksCommand extends Command<ReconcileReport> {
  constructor(
    /** Only tasks untouched since this time are looked at. */
    readonly before: Date,
    readonly limit = 100,
  ) {
    super();
  }
}

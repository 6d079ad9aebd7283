/** The BullMQ queue of tasks: job name = task type, job id = task id, data = `{ taskId }`. */
export const TASKS_QUEUE = 'tasks';

export interface TaskJobData {
  taskId: string;
}

/** Job backoff type whose delays come from the resilience policy (see TasksProcessor). */
export const TASK_BACKOFF = 'task-policy';

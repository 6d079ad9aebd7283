/** The BullMQ queue of the retention runs: one job scheduler, whose jobs carry no data. */
export const RETENTION_QUEUE = 'retention';

/** Id of the one job scheduler on the queue; every worker process upserts the same one. */
export const RETENTION_SCHEDULER_ID = 'retention-sweeps';

/** Name of the scheduler's jobs. */
export const RETENTION_JOB = 'sweep';

/** Finished runs BullMQ keeps (each one's counts as its return value), for operators to look at. */
export const RETENTION_KEEP_JOBS = 50;

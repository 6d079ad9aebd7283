import { type Processor, Worker, type WorkerOptions } from 'bullmq';

/**
 * The worker class `@nestjs/bullmq` instantiates for every `@Processor`. It never starts on
 * its own: `WorkerLifecycle` runs it only in processes whose role runs workers, so an
 * `APP_ROLE=api` process can register processors without consuming jobs.
 */
export class ManagedWorker extends Worker {
  constructor(name: string, processor: Processor, options: WorkerOptions) {
    super(name, processor, { ...options, autorun: false });
  }
}

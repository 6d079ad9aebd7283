import { Queue, type QueueOptions } from 'bullmq';
import { guardPostgresClients } from './pg-client-guard.js';

/** The queue class `@nestjs/bullmq` instantiates for every registered queue. */
export class ManagedQueue extends Queue {
  constructor(name: string, options: QueueOptions) {
    super(name, options);
    guardPostgresClients(this);
  }
}

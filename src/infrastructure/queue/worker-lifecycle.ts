import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { WorkerHost } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { type AppConfig, appConfig } from '../config/app.config.js';

/**
 * Starts the BullMQ workers when this process's role runs them, and makes sure every queue
 * and worker has an `error` listener: an unhandled `error` event would crash the process,
 * and a backend that keeps failing must show up in the logs, not in a heap dump.
 */
@Injectable()
export class WorkerLifecycle implements OnApplicationBootstrap {
  private readonly logger = new Logger('Queue');

  constructor(
    private readonly discovery: DiscoveryService,
    @Inject(appConfig.KEY) private readonly app: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    const instances = this.discovery.getProviders().map((wrapper) => wrapper.instance as unknown);

    for (const queue of instances.filter((instance): instance is Queue => instance instanceof Queue)) {
      queue.on('error', (error) => this.logger.error({ err: error, queue: queue.name }, 'Queue error'));
    }

    const hosts = instances.filter((instance): instance is WorkerHost => instance instanceof WorkerHost);
    for (const { worker } of hosts) {
      worker.on('error', (error) => this.logger.error({ err: error, queue: worker.name }, 'Worker error'));
      if (!this.app.runsWorkers) continue;
      worker.run().catch((error: unknown) => this.logger.error({ err: error, queue: worker.name }, 'Worker stopped'));
    }
    if (hosts.length > 0) {
      this.logger.log(
        this.app.runsWorkers
          ? `Processing queues: ${hosts.map(({ worker }) => worker.name).join(', ')}`
          : `Role ${this.app.role}: ${hosts.length} processor(s) registered but not started`,
      );
    }
  }
}

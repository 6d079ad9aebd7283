import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { OutboxRelay } from './outbox.relay.js';

/**
 * Waits at shutdown for the relay's pass in progress, so that it records what it delivered. A
 * provider of the root module: Nest calls `onApplicationShutdown` module by module from the root
 * outwards and global modules last, so this runs after the HTTP server has closed (an earlier
 * hook would keep the port accepting connections) and before the queues and TypeORM's pool
 * close (the relay's own module is global, as TypeORM's, and Nest closed TypeORM's first).
 */
@Injectable()
export class OutboxDrain implements OnApplicationShutdown {
  constructor(private readonly relay: OutboxRelay) {}

  onApplicationShutdown(): Promise<void> {
    return this.relay.settled();
  }
}

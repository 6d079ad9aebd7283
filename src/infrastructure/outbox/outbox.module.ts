import { Global, Module } from '@nestjs/common';
import { OutboxRetentionSweep } from './outbox-retention.sweep.js';
import { OutboxRelay } from './outbox.relay.js';
import { OutboxRepository } from './outbox.repository.js';
import { Outbox } from './outbox.js';

/**
 * The transactional outbox of integration events: `Outbox` for the modules that publish them,
 * the relay that delivers them in every process, and the sweep that deletes relayed ones. The
 * root module waits for the relay at shutdown (`OutboxDrain`).
 */
@Global()
@Module({
  providers: [OutboxRepository, OutboxRelay, Outbox, OutboxRetentionSweep],
  exports: [Outbox, OutboxRelay],
})
export class OutboxModule {}

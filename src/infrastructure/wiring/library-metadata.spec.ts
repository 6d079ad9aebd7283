import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Command, CommandHandler, EventsHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { LIBRARY_METADATA } from './library-metadata.js';

class ProbeCommand extends Command<void> {}
class ProbeQuery extends Query<void> {}
class ProbeEvent {}

@CommandHandler(ProbeCommand)
class ProbeCommandHandler {}

@QueryHandler(ProbeQuery)
class ProbeQueryHandler {}

@EventsHandler(ProbeEvent)
class ProbeEventHandler {}

@Processor('probe-queue')
class ProbeProcessor extends WorkerHost {
  async process(): Promise<void> {}
}

describe('LIBRARY_METADATA (keys copied from @nestjs/cqrs and @nestjs/bullmq)', () => {
  it('finds what the libraries’ own decorators recorded', () => {
    expect(Reflect.getMetadata(LIBRARY_METADATA.commandHandler, ProbeCommandHandler)).toBe(ProbeCommand);
    expect(Reflect.getMetadata(LIBRARY_METADATA.queryHandler, ProbeQueryHandler)).toBe(ProbeQuery);
    expect(Reflect.getMetadata(LIBRARY_METADATA.eventsHandler, ProbeEventHandler)).toEqual([ProbeEvent]);
    expect(Reflect.getMetadata(LIBRARY_METADATA.processor, ProbeProcessor)).toEqual({ name: 'probe-queue' });
  });
});

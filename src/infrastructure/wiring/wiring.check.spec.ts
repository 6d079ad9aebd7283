import { Controller, Get, Injectable, Module, Post, type Type } from '@nestjs/common';
import { Command, CommandBus, CommandHandler, CqrsModule, type ICommandHandler, Query } from '@nestjs/cqrs';
import { EventEmitterModule, OnEvent } from '@nestjs/event-emitter';
import { Test, type TestingModule } from '@nestjs/testing';
import { Authenticated, Public, RequireRole } from '../auth/access-policy.js';
import { MessageCatalogue } from './messages.js';
import { WiringError } from './wiring.check.js';
import { WiringModule } from './wiring.module.js';

class PlaceOrderCommand extends Command<string> {
  constructor(readonly item: string) {
    super();
  }
}

@CommandHandler(PlaceOrderCommand)
class PlaceOrderHandler implements ICommandHandler<PlaceOrderCommand> {
  async execute(command: PlaceOrderCommand): Promise<string> {
    return `ordered ${command.item}`;
  }
}

/** Its handler is never written: the slip the check exists for. */
class CountOrdersQuery extends Query<number> {}

@Injectable()
class OrderPlacedListener {
  @OnEvent('orders.placed')
  onPlaced(): void {}
}

@Injectable()
class StrayListeners {
  @OnEvent('orders.plcaed')
  misspelt(): void {}

  @OnEvent('orders.*')
  everything(): void {}

  @OnEvent(Symbol('orders'))
  symbolic(): void {}
}

@Controller('orders')
@Authenticated()
class OrdersController {
  @Get()
  @Public()
  list(): void {}

  @Post()
  place(): void {}
}

@Controller('refunds')
class RefundsController {
  @Get()
  @RequireRole('admin')
  list(): void {}

  @Post()
  refund(): void {}
}

/**
 * Each test starts the app with its own catalogue (the Nest way: a provider override), so
 * the classes declared here never reach the application's catalogue.
 */
async function start(providers: Type[], catalogue: MessageCatalogue, controllers: Type[] = []): Promise<TestingModule> {
  @Module({ providers, controllers })
  class OrdersModule {}

  const moduleRef = await Test.createTestingModule({
    imports: [CqrsModule.forRoot(), EventEmitterModule.forRoot(), WiringModule.forRoot(), OrdersModule],
  })
    .overrideProvider(MessageCatalogue)
    .useValue(catalogue)
    .compile();
  moduleRef.useLogger(false);
  await moduleRef.init();
  return moduleRef;
}

describe('WiringCheck', () => {
  it('lets a fully wired application start, and its command reaches its handler', async () => {
    const catalogue = new MessageCatalogue().requireHandler(PlaceOrderCommand).declareEvent('orders.placed');
    const moduleRef = await start([PlaceOrderHandler, OrderPlacedListener], catalogue);
    try {
      await expect(moduleRef.get(CommandBus).execute(new PlaceOrderCommand('tea'))).resolves.toBe('ordered tea');
    } finally {
      await moduleRef.close();
    }
  });

  it('stops the start with one error naming every slip on its own line', async () => {
    const catalogue = new MessageCatalogue()
      .requireHandler(PlaceOrderCommand)
      .requireHandler(CountOrdersQuery)
      .declareEvent('orders.placed');
    const failure = await start([OrderPlacedListener, StrayListeners], catalogue).then(
      () => undefined,
      (error: unknown) => error,
    );

    expect(failure).toBeInstanceOf(WiringError);
    const lines = (failure as WiringError).message.split('\n');
    expect(lines).toEqual([
      'Wiring check failed:',
      expect.stringMatching(/^ {2}- PlaceOrderCommand has no @CommandHandler among the providers: .*commandHandlers/),
      expect.stringMatching(/^ {2}- CountOrdersQuery has no @QueryHandler among the providers: .*queryHandlers/),
      expect.stringMatching(
        /^ {2}- StrayListeners\.misspelt listens to "orders\.plcaed", which no integrationEvent\(\)/,
      ),
      expect.stringMatching(/^ {2}- StrayListeners\.everything listens to "orders\.\*": a wildcard cannot be checked/),
      expect.stringMatching(/^ {2}- StrayListeners\.symbolic listens to Symbol\(orders\), not a name/),
    ]);
  });

  it('stops the start naming each route that declares no access policy, on it or its controller', async () => {
    const failure = await start([], new MessageCatalogue(), [OrdersController, RefundsController]).then(
      () => undefined,
      (error: unknown) => error,
    );

    expect(failure).toBeInstanceOf(WiringError);
    expect((failure as WiringError).slips).toEqual([
      expect.stringMatching(
        /^POST \/v1\/refunds \(RefundsController\.refund\) declares no access policy: add @Public\(\)/,
      ),
    ]);
  });

  it('counts a handler only when it is a provider, not merely decorated', async () => {
    const catalogue = new MessageCatalogue().requireHandler(PlaceOrderCommand);
    await expect(start([], catalogue)).rejects.toThrow(/PlaceOrderCommand has no @CommandHandler/);
  });
});

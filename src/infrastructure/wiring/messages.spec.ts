import { Command, Query } from '@nestjs/cqrs';
import { integrationEvent, messageCatalogue, RequiresHandler } from './messages.js';

@RequiresHandler()
class ShipParcelCommand extends Command<void> {}

@RequiresHandler()
class FindParcelQuery extends Query<string> {}

describe('message catalogue', () => {
  it('records @RequiresHandler classes with their kind, from the @nestjs/cqrs base class', () => {
    expect(messageCatalogue.requiredHandlers()).toEqual(
      expect.arrayContaining([
        { message: ShipParcelCommand, kind: 'command' },
        { message: FindParcelQuery, kind: 'query' },
      ]),
    );
  });

  it('refuses a class that is neither a command nor a query', () => {
    expect(() => {
      @RequiresHandler()
      class NotAMessage {}
      return NotAMessage;
    }).toThrow('@RequiresHandler() on NotAMessage: only classes extending Command or Query have handlers');
  });

  it('declares an integration event and hands back its name', () => {
    const name: 'parcels.shipped' = integrationEvent('parcels.shipped');

    expect(name).toBe('parcels.shipped');
    expect(messageCatalogue.hasEvent('parcels.shipped')).toBe(true);
    expect(messageCatalogue.hasEvent('parcels.lost')).toBe(false);
  });
});

import { OnEvent } from '@nestjs/event-emitter';

/**
 * Subscribes a method to an integration event that the outbox relays. The relay must know when
 * the listener is done and whether it failed, so unlike a bare `@OnEvent(name, { async: true })`:
 * `promisify` lets `emitAsync` wait for it (`@nestjs/event-emitter` wraps the method in a plain
 * function, which EventEmitter2 does not recognise as async), and `suppressErrors: false` lets
 * its error reach the relay, which records the failure and delivers the event again later,
 * instead of logging it and counting the event as delivered. The listener may therefore run
 * more than once for one event: make its effect idempotent on the payload's `eventId`.
 */
export const OnIntegrationEvent = (name: string): MethodDecorator =>
  OnEvent(name, { async: true, promisify: true, suppressErrors: false });

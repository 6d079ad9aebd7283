import type { Type } from '@nestjs/common';
import { Command, Query } from '@nestjs/cqrs';

export type MessageKind = 'command' | 'query';

/**
 * The messages the application promises to handle: command and query classes marked
 * `@RequiresHandler()`, and integration event names declared with `integrationEvent()`.
 * The startup wiring check compares it with what the DI container actually holds.
 */
export class MessageCatalogue {
  private readonly handled = new Map<Type, MessageKind>();
  private readonly events = new Set<string>();

  /** Records a command or query class; its kind comes from the `@nestjs/cqrs` base class. */
  requireHandler(message: Type): this {
    const kind = kindOf(message);
    if (!kind) {
      throw new TypeError(
        `@RequiresHandler() on ${message.name}: only classes extending Command or Query have handlers`,
      );
    }
    this.handled.set(message, kind);
    return this;
  }

  declareEvent(name: string): this {
    this.events.add(name);
    return this;
  }

  requiredHandlers(): { message: Type; kind: MessageKind }[] {
    return [...this.handled].map(([message, kind]) => ({ message, kind }));
  }

  integrationEvents(): string[] {
    return [...this.events].sort();
  }

  hasEvent(name: string): boolean {
    return this.events.has(name);
  }
}

function kindOf(message: Type): MessageKind | undefined {
  if (message.prototype instanceof Command) return 'command';
  if (message.prototype instanceof Query) return 'query';
  return undefined;
}

/**
 * The application's catalogue, filled as files are imported (decorators and contracts run
 * at import time). So it holds every message class imported in this process, wired into
 * the running app or not: a test file that declares an unhandled command makes every app
 * that file starts fail the check. Jest gives each test file its own module registry, so
 * this stays within that file.
 */
export const messageCatalogue = new MessageCatalogue();

/**
 * Marks a command or query class as one that must have a handler among the providers;
 * the application refuses to start otherwise, instead of failing on the first `execute`.
 */
export function RequiresHandler(): ClassDecorator {
  return (target) => {
    messageCatalogue.requireHandler(target as unknown as Type);
  };
}

/**
 * Declares an integration event name (published in a module's `*.contracts.ts`) and returns
 * it, typed as its literal. An `@OnEvent` listener on any other name fails the startup check.
 */
export function integrationEvent<const Name extends string>(name: Name): Name {
  messageCatalogue.declareEvent(name);
  return name;
}

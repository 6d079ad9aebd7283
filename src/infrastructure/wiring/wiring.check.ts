import { Injectable, type OnModuleInit } from '@nestjs/common';
import { MessageCatalogue } from './messages.js';
import { WiringExplorer } from './wiring.explorer.js';

/** Every wiring slip found at startup, each on its own line. */
export class WiringError extends Error {
  constructor(readonly slips: string[]) {
    super(`Wiring check failed:\n${slips.map((slip) => `  - ${slip}`).join('\n')}`);
    this.name = 'WiringError';
  }
}

/**
 * The slips that would otherwise show only when the code path runs: a `@RequiresHandler`
 * command or query whose handler (which must name that very class) is not among the
 * providers, an `@OnEvent` listener on a name that no `integrationEvent()` declares, and a
 * route that declares no access policy (deny by default: such a route would answer 403 to all).
 */
export function findWiringSlips(explorer: WiringExplorer, catalogue: MessageCatalogue): string[] {
  const handled = new Set([...explorer.commandHandlers(), ...explorer.queryHandlers()].map(({ message }) => message));
  const unhandled = catalogue
    .requiredHandlers()
    .filter(({ message }) => !handled.has(message))
    .map(({ message, kind }) => {
      const decorator = kind === 'command' ? 'CommandHandler' : 'QueryHandler';
      return `${message.name} has no @${decorator} among the providers: add its handler to the ${kind}Handlers array of its module`;
    });
  const unknownEvents = explorer.listeners().flatMap(({ listener, event }) => {
    const problem = eventProblem(event, catalogue);
    return problem ? [`${listener} ${problem}`] : [];
  });
  const undeclared = explorer
    .routes()
    .filter(({ access }) => access === undefined)
    .map(
      ({ method, path, handler }) =>
        `${method} ${path} (${handler}) declares no access policy: add @Public(), @Authenticated(), ` +
        '@RequireRole(...) or @OwnerOrAdmin(...) from src/infrastructure/auth/access-policy.ts to it or its controller',
    );
  return [...unhandled, ...unknownEvents, ...undeclared];
}

function eventProblem(event: unknown, catalogue: MessageCatalogue): string | undefined {
  if (typeof event === 'string') {
    if (catalogue.hasEvent(event)) return undefined;
    if (event.includes('*')) {
      return `listens to "${event}": a wildcard cannot be checked against the declared integration events; listen to each by its name`;
    }
    return `listens to "${event}", which no integrationEvent() declares: import the name from the emitting module's *.contracts.ts`;
  }
  if (Array.isArray(event)) {
    return `listens to a list of names (${event.map(String).join(', ')}), which cannot be checked: listen to one declared integration event`;
  }
  return `listens to ${String(event)}, not a name: integration events are strings declared with integrationEvent()`;
}

/**
 * Runs the check when the application starts, in every role and in the tests' apps. On
 * module init, so a slip stops the start before CQRS registers its handlers, listeners
 * subscribe and workers take jobs (all on application bootstrap).
 */
@Injectable()
export class WiringCheck implements OnModuleInit {
  constructor(
    private readonly explorer: WiringExplorer,
    private readonly catalogue: MessageCatalogue,
  ) {}

  onModuleInit(): void {
    const slips = findWiringSlips(this.explorer, this.catalogue);
    if (slips.length > 0) throw new WiringError(slips);
  }
}

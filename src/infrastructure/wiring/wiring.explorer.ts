import { type INestApplicationContext, Inject, Injectable, type Type } from '@nestjs/common';
import { MetadataScanner, ModulesContainer } from '@nestjs/core';
import type { Module } from '@nestjs/core/injector/module.js';
import { EVENT_LISTENER_METADATA } from '@nestjs/event-emitter';
import { DEFAULT_API_VERSION } from '../http/api-versioning.js';
import { LIBRARY_METADATA } from './library-metadata.js';
import { classOf, isImplicit, providerEntry, tokenName } from './provider-wrappers.js';
import { type RouteWiring, routesOf } from './routes.js';
import { WIRING_OPTIONS, type WiringOptions } from './wiring.options.js';

/** A command or query handler and the message class it is registered for. */
export interface HandlerBinding {
  handler: string;
  message: Type;
}

/** An `@OnEvent` method; `event` is what the decorator was given (a name, a symbol, a list). */
export interface ListenerBinding {
  listener: string;
  event: unknown;
}

export interface ModuleWiring {
  name: string;
  /** Defined in a package rather than in this repository, as told by `isLibrary`. */
  library: boolean;
  global: boolean;
  /** `class` is set when it differs from the token: `{ token: 'UserRepository', class: 'TypeOrmUserRepository' }`. */
  providers: { token: string; class?: string }[];
  routes: RouteWiring[];
  commandHandlers: { command: string; handler: string }[];
  queryHandlers: { query: string; handler: string }[];
  eventHandlers: { events: string[]; handler: string }[];
  listeners: { event: string; listener: string }[];
  processors: { queue: string; processor: string }[];
  /** Providers carrying each of `WiringOptions.decorators`, with the decorator's options. */
  decorated: Record<string, { provider: string; options: Record<string, unknown> }[]>;
}

interface Discovered {
  name: string;
  type: Type;
}

/**
 * Reads the wiring of the running DI container: every module's providers and controllers,
 * and what their decorators registered them for. Works on a preview-mode context too
 * (`NestFactory.createApplicationContext(module, { preview: true })`), where the graph and
 * the metadata exist but no provider has been built.
 */
@Injectable()
export class WiringExplorer {
  private readonly scanner = new MetadataScanner();

  constructor(
    private readonly container: ModulesContainer,
    @Inject(WIRING_OPTIONS) private readonly options: WiringOptions,
  ) {}

  /** For a preview-mode context, where `app.get(WiringExplorer)` is an unbuilt shell. */
  static of(app: INestApplicationContext): WiringExplorer {
    return new WiringExplorer(app.get(ModulesContainer), app.get<WiringOptions>(WIRING_OPTIONS, { strict: false }));
  }

  commandHandlers(): HandlerBinding[] {
    return handlers(this.everyProvider(), LIBRARY_METADATA.commandHandler);
  }

  queryHandlers(): HandlerBinding[] {
    return handlers(this.everyProvider(), LIBRARY_METADATA.queryHandler);
  }

  listeners(): ListenerBinding[] {
    return this.listenersOf(this.everyProvider());
  }

  routes(): RouteWiring[] {
    return this.modules().flatMap((module) => this.routesOf(module));
  }

  describe(isLibrary: (module: Type) => boolean = () => false): ModuleWiring[] {
    return this.modules().map((module) => {
      const found = discovered(module);
      const withMetadata = (key: string) => metadataOf(found, key);
      return {
        name: module.name,
        library: isLibrary(module.metatype),
        global: module.isGlobal,
        providers: [...module.providers.values()].filter((wrapper) => !isImplicit(wrapper, module)).map(providerEntry),
        routes: this.routesOf(module),
        commandHandlers: handlers(found, LIBRARY_METADATA.commandHandler).map(({ handler, message }) => ({
          command: message.name,
          handler,
        })),
        queryHandlers: handlers(found, LIBRARY_METADATA.queryHandler).map(({ handler, message }) => ({
          query: message.name,
          handler,
        })),
        eventHandlers: withMetadata(LIBRARY_METADATA.eventsHandler).map(({ name, value }) => ({
          events: (value as Type[]).map((event) => event.name),
          handler: name,
        })),
        listeners: this.listenersOf(found).map(({ listener, event }) => ({ event: describeEvent(event), listener })),
        processors: withMetadata(LIBRARY_METADATA.processor).map(({ name, value }) => ({
          queue: (value as { name: string }).name,
          processor: name,
        })),
        decorated: Object.fromEntries(
          Object.entries(this.options.decorators ?? {}).map(([section, decorator]) => [
            section,
            withMetadata(decorator.KEY).map(({ name, value }) => ({
              provider: name,
              options: plain(value) as Record<string, unknown>,
            })),
          ]),
        ),
      };
    });
  }

  private modules(): Module[] {
    return [...this.container.values()];
  }

  private routesOf(module: Module): RouteWiring[] {
    return [...module.controllers.values()].flatMap((wrapper) =>
      wrapper.metatype ? routesOf(wrapper.metatype as Type, DEFAULT_API_VERSION, this.scanner) : [],
    );
  }

  private everyProvider(): Discovered[] {
    return this.modules().flatMap(discovered);
  }

  private listenersOf(found: Discovered[]): ListenerBinding[] {
    return found.flatMap(({ name, type }) => {
      const prototype = type.prototype as Record<string, object> | undefined;
      if (!prototype) return [];
      return this.scanner.getAllMethodNames(prototype).flatMap((method) => {
        const metadata = Reflect.getMetadata(EVENT_LISTENER_METADATA, prototype[method]) as
          { event: unknown }[] | undefined;
        return (metadata ?? []).map(({ event }) => ({ listener: `${name}.${method}`, event }));
      });
    });
  }
}

/** Providers with a class to read metadata from; aliases are skipped, their target is listed where it is defined. */
function discovered(module: Module): Discovered[] {
  return [...module.providers.values()].flatMap((wrapper) => {
    const type = wrapper.isAlias || isImplicit(wrapper, module) ? undefined : classOf(wrapper);
    return type ? [{ name: tokenName(wrapper.token), type }] : [];
  });
}

function metadataOf(found: Discovered[], key: string): { name: string; value: unknown }[] {
  return found.flatMap(({ name, type }) => {
    const value: unknown = Reflect.getMetadata(key, type);
    return value === undefined ? [] : [{ name, value }];
  });
}

function handlers(found: Discovered[], key: string): HandlerBinding[] {
  return metadataOf(found, key).map(({ name, value }) => ({ handler: name, message: value as Type }));
}

function describeEvent(event: unknown): string {
  if (Array.isArray(event)) return `[${event.map(describeEvent).join(', ')}]`;
  return String(event);
}

/** Decorator options as JSON: classes and functions by name, symbols by description. */
function plain(value: unknown): unknown {
  if (typeof value === 'function') return value.name;
  if (typeof value === 'symbol') return String(value);
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, plain(item)]));
  }
  return value;
}

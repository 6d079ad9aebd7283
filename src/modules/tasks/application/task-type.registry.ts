import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validate } from 'class-validator';
import { type TasksConfig, tasksConfig } from '../../../infrastructure/config/tasks.config.js';
import { jsonPath } from '../../../infrastructure/http/json-path.js';
import { type FieldProblems, fieldProblemsOf } from '../../../shared/field-problems.js';
import type { TaskActor } from '../domain/task.js';
import { TaskHandler, type TaskHandlerOptions, type TaskRunner } from '../tasks.contracts.js';

/** The most attempts a submitter may ask for, for a type that does not declare its own `maxAttempts`. */
export const MAX_SUBMITTED_ATTEMPTS = 10;

export interface TaskType extends TaskHandlerOptions {
  maxAttempts: number;
  /** The most attempts a submission may ask for: the type's own `maxAttempts`, else MAX_SUBMITTED_ATTEMPTS. */
  attemptsCeiling: number;
  runner: TaskRunner;
}

/** Whether `submitter` may submit `type` (no submitter: the application's own code, which may submit any). */
export function maySubmit(type: Pick<TaskType, 'submitters'>, submitter: TaskActor | undefined): boolean {
  if (!submitter) return true;
  if (type.submitters === 'users') return true;
  return type.submitters === 'admins' && submitter.role === 'admin';
}

/** A type and the provider that claimed it, for naming both sides of a duplicate. */
type ClaimedTaskType = TaskType & { provider: string };

export class DuplicateTaskTypeError extends Error {
  constructor(type: string, first: string, second: string) {
    super(`Task type "${type}" is claimed by both ${first} and ${second}: each type needs exactly one @TaskHandler`);
    this.name = 'DuplicateTaskTypeError';
  }
}

/**
 * Every task type in the application, found at startup among all modules' providers by
 * their `@TaskHandler` metadata (Nest's DiscoveryService), so a module adds a type without
 * the tasks module knowing it. Two handlers for one type stop the application from starting.
 */
@Injectable()
export class TaskTypeRegistry implements OnModuleInit {
  private readonly logger = new Logger('Tasks');
  private types?: Map<string, ClaimedTaskType>;
  private readonly declared = new Map<TaskType['payload'], ReadonlySet<string>>();

  constructor(
    private readonly discovery: DiscoveryService,
    @Inject(tasksConfig.KEY) private readonly config: TasksConfig,
  ) {}

  /** Discovers the types at startup, so a duplicate type stops the application before it serves. */
  onModuleInit(): void {
    this.discover();
  }

  names(): string[] {
    return [...this.discover().keys()].sort();
  }

  all(): TaskType[] {
    return this.names().map((name) => this.get(name)!);
  }

  get(type: string): TaskType | undefined {
    return this.discover().get(type);
  }

  /** The names of the types `submitter` may submit, sorted. */
  namesFor(submitter: TaskActor | undefined): string[] {
    return this.all()
      .filter((type) => maySubmit(type, submitter))
      .map((type) => type.type);
  }

  /**
   * Checks `payload` against the type's DTO (unknown properties are errors) and returns it
   * as the plain JSON to store, or the problems, each naming its field (`type`, `payload.url`).
   * A type the submitter may not submit is answered like an unknown one, and the known types
   * the answer lists are only those they may submit.
   */
  async parse(
    type: string,
    payload: unknown,
    submitter?: TaskActor,
  ): Promise<{ payload: Record<string, unknown> } | { problems: FieldProblems[] }> {
    const definition = this.get(type);
    if (!definition || !maySubmit(definition, submitter)) {
      const names = this.namesFor(submitter);
      return { problems: [{ field: 'type', messages: [`must be one of: ${names.join(', ') || '(none)'}`] }] };
    }
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
      return { problems: [{ field: 'payload', messages: ['must be an object'] }] };
    }
    // Properties the DTO does not declare are reported, not copied: class-transformer would walk
    // whatever they hold, key by key, before class-validator refused them.
    const declared = this.declaredProperties(definition.payload);
    const entries = Object.entries(payload);
    const unknown: FieldProblems[] = entries
      .filter(([key]) => !declared.has(key))
      .map(([key]) => ({ field: jsonPath(['payload', key]), messages: [`property ${key} should not exist`] }));
    const known = Object.fromEntries(entries.filter(([key]) => declared.has(key)));
    const instance = plainToInstance(definition.payload, known);
    const errors = await validate(instance, { whitelist: true, forbidNonWhitelisted: true });
    if (unknown.length > 0 || errors.length > 0)
      return { problems: [...unknown, ...fieldProblemsOf(errors, 'payload')] };
    return { payload: JSON.parse(JSON.stringify(instance)) as Record<string, unknown> };
  }

  private declaredProperties(payload: TaskType['payload']): ReadonlySet<string> {
    let declared = this.declared.get(payload);
    if (!declared) {
      const rules = getMetadataStorage().getTargetValidationMetadatas(payload, '', true, false);
      declared = new Set(rules.map((rule) => rule.propertyName));
      this.declared.set(payload, declared);
    }
    return declared;
  }

  /**
   * Every provider instance exists once the module graph is built, so discovery also works
   * before `onModuleInit` has run everywhere (the OpenAPI document is built then).
   */
  private discover(): Map<string, ClaimedTaskType> {
    if (this.types) return this.types;
    const types = new Map<string, ClaimedTaskType>();
    for (const wrapper of this.discovery.getProviders({ metadataKey: TaskHandler.KEY })) {
      const options = this.discovery.getMetadataByDecorator(TaskHandler, wrapper)!;
      const provider = wrapper.metatype?.name ?? String(wrapper.token);
      const existing = types.get(options.type);
      if (existing) throw new DuplicateTaskTypeError(options.type, existing.provider, provider);
      types.set(options.type, {
        ...options,
        maxAttempts: options.maxAttempts ?? this.config.defaultMaxAttempts,
        attemptsCeiling: options.maxAttempts ?? MAX_SUBMITTED_ATTEMPTS,
        runner: wrapper.instance as TaskRunner,
        provider,
      });
    }
    this.types = types;
    this.logger.log(`Task types: ${this.names().join(', ') || 'none'}`);
    return types;
  }

  /** The stored payload as an instance of the type's DTO, for the runner. */
  hydrate(definition: TaskType, payload: Record<string, unknown>): object {
    return plainToInstance(definition.payload, payload);
  }
}

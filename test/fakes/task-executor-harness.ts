import type { TestingModule } from '@nestjs/testing';
import type { PinoLogger, RunInContextOptions } from 'nestjs-pino';
import type { AppConfig } from '../../src/infrastructure/config/app.config.js';
import { ResilienceService } from '../../src/infrastructure/resilience/resilience.service.js';
import { TaskExecutor } from '../../src/modules/tasks/application/task-executor.js';
import { TaskTypeRegistry } from '../../src/modules/tasks/application/task-type.registry.js';
import type { Task } from '../../src/modules/tasks/domain/task.js';
import { newId } from '../../src/shared/ids.js';
import { InMemoryTaskRepository } from './in-memory-task.repository.js';
import { GreetTask, PingTask, TASKS_CONFIG } from './task-types.js';

export const RETRY_BASE_MS = 100;
export const RETRY_MAX_MS = 1000;

/** Runs the function in place and remembers the bindings it was given. */
export class FakePino {
  readonly contexts: (RunInContextOptions | undefined)[] = [];
  runInContext<T>(fn: () => T, options?: RunInContextOptions): T {
    this.contexts.push(options);
    return fn();
  }
}

/**
 * A `TaskExecutor` over an in-memory repository, the registry of `taskTypesContext()` (whose
 * runners each test scripts), a real `ResilienceService` with short delays and a fake pino.
 */
export function executorHarness(
  moduleRef: TestingModule,
  options: { cancelPollMs?: number; shutdownTimeoutMs?: number } = {},
) {
  const tasks = new InMemoryTaskRepository();
  const pino = new FakePino();
  const resilience = new ResilienceService({
    retry: { baseDelayMs: RETRY_BASE_MS, maxDelayMs: RETRY_MAX_MS },
    timeoutMs: 1000,
    breaker: { threshold: 5, cooldownMs: 1000 },
  });
  const executor = new TaskExecutor(
    tasks,
    moduleRef.get(TaskTypeRegistry),
    resilience,
    pino as unknown as PinoLogger,
    { ...TASKS_CONFIG, cancelPollMs: options.cancelPollMs ?? TASKS_CONFIG.cancelPollMs },
    { shutdownTimeoutMs: options.shutdownTimeoutMs ?? 10_000 } as AppConfig,
  );
  const greet = moduleRef.get(GreetTask);
  const ping = moduleRef.get(PingTask);
  for (const runner of [greet, ping]) {
    runner.calls.length = 0;
    runner.script = async () => ({ done: true });
  }
  const seed = (changes: Partial<Task> = {}) =>
    tasks.seed({ id: newId(), type: 'test.ping', payload: { target: { url: 'http://example.com' } }, ...changes });
  return { tasks, pino, executor, greet, ping, seed };
}

import { Injectable, Module, type Type as ClassType } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Test, type TestingModule } from '@nestjs/testing';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, IsUrl, MaxLength, Min, ValidateNested } from 'class-validator';
import { type TasksConfig, tasksConfig } from '../../src/infrastructure/config/tasks.config.js';
import { TaskTypeRegistry } from '../../src/modules/tasks/application/task-type.registry.js';
import { TaskHandler, type TaskContext, type TaskRunner } from '../../src/modules/tasks/tasks.contracts.js';

export const TASKS_CONFIG: TasksConfig = {
  concurrency: 1,
  defaultMaxAttempts: 3,
  lockDurationMs: 30_000,
  reconcileIntervalMs: 30_000,
  reconcileAfterMs: 60_000,
  cancelPollMs: 1000,
};

/** A runner whose behaviour each test scripts, and which records how it was called. */
export class ScriptedRunner implements TaskRunner {
  readonly calls: { payload: object; context: TaskContext }[] = [];
  script: (payload: object, context: TaskContext) => Promise<unknown> = async () => ({ done: true });

  async run(payload: object, context: TaskContext): Promise<unknown> {
    this.calls.push({ payload, context });
    return this.script(payload, context);
  }
}

export class GreetPayload {
  @IsString()
  @MaxLength(20)
  name: string;

  @IsOptional()
  @IsInt()
  @Min(1)
  times?: number;
}

export const GREET = 'test.greet';

@Injectable()
@TaskHandler({ type: GREET, submitters: 'users', payload: GreetPayload, maxAttempts: 5, backoff: { baseDelayMs: 10, maxDelayMs: 40 } })
export class GreetTask extends ScriptedRunner {}

export class Target {
  @IsUrl({ require_tld: false })
  url: string;
}

export class PingPayload {
  @ValidateNested()
  @Type(() => Target)
  target: Target;
}

export const PING = 'test.ping';

/** No maxAttempts of its own: it gets TASK_MAX_ATTEMPTS. */
@Injectable()
@TaskHandler({ type: PING, submitters: 'users', payload: PingPayload })
export class PingTask extends ScriptedRunner {}

@Module({ providers: [GreetTask] })
export class GreetModule {}

@Module({ providers: [PingTask] })
export class PingModule {}

interface TaskTypesOptions {
  imports?: ClassType[];
  providers?: ClassType[];
  config?: Partial<TasksConfig>;
}

/**
 * A started Nest context holding the registry and whatever task types `imports` and
 * `providers` bring, discovered the way the application discovers them.
 */
export async function taskTypesContext(options: TaskTypesOptions = {}): Promise<TestingModule> {
  const moduleRef = await taskTypesModule(options);
  await moduleRef.init();
  return moduleRef;
}

/** The same, compiled but not started: for a test of what `init()` does. */
export async function taskTypesModule(options: TaskTypesOptions = {}): Promise<TestingModule> {
  const moduleRef = await Test.createTestingModule({
    imports: [DiscoveryModule, ...(options.imports ?? [GreetModule, PingModule])],
    providers: [
      TaskTypeRegistry,
      { provide: tasksConfig.KEY, useValue: { ...TASKS_CONFIG, ...options.config } },
      ...(options.providers ?? []),
    ],
  }).compile();
  moduleRef.useLogger(false);
  return moduleRef;
}

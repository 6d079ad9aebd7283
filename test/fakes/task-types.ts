import { Injectable, Module, type Type as ClassType } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Test, type TestingModule } from '@nestjs/testing';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, IsUrl, MaxLength, Min, ValidateNested } from 'class-validator';
import { type TasksConfig, tasksConfig } from '../../src/infrastructure/config/tasks.config.js';
import { TaskTypeRegistry } from '../../src/modules/tasks/application/task-type.registry.js';
import {
  TaskHandler,
  type TaskContext,
  type TaskRunner,
  TransientError,
} from '../../src/modules/tasks/tasks.contracts.js';
import type { FieldProblems } from '../../src/shared/field-problems.js';

export const TASKS_CONFIG: TasksConfig = {
  concurrency: 1,
  defaultMaxAttempts: 3,
  lockDurationMs: 30_000,
  reconcileIntervalMs: 30_000,
  reconcileAfterMs: 60_000,
  cancelPollMs: 1000,
  maxRunningPerOwner: 2,
  idempotencyTtlS: 3600,
  retentionDays: 30,
  circuitWaitMaxMs: 3_600_000,
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
@TaskHandler({
  type: GREET,
  submitters: 'users',
  payload: GreetPayload,
  maxAttempts: 5,
  backoff: { baseDelayMs: 10, maxDelayMs: 40 },
})
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

/** Types for each kind of submitter, for the submission rules: same payload as `test.greet`. */
export const INTERNAL_ONLY = 'test.internal';
export const ADMINS_ONLY = 'test.admins';
export const OUTBOUND = 'test.outbound';
/** Has an `admit` check: refuses `name: 'nobody'` (as a type refuses an object the submitter does not own). */
export const ADMITTED = 'test.admitted';

@Injectable()
@TaskHandler({ type: INTERNAL_ONLY, submitters: 'internal', payload: GreetPayload })
export class InternalOnlyTask extends ScriptedRunner {}

@Injectable()
@TaskHandler({ type: ADMINS_ONLY, submitters: 'admins', payload: GreetPayload })
export class AdminsOnlyTask extends ScriptedRunner {}

@Injectable()
@TaskHandler({ type: OUTBOUND, submitters: 'users', outbound: true, payload: GreetPayload })
export class OutboundTask extends ScriptedRunner {}

@Injectable()
@TaskHandler({ type: ADMITTED, submitters: 'users', payload: GreetPayload })
export class AdmittedTask extends ScriptedRunner {
  readonly admitted: { payload: object; submitter: { ownerId: string | null } }[] = [];

  async admit(payload: GreetPayload, submitter: { ownerId: string | null }): Promise<FieldProblems[]> {
    this.admitted.push({ payload, submitter });
    return payload.name === 'nobody' ? [{ field: 'payload.name', messages: ['name must name someone'] }] : [];
  }
}

@Module({ providers: [InternalOnlyTask, AdminsOnlyTask, OutboundTask, AdmittedTask] })
export class SubmittersModule {}

/**
 * A type whose handler fails the way a driver or a socket does, with internal addresses in
 * the message, for checking that the task's owner never reads them.
 */
export const LEAKY = 'test.leaky';
export const LEAKED_DETAILS = 'connect ECONNREFUSED 10.20.30.40:6379 (cache-1.internal.example)';

export class LeakyPayload {
  @IsOptional()
  @IsString()
  @MaxLength(20)
  note?: string;
}

@Injectable()
@TaskHandler({ type: LEAKY, submitters: 'users', payload: LeakyPayload, maxAttempts: 1 })
export class LeakyTask implements TaskRunner<LeakyPayload> {
  async run(): Promise<never> {
    throw Object.assign(new Error(LEAKED_DETAILS), { code: 'ECONNREFUSED', address: '10.20.30.40', port: 6379 });
  }
}

@Module({ providers: [LeakyTask] })
export class LeakyTaskModule {}

/**
 * Fails every attempt the way a target answering 503 does (a `TransientError`), so the task
 * is retried up to its attempts; counts its runs per task. Five attempts unless asked for fewer.
 */
export const FLAKY = 'test.flaky';

export class FlakyPayload {
  @ApiPropertyOptional({ maxLength: 100 })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  note?: string;
}

@Injectable()
@TaskHandler({
  type: FLAKY,
  submitters: 'users',
  payload: FlakyPayload,
  maxAttempts: 5,
  description: 'Fails every attempt like a target answering 503',
})
export class FlakyTask implements TaskRunner<FlakyPayload> {
  readonly runs = new Map<string, number>();

  async run(_payload: FlakyPayload, context: TaskContext): Promise<never> {
    this.runs.set(context.taskId, (this.runs.get(context.taskId) ?? 0) + 1);
    throw new TransientError('The target answered 503 Service Unavailable', 'TESTS.HTTP_503');
  }
}

@Module({ providers: [FlakyTask] })
export class FlakyTaskModule {}

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

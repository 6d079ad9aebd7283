import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Clock, SystemClock } from '../../shared/clock.js';
import { CancelTaskHandler } from './application/commands/cancel-task/cancel-task.handler.js';
import { ReconcileTasksHandler } from './application/commands/reconcile-tasks/reconcile-tasks.handler.js';
import { SubmitTaskHandler } from './application/commands/submit-task/submit-task.handler.js';
import { GetTaskHandler } from './application/queries/get-task/get-task.handler.js';
import { ListTasksHandler } from './application/queries/list-tasks/list-tasks.handler.js';
import { TaskExecutor } from './application/task-executor.js';
import { TaskQueue } from './application/task-queue.js';
import { TaskTypeRegistry } from './application/task-type.registry.js';
import { EchoTask } from './application/types/echo.task.js';
import { TaskRepository } from './domain/task.repository.js';
import { TasksController } from './http/tasks.controller.js';
import { TasksOpenApi } from './http/tasks.openapi.js';
import { BullTaskQueue } from './infrastructure/bull-task.queue.js';
import { TaskReconciler } from './infrastructure/task-reconciler.js';
import { TaskRetentionSweep } from './infrastructure/task-retention.sweep.js';
import { TaskOrmEntity } from './infrastructure/task.orm-entity.js';
import { tasksProcessorProvider } from './infrastructure/tasks.processor.js';
import { TASKS_QUEUE } from './infrastructure/tasks-queue.js';
import { TypeOrmTaskRepository } from './infrastructure/typeorm-task.repository.js';

const commandHandlers = [SubmitTaskHandler, CancelTaskHandler, ReconcileTasksHandler];
const queryHandlers = [GetTaskHandler, ListTasksHandler];
const taskTypes = [EchoTask];
const processing = [TaskTypeRegistry, TaskExecutor, tasksProcessorProvider, TaskReconciler, TaskRetentionSweep];
const adapters = [
  { provide: TaskRepository, useClass: TypeOrmTaskRepository },
  { provide: TaskQueue, useClass: BullTaskQueue },
  { provide: Clock, useClass: SystemClock },
];

/**
 * Tasks: background work that any module can define (a `@TaskHandler` provider, see
 * `tasks.contracts.ts`) and anyone can submit, follow and cancel. The row in `tasks` is the
 * truth; the BullMQ queue carries task ids to the workers.
 */
@Module({
  imports: [
    DiscoveryModule,
    TypeOrmModule.forFeature([TaskOrmEntity]),
    BullModule.registerQueue({ name: TASKS_QUEUE }),
  ],
  controllers: [TasksController],
  providers: [...commandHandlers, ...queryHandlers, ...taskTypes, ...processing, ...adapters, TasksOpenApi],
})
export class TasksModule {}

import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { type AppConfig, appConfig } from '../../../infrastructure/config/app.config.js';
import { type TasksConfig, tasksConfig } from '../../../infrastructure/config/tasks.config.js';
import { ReconcileTasksCommand } from '../application/commands/reconcile-tasks/reconcile-tasks.command.js';

/**
 * Runs the reconciliation every TASK_RECONCILE_INTERVAL_MS in processes that run workers
 * (an API-only process leaves it to them), and once at startup.
 */
@Injectable()
export class TaskReconciler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Tasks');
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    private readonly commands: CommandBus,
    @Inject(tasksConfig.KEY) private readonly config: TasksConfig,
    @Inject(appConfig.KEY) private readonly app: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.app.runsWorkers) return;
    this.timer = setInterval(() => this.tick(), this.config.reconcileIntervalMs).unref();
    this.tick();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private tick(): void {
    if (this.running) return;
    const before = new Date(Date.now() - this.config.reconcileAfterMs);
    this.running = this.commands
      .execute(new ReconcileTasksCommand(before))
      .catch((error: unknown) => this.logger.warn({ err: error }, 'Task reconciliation failed; trying again later'))
      .finally(() => (this.running = undefined));
  }
}

import { cancelTests } from './tasks-suite-cancel.js';
import { fairnessTests } from './tasks-suite-fairness.js';
import { type AppEnv, useTasksApp } from './tasks-suite-helpers.js';
import { listTests } from './tasks-suite-list.js';
import { openApiTests } from './tasks-suite-openapi.js';
import { ownershipTests } from './tasks-suite-ownership.js';
import { submitTests } from './tasks-suite-submit.js';
import { validationTests } from './tasks-suite-validation.js';

export interface TasksApiSuiteOptions {
  /** App environment, which chooses the queue backend (REDIS_URL set or not). */
  env: AppEnv;
}

/**
 * The tasks HTTP API end to end (submit, follow, list, cancel, retries, ownership, fair
 * share of the workers, OpenAPI), through real HTTP, workers and database. Run once per
 * queue backend: both must behave alike.
 */
export function tasksApiSuite({ env }: TasksApiSuiteOptions): void {
  // Webhook tests post to a stub receiver on 127.0.0.1.
  const appEnv = { ...env, WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' };
  const app = useTasksApp(appEnv, 'api');

  submitTests(app);
  validationTests(app);
  listTests(app);
  ownershipTests(app);
  cancelTests(app, appEnv);
  openApiTests(app);
  fairnessTests(appEnv);
}

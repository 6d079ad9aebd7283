import type { MigrationInterface } from 'typeorm';
import { CreateUsers1795856767425 } from './migrations/1795856767425-CreateUsers.js';
import { CreateTasks1795862910546 } from './migrations/1795862910546-CreateTasks.js';
import { CreateAuth1796400000000 } from './migrations/1796400000000-CreateAuth.js';
import { AddTaskSubmitter1796400000001 } from './migrations/1796400000001-AddTaskSubmitter.js';
import { TaskOwnership1796500000000 } from './migrations/1796500000000-TaskOwnership.js';
import { CreateWebhookEndpoints1796500000001 } from './migrations/1796500000001-CreateWebhookEndpoints.js';
import { CreateCircuitBreakers1796500000002 } from './migrations/1796500000002-CreateCircuitBreakers.js';
import { RetentionIndexes1796600000000 } from './migrations/1796600000000-RetentionIndexes.js';
import { CreateOutbox1796700000300 } from './migrations/1796700000300-CreateOutbox.js';

/**
 * Every migration, oldest first. Listed explicitly (not globbed) so the same list works in
 * the compiled app, under jest and in the TypeORM CLI.
 */
export const migrations: (new () => MigrationInterface)[] = [
  CreateUsers1795856767425,
  CreateTasks1795862910546,
  CreateAuth1796400000000,
  AddTaskSubmitter1796400000001,
  TaskOwnership1796500000000,
  CreateWebhookEndpoints1796500000001,
  CreateCircuitBreakers1796500000002,
  RetentionIndexes1796600000000,
  CreateOutbox1796700000300,
];

import type { MigrationInterface } from 'typeorm';

/**
 * Every migration, oldest first. Listed explicitly (not globbed) so the same list works in
 * the compiled app, under jest and in the TypeORM CLI.
 */
export const migrations: (new () => MigrationInterface)[] = [];

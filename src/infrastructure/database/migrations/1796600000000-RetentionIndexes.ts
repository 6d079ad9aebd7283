import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for the retention sweeps, so each batch finds its rows without scanning the table:
 * finished tasks by finish time and live idempotency keys by expiry (both partial: they hold
 * only the rows a sweep may touch), expired one-time tokens and old login failures.
 */
export class RetentionIndexes1796600000000 implements MigrationInterface {
  name = 'RetentionIndexes1796600000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "tasks_finished_at_idx" ON "tasks" ("finished_at") WHERE "status" IN ('succeeded', 'failed', 'cancelled')`,
    );
    await queryRunner.query(
      `CREATE INDEX "tasks_idempotency_expires_at_idx" ON "tasks" ("idempotency_expires_at") WHERE "idempotency_key" IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "auth_one_time_tokens_expires_at_idx" ON "auth_one_time_tokens" ("expires_at")`,
    );
    await queryRunner.query(`CREATE INDEX "auth_login_failures_failed_at_idx" ON "auth_login_failures" ("failed_at")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."auth_login_failures_failed_at_idx"`);
    await queryRunner.query(`DROP INDEX "public"."auth_one_time_tokens_expires_at_idx"`);
    await queryRunner.query(`DROP INDEX "public"."tasks_idempotency_expires_at_idx"`);
    await queryRunner.query(`DROP INDEX "public"."tasks_finished_at_idx"`);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tasks belong to the user who submitted them (`owner_id`; NULL for the application's own
 * tasks, and for every task stored before this migration: they become admin-only), replacing
 * `submitted_by`. Idempotency keys become unique per owner and expire
 * (`idempotency_expires_at`, TASK_IDEMPOTENCY_TTL_S after the submission).
 *
 * The unique index is an expression index on `COALESCE(owner_id, <zero uuid>)`, not
 * `NULLS NOT DISTINCT` (PostgreSQL 15+): it works on every supported PostgreSQL, and the
 * ownerless tasks (internal submissions) still share one key space. It is partial (keys
 * only), and `INSERT ... ON CONFLICT` names the same expression and predicate. TypeORM cannot
 * describe an expression index, so the entity declares it with `synchronize: false`.
 */
export class TaskOwnership1796500000000 implements MigrationInterface {
  name = 'TaskOwnership1796500000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "tasks" ADD "owner_id" uuid`);
    await queryRunner.query(`ALTER TABLE "tasks" DROP COLUMN "submitted_by"`);
    await queryRunner.query(`ALTER TABLE "tasks" ADD "idempotency_expires_at" TIMESTAMP(3) WITH TIME ZONE`);
    await queryRunner.query(`DROP INDEX "public"."tasks_idempotency_key_key"`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "tasks_owner_idempotency_key_key" ON "tasks" ((COALESCE("owner_id", '00000000-0000-0000-0000-000000000000'::uuid)), "idempotency_key") WHERE "idempotency_key" IS NOT NULL`,
    );
    await queryRunner.query(`CREATE INDEX "tasks_owner_id_id_idx" ON "tasks" ("owner_id", "id")`);
    await queryRunner.query(
      `CREATE INDEX "tasks_owner_running_idx" ON "tasks" ("owner_id") WHERE "status" = 'running'`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."tasks_owner_running_idx"`);
    await queryRunner.query(`DROP INDEX "public"."tasks_owner_id_id_idx"`);
    await queryRunner.query(`DROP INDEX "public"."tasks_owner_idempotency_key_key"`);
    // Keys that are unique only per owner may collide once they are global again: keep the newest.
    await queryRunner.query(
      `UPDATE "tasks" SET "idempotency_key" = NULL WHERE "id" IN (SELECT "id" FROM (SELECT "id", row_number() OVER (PARTITION BY "idempotency_key" ORDER BY "id" DESC) AS "n" FROM "tasks" WHERE "idempotency_key" IS NOT NULL) AS "ranked" WHERE "n" > 1)`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "tasks_idempotency_key_key" ON "tasks" ("idempotency_key")`);
    await queryRunner.query(`ALTER TABLE "tasks" DROP COLUMN "idempotency_expires_at"`);
    await queryRunner.query(`ALTER TABLE "tasks" ADD "submitted_by" uuid`);
    await queryRunner.query(`UPDATE "tasks" SET "submitted_by" = "owner_id"`);
    await queryRunner.query(`ALTER TABLE "tasks" DROP COLUMN "owner_id"`);
  }
}

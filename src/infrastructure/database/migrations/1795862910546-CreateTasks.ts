import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateTasks1795862910546 implements MigrationInterface {
  name = 'CreateTasks1795862910546';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "tasks" ("id" uuid NOT NULL, "type" character varying(100) NOT NULL, "payload" jsonb NOT NULL, "status" character varying(16) NOT NULL DEFAULT 'queued', "attempts" integer NOT NULL DEFAULT '0', "max_attempts" integer NOT NULL, "progress" smallint NOT NULL DEFAULT '0', "result" jsonb, "error" jsonb, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "started_at" TIMESTAMP(3) WITH TIME ZONE, "finished_at" TIMESTAMP(3) WITH TIME ZONE, "next_attempt_at" TIMESTAMP(3) WITH TIME ZONE, "cancel_requested_at" TIMESTAMP(3) WITH TIME ZONE, "request_id" character varying(128), "idempotency_key" character varying(255), "request_hash" character(64), CONSTRAINT "tasks_progress_check" CHECK ("progress" BETWEEN 0 AND 100), CONSTRAINT "tasks_status_check" CHECK ("status" IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')), CONSTRAINT "PK_8d12ff38fcc62aaba2cab748772" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "tasks_idempotency_key_key" ON "tasks"  ("idempotency_key") `);
    await queryRunner.query(
      `CREATE INDEX "tasks_unsettled_idx" ON "tasks"  ("updated_at") WHERE "status" IN ('queued', 'running')`,
    );
    await queryRunner.query(`CREATE INDEX "tasks_type_id_idx" ON "tasks"  ("type", "id") `);
    await queryRunner.query(`CREATE INDEX "tasks_status_id_idx" ON "tasks"  ("status", "id") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."tasks_status_id_idx"`);
    await queryRunner.query(`DROP INDEX "public"."tasks_type_id_idx"`);
    await queryRunner.query(`DROP INDEX "public"."tasks_unsettled_idx"`);
    await queryRunner.query(`DROP INDEX "public"."tasks_idempotency_key_key"`);
    await queryRunner.query(`DROP TABLE "tasks"`);
  }
}
